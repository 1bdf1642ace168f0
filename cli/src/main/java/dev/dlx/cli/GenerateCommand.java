package dev.dlx.cli;

import dev.dlx.runtime.decode.BeamSearch;
import dev.dlx.runtime.decode.Decoded;
import dev.dlx.runtime.decode.Decoder;
import dev.dlx.runtime.decode.Generation;
import dev.dlx.runtime.decode.Greedy;
import dev.dlx.runtime.decode.Sampler;
import dev.dlx.runtime.run.ImageGeneration;
import dev.dlx.runtime.run.ImageGrid;
import dev.dlx.runtime.run.SavedRun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `dlxc generate RUN|FILE --prime TEXT --length N --method greedy|sample|beam`; `dlxc generate RUN --count 64 -o grid.png [--judge RUN]`. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"With a translator (a run on `source parallel`), translates --source TEXT by beam search (--beam B, --alpha A; "
            + "--method greedy for greedy decoding), the encoder run once and the decoder step by step; --attention PNG draws the "
            + "attention weights.",
            "Generates text with a trained language model (a run whose dataset is `source text ... window N`): "
            + "the prime, then LENGTH tokens chosen greedily, sampled with a temperature, or by beam search with the "
            + "length-normalized objective 1/T^alpha * sum log p. RUN is a run folder; with a .dlx FILE the newest run of it "
            + "under --runs is used.",
            "With a run whose model has `noise` inputs (a GAN), generates COUNT images from fresh noise (--seed) and writes "
            + "them as one PNG grid (-o); --judge CLASSIFIER_RUN has a classifier trained by dlx label them and reports the "
            + "share it classifies with probability >= 0.9 and the spread over its classes, with the same for uniform noise."})
final class GenerateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN|FILE", description = "a run folder, or the .dlx file of a run")
    Path target;

    @Option(names = "--prime", paramLabel = "TEXT", description = "the text to continue (a language model)")
    String prime;

    @Option(names = "--source", paramLabel = "TEXT", description = "the text to translate (a translator: a run on `source parallel`)")
    String source;

    @Option(names = "--attention", paramLabel = "PNG", description = "a translator: draw the attention weights of the translation (source x output tokens) as a PNG")
    Path attention;

    @Option(names = "--count", paramLabel = "N", defaultValue = "64", description = "images to generate (a model with noise inputs; default: 64)")
    int count;

    @Option(names = {"-o", "--output"}, paramLabel = "PNG", description = "where the grid of images goes (default: RUN/generated.png)")
    Path output;

    @Option(names = "--judge", paramLabel = "RUN", description = "a classifier's run folder that labels the generated images")
    Path judge;

    @Option(names = "--tensor", paramLabel = "NAME", description = "the generated tensor to draw (default: the last image the model computes from noise alone)")
    String tensor;

    @Option(names = "--length", paramLabel = "N", defaultValue = "200", description = "tokens to generate (default: 200)")
    int length;

    @Option(names = "--method", paramLabel = "M", defaultValue = "sample", description = "greedy, sample or beam (default: sample)")
    String method;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1.0",
            description = "sampling temperature: below 1 sharper, above 1 flatter (default: 1)")
    double temperature;

    @Option(names = "--beam", paramLabel = "B", defaultValue = "5", description = "beam width (default: 5)")
    int beam;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.7",
            description = "length normalization exponent for beam search, in [0.5, 1] for a language model, [0, 1] for a translator (default: 0.7)")
    double alpha;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed of the sampler (default: 1)")
    long seed;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs", description = "where run folders are (default: runs)")
    Path runs;

    @Option(names = "--weights", paramLabel = "WHICH", description = "best or last (default: best, else last)")
    String weights;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "TensorFlow threads inside each op (default: by the model's size: 1 for small models, on the calling thread; all cores otherwise)")
    int threads;

    @Mixin DeviceOption device;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        // the generated text may go to standard output: the device's line goes to the error stream
        return device.run("generate", err, err, this::generate);
    }

    private int generate() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Path dir0 = runDir(err);
        if (dir0 == null) return Files.isRegularFile(target) ? Main.ERRORS : Main.USAGE;
        if (weights != null && !weights.equals("best") && !weights.equals("last")) {
            err.println("dlxc generate: --weights takes best or last, not `" + weights + "`");
            return Main.USAGE;
        }
        SavedRun opened = SavedRun.open(dir0, weights, err);
        if (opened == null) return Main.ERRORS;
        if (!opened.train().noise().isEmpty()) return images(opened, dir0, out, err);
        if (opened.dataset().source() instanceof dev.dlx.compiler.data.ParallelSource) {
            if (source == null) {
                err.println("dlxc generate: --source TEXT is needed for a translator (`" + opened.model().name() + "` was trained on `source parallel`)");
                return Main.USAGE;
            }
            boolean chosen = spec.commandLine().getParseResult().hasMatchedOption("--method");
            Decoder d = Translating.decoder("generate", chosen ? method : "beam", beam, alpha, err);
            if (d == null) return Main.USAGE;
            if (Translating.attentionRefused(attention, java.util.List.of(dir0), "generate", err)) return Main.USAGE;
            return Translating.translate(opened, java.util.List.of(source), d, attention, threads, out, err, "generate");
        }
        if (prime == null) {
            err.println("dlxc generate: --prime is needed for a language model (`" + opened.model().name() + "` has no `noise` input to draw images from)");
            return Main.USAGE;
        }
        Decoder decoder;
        String usage = null;
        if (length < 1) usage = "--length must be at least 1, not " + length;
        else if (weights != null && !weights.equals("best") && !weights.equals("last")) usage = "--weights takes best or last, not `" + weights + "`";
        decoder = null;
        if (usage == null) {
            switch (method.toLowerCase(Locale.ROOT)) {
                case "greedy": decoder = new Greedy(); break;
                case "sample":
                    if (!(temperature > 0) || Double.isInfinite(temperature)) usage = "--temperature must be a positive number, not " + temperature;
                    else decoder = new Sampler(temperature, seed);
                    break;
                case "beam":
                    if (beam < 1) usage = "--beam must be at least 1, not " + beam;
                    else if (!(alpha >= 0.5 && alpha <= 1)) usage = "--alpha must lie between 0.5 and 1, not " + alpha;
                    else decoder = new BeamSearch(beam, alpha);
                    break;
                default: usage = "--method takes greedy, sample or beam, not `" + method + "`";
            }
        }
        if (usage != null) {
            err.println("dlxc generate: " + usage);
            return Main.USAGE;
        }
        Path dir = dir0;
        SavedRun run = opened;
        try (Generation g = Generation.open(run, threads)) {
            int[] primeIds = g.encode(prime);
            long started = System.nanoTime();
            Decoded d = decoder.decode(g.model(), primeIds, length);
            double seconds = (System.nanoTime() - started) / 1e9;
            out.println(prime + (g.characters() ? "" : " ") + g.decode(d.tokens()));
            err.println(String.format(Locale.ROOT, "dlxc generate: %s, %d tokens, log p %.3f (%.3f per token), %.1fs; run %s",
                describe(decoder), d.length(), d.logProbability(), d.logProbability() / Math.max(1, d.length()), seconds, dir));
            return Main.OK;
        } catch (IllegalArgumentException e) {
            err.println("dlxc generate: " + e.getMessage());
            return Main.ERRORS;
        }
    }

    /** The run folder of the target: itself, or the newest run of a .dlx file; null after saying why. */
    private Path runDir(PrintWriter err) {
        if (Files.isRegularFile(target)) {
            Optional<Path> newest = Optional.ofNullable(dev.dlx.runtime.run.RunFolder.newest(runs, null, target));
            if (newest.isEmpty()) {
                err.println("dlxc generate: no run of `" + target + "` under `" + runs + "`: train it first with `dlxc run " + target + "`");
                return null;
            }
            return newest.get();
        }
        if (!Files.isDirectory(target)) {
            err.println("dlxc generate: `" + target + "` is neither a run folder nor a .dlx file");
            return null;
        }
        return target;
    }

    /** Images from a model with noise inputs: the grid, and the judge's verdict on them and on uniform noise. */
    private int images(SavedRun run, Path dir, PrintWriter out, PrintWriter err) {
        if (count < 1) {
            err.println("dlxc generate: --count must be at least 1, not " + count);
            return Main.USAGE;
        }
        SavedRun classifier = null;
        if (judge != null) {
            classifier = SavedRun.open(judge, null, err);
            if (classifier == null) return Main.ERRORS;
        }
        try {
            ImageGeneration.Images images = ImageGeneration.generate(run, count, seed, tensor);
            Path file = output != null ? output : dir.resolve("generated.png");
            ImageGrid.write(ImageGrid.render(images.values(), images.count(), images.h(), images.w(), images.channels()), file);
            out.println(String.format(Locale.ROOT, "%d images of `%s` [%d, %d, %d] from noise seed %d (%s weights) written to %s", count,
                images.tensor(), images.h(), images.w(), images.channels(), seed, run.checkpointName(), file));
            if (classifier != null) {
                ImageGeneration.Verdict generated = ImageGeneration.judge(classifier, images.values(), count, threads);
                ImageGeneration.Verdict noise = ImageGeneration.judge(classifier, ImageGeneration.uniform(images.values().length, seed), count, threads);
                out.println("judged by `" + classifier.model().name() + "` (" + judge + "):");
                out.println("  generated      " + generated.line());
                out.println("  uniform noise  " + noise.line());
            }
            out.flush();
            return Main.OK;
        } catch (IllegalArgumentException e) {
            err.println("dlxc generate: " + e.getMessage());
            return Main.ERRORS;
        } catch (java.io.IOException e) {
            err.println("dlxc generate: " + e.getMessage());
            return Main.ERRORS;
        }
    }

    private String describe(Decoder d) {
        if (d instanceof BeamSearch b) return "beam search B " + b.width() + " alpha " + b.alpha();
        if (d instanceof Sampler) return "sampling at temperature " + temperature + " seed " + seed;
        return "greedy";
    }
}
