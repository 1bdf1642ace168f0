package dev.dlx.cli;

import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.decode.BeamSearch;
import dev.dlx.runtime.decode.Decoded;
import dev.dlx.runtime.decode.Decoder;
import dev.dlx.runtime.decode.Greedy;
import dev.dlx.runtime.decode.Translation;
import dev.dlx.runtime.plot.AttentionMap;
import dev.dlx.runtime.run.SavedRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * `dlxc generate` and `dlxc predict` of a translator (a run on `source parallel`): each source is
 * encoded once and decoded greedily or by beam search; `--attention` draws the cross attention of
 * one translation.
 */
final class Translating {
    private Translating() {}

    /** The decoder a command's options ask for: `greedy`, or `beam` (B, α); null after saying why. */
    static Decoder decoder(String command, String method, int beam, double alpha, PrintWriter err) {
        switch (method.toLowerCase(Locale.ROOT)) {
            case "greedy":
                return new Greedy();
            case "beam":
                if (beam < 1) err.println("dlxc " + command + ": --beam must be at least 1, not " + beam);
                else if (!(alpha >= 0 && alpha <= 1)) err.println("dlxc " + command + ": --alpha must lie between 0 and 1, not " + alpha);
                else return new BeamSearch(beam, alpha);
                return null;
            default:
                err.println("dlxc " + command + ": a translator decodes with --method greedy or beam, not `" + method + "`");
                return null;
        }
    }

    static String describe(Decoder d) {
        return d instanceof BeamSearch b ? String.format(Locale.ROOT, "beam search B %d alpha %.2g", b.width(), b.alpha()) : "greedy";
    }

    /**
     * Why the attention picture may not be written to {@code attention} (a source, an input, the
     * predictions' file, a file of a run folder), said on {@code err}; false when it may.
     */
    static boolean attentionRefused(Path attention, List<Path> inputs, String command, PrintWriter err) {
        if (attention == null) return false;
        String problem = dev.dlx.runtime.run.OutputGuard.fileProblem(attention, inputs, false);
        if (problem == null) return false;
        err.println("dlxc " + command + ": --attention " + problem);
        return true;
    }

    /** Translates {@code sources}, one line of output each; with {@code attention}, the first one's weights go there. */
    static int translate(SavedRun run, List<String> sources, Decoder decoder, Path attention, int threads, PrintWriter out, PrintWriter err,
                         String command) {
        return translate(run, sources, decoder, attention, threads, out, err, command, sources.size() > 1);
    }

    /** With {@code table}, CSV lines `source,translation,log_p,score` after a header. */
    static int translate(SavedRun run, List<String> sources, Decoder decoder, Path attention, int threads, PrintWriter out, PrintWriter err,
                         String command, boolean table) {
        try (Translation t = Translation.open(run, threads)) {
            if (attention != null && t.attentionLayer() == null) {
                err.println("dlxc " + command + ": model `" + run.model().name() + "` has no attention from its decoder to its encoder to draw");
                return Main.ERRORS;
            }
            if (table) out.println("source,translation,log_p,score");
            for (int i = 0; i < sources.size(); i++) {
                String s = sources.get(i);
                Translation.Encoded e = t.encode(s);
                Decoded d = t.translate(e, decoder);
                String text = t.text(d.tokens());
                if (table) out.println(cell(s) + "," + cell(text) + String.format(Locale.ROOT, ",%.4f,%.4f", d.logProbability(), d.score()));
                else {
                    out.println(text);
                    err.println(String.format(Locale.ROOT, "dlxc %s: %s, %d tokens with <end>, log P(y|x) %.4f, score %.4f", command, describe(decoder),
                        d.length(), d.logProbability(), d.score()));
                }
                if (i == 0 && attention != null) {
                    float[][] w = t.attention(e, d.tokens());
                    List<String> outTokens = new ArrayList<>(t.tokens(d.tokens()));
                    outTokens.add("<end>");
                    List<String> srcTokens = t.sourceTokens(s);
                    AttentionMap.write(attention, "attention of `" + t.attentionLayer() + "`: " + s + " -> " + text, srcTokens,
                        outTokens.subList(0, w.length), w);
                    err.println("dlxc " + command + ": attention weights (" + w.length + " output x " + srcTokens.size() + " source tokens) written to "
                        + attention);
                }
            }
            out.flush();
            return Main.OK;
        } catch (DataException e) {
            err.print(e.render());
            return Main.ERRORS;
        } catch (IllegalArgumentException | IOException e) {
            err.println("dlxc " + command + ": " + e.getMessage());
            return Main.ERRORS;
        }
    }

    /** The sources of a CSV file: its first cell on each line, after a header line `source...`. */
    static List<String> sources(Path csv) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line;
            boolean first = true;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                String cell = dev.dlx.support.CsvFields.split(line, ',').get(0);
                if (first && cell.trim().equalsIgnoreCase("source")) {
                    first = false;
                    continue;
                }
                first = false;
                out.add(cell);
            }
        }
        return out;
    }

    private static String cell(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
