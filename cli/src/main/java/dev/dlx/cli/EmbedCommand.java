package dev.dlx.cli;

import dev.dlx.runtime.embed.RunVectors;
import dev.dlx.runtime.embed.WordVectors;
import dev.dlx.runtime.plot.WordMap;
import dev.dlx.runtime.run.SavedRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `dlxc embed RUN|FILE --nearest WORD | --analogy A B C | --export FILE | --plot FILE`. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Uses the word vectors of a trained run (a run on `source text ... examples skipgram|cbow|cooccurrence`, "
            + "or a language model's embedding): the nearest words by cosine similarity, analogies a : b :: c : ?, the vectors "
            + "in the word2vec text format, or a labelled t-SNE map of the most frequent words. RUN is a run folder; with a "
            + ".dlx FILE the newest run of it under --runs is used."})
final class EmbedCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN|FILE", description = "a run folder, or the .dlx file of a run")
    Path target;

    @Option(names = "--nearest", paramLabel = "WORD", description = "the words nearest to WORD (repeatable)")
    List<String> nearest;

    @Option(names = "--analogy", arity = "3", paramLabel = "WORD", description = "a b c: the words x with a : b :: c : x, nearest to b - a + c")
    List<String> analogy;

    @Option(names = "-k", paramLabel = "K", defaultValue = "10", description = "words listed per question (default: 10)")
    int k;

    @Option(names = "--export", paramLabel = "FILE", description = "write the vectors in the word2vec text format")
    Path export;

    @Option(names = "--plot", paramLabel = "PNG", description = "draw a t-SNE map of the most frequent words")
    Path plot;

    @Option(names = "--words", paramLabel = "N", defaultValue = "300", description = "words on the map (default: 300)")
    int words;

    @Option(names = "--perplexity", paramLabel = "P", defaultValue = "30", description = "t-SNE perplexity (default: 30)")
    double perplexity;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed of the map (default: 1)")
    long seed;

    @Option(names = "--table", paramLabel = "NAME", description = "the embedding table, by layer (`Words/embedding_1`); `a+b` averages two "
        + "(default: the first with one row per word and more than one column)")
    String table;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs", description = "where run folders are (default: runs)")
    Path runs;

    @Option(names = "--weights", paramLabel = "WHICH", description = "best or last (default: best, else last)")
    String weights;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        String usage = null;
        if (nearest == null && analogy == null && export == null && plot == null) usage = "say what to do: --nearest WORD, --analogy A B C, --export FILE or --plot FILE";
        else if (k < 1) usage = "-k must be at least 1, not " + k;
        else if (words < 3) usage = "--words must be at least 3, not " + words;
        else if (!(perplexity > 0)) usage = "--perplexity must be a positive number, not " + perplexity;
        else if (weights != null && !weights.equals("best") && !weights.equals("last")) usage = "--weights takes best or last, not `" + weights + "`";
        if (usage != null) {
            err.println("dlxc embed: " + usage);
            return Main.USAGE;
        }
        Path dir = target;
        if (Files.isRegularFile(target)) {
            dir = dev.dlx.runtime.run.RunFolder.newest(runs, null, target);
            if (dir == null) {
                err.println("dlxc embed: no run of `" + target + "` under `" + runs + "`: train it first with `dlxc run " + target + "`");
                return Main.ERRORS;
            }
        } else if (!Files.isDirectory(target)) {
            err.println("dlxc embed: `" + target + "` is neither a run folder nor a .dlx file");
            return Main.USAGE;
        }
        SavedRun run = SavedRun.open(dir, weights, err);
        if (run == null) return Main.ERRORS;
        try {
            WordVectors v = RunVectors.of(run, table);
            err.println(String.format(Locale.ROOT, "dlxc embed: %,d words, %d dimensions, the %s checkpoint of %s", v.size(), v.dim(),
                run.checkpointName(), dir));
            if (nearest != null) {
                for (String w : nearest) {
                    out.println("nearest to `" + w + "`:");
                    print(out, v.nearest(w, k));
                }
            }
            if (analogy != null) {
                for (int i = 0; i + 2 < analogy.size(); i += 3) {
                    String a = analogy.get(i), b = analogy.get(i + 1), c = analogy.get(i + 2);
                    out.println(a + " : " + b + " :: " + c + " : ?");
                    print(out, v.analogy(a, b, c, k));
                }
            }
            if (export != null) {
                v.writeText(export);
                out.println("wrote " + export + " (word2vec text format: " + v.dim() + " dimensions)");
            }
            if (plot != null) {
                WordMap.Placed placed = WordMap.write(plot, "t-SNE of the " + Math.min(words, v.size()) + " most frequent words ("
                    + run.model().name() + ")", v, words, perplexity, seed);
                out.println("wrote " + plot + " (" + placed.words().size() + " words, t-SNE perplexity " + perplexity + ")");
            }
            out.flush();
            return Main.OK;
        } catch (IllegalArgumentException e) {
            out.flush();
            err.println("dlxc embed: " + e.getMessage());
            return Main.ERRORS;
        } catch (IOException e) {
            out.flush();
            err.println("dlxc embed: " + e.getMessage());
            return Main.ERRORS;
        }
    }

    private static void print(PrintWriter out, List<WordVectors.Neighbour> list) {
        for (WordVectors.Neighbour n : list) out.println(String.format(Locale.ROOT, "  %-16s %.3f", n.word(), n.similarity()));
    }
}
