package dev.dlx.cli;

import dev.dlx.runtime.run.OutputGuard;
import dev.dlx.runtime.run.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `dlxc predict RUN INPUT [-o OUT]`. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predicts with a run's weights: INPUT (CSV with the training file's columns or only its feature columns, "
            + "or an IDX file) is read as in training (feature steps, the stored normalization statistics), and each sample's "
            + "prediction is written as CSV (class name and class probabilities, or regression targets).",
            "A model with a `yolo` head takes an image or a folder of images and writes each box found, after non-max suppression "
            + "(--min-score, --max-iou), as CSV: image, class, probability and corners in pixels; --draw DIR writes the images with their boxes."})
final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "a run folder")
    Path run;

    @Parameters(index = "1", paramLabel = "INPUT", description = "the samples: .csv, .tsv or IDX")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "write the predictions here (default: standard output)")
    Path output;

    @Option(names = "--weights", paramLabel = "WHICH", description = "best or last (default: best, else last)")
    String weights;

    @Option(names = "--min-score", paramLabel = "P", defaultValue = "0.6", description = "detection: drop boxes less probable than P (default: ${DEFAULT-VALUE})")
    double minScore;

    @Option(names = "--max-iou", paramLabel = "T", defaultValue = "0.5", description = "detection: suppress boxes with IoU >= T with a more probable one of their class (default: ${DEFAULT-VALUE})")
    double maxIou;

    @Option(names = "--draw", paramLabel = "DIR", description = "detection: write each image with its boxes as a PNG into DIR")
    Path draw;

    @Option(names = "--method", paramLabel = "M", defaultValue = "beam", description = "a translator: greedy or beam (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--beam", paramLabel = "B", defaultValue = "5", description = "a translator: beam width (default: ${DEFAULT-VALUE})")
    int beam;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.7", description = "a translator: length normalization 1/T^A of the beam's log P (default: ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--attention", paramLabel = "PNG", description = "a translator: draw the first translation's attention weights as a PNG")
    Path attention;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "TensorFlow threads inside each op (default: by the model's size: 1 for small models, on the calling thread; all cores otherwise)")
    int threads;

    @Mixin DeviceOption device;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        var err = spec.commandLine().getErr();
        if (!Files.isDirectory(run)) {
            err.println("dlxc predict: `" + run + "` is not a run folder");
            return Main.USAGE;
        }
        if (weights != null && !weights.equals("best") && !weights.equals("last")) {
            err.println("dlxc predict: --weights takes best or last, not `" + weights + "`");
            return Main.USAGE;
        }
        if (output != null) {
            String problem = OutputGuard.fileProblem(output, java.util.List.of(run, input), false);
            if (problem != null) {
                Main.refuse("predict", problem, err);
                return Main.USAGE;
            }
        }
        if (!(minScore >= 0 && minScore <= 1) || !(maxIou > 0 && maxIou <= 1)) {
            err.println("dlxc predict: --min-score takes a probability from 0 to 1 and --max-iou a value above 0 up to 1");
            return Main.USAGE;
        }
        // the predictions may go to standard output: the device's line goes to the error stream
        return device.run("predict", err, err, () -> translator() ? translate(err)
            : new Prediction(spec.commandLine().getOut(), err, threads).run(run, input, output, weights,
                new dev.dlx.runtime.detect.NonMaxSuppression(minScore, maxIou), draw));
    }

    /** Whether the run was trained on `source parallel` (its program compiled again, quietly). */
    private boolean translator() {
        var quiet = new java.io.PrintWriter(java.io.Writer.nullWriter());
        dev.dlx.runtime.run.SavedRun r = dev.dlx.runtime.run.SavedRun.open(run, weights, quiet);
        return r != null && r.dataset().source() instanceof dev.dlx.compiler.data.ParallelSource;
    }

    /** A translator: the first cell of each line of INPUT (after a `source` header) translated, as CSV. */
    private int translate(java.io.PrintWriter err) {
        dev.dlx.runtime.run.SavedRun r = dev.dlx.runtime.run.SavedRun.open(run, weights, err);
        if (r == null) return Main.ERRORS;
        var d = Translating.decoder("predict", method, beam, alpha, err);
        if (d == null) return Main.USAGE;
        java.util.List<java.nio.file.Path> read = output == null ? java.util.List.of(run, input) : java.util.List.of(run, input, output);
        if (Translating.attentionRefused(attention, read, "predict", err)) return Main.USAGE;
        java.util.List<String> sources;
        try {
            sources = Translating.sources(input);
        } catch (java.io.IOException e) {
            err.println("dlxc predict: `" + input + "` cannot be read: " + e.getMessage());
            return Main.ERRORS;
        }
        if (sources.isEmpty()) {
            err.println("dlxc predict: `" + input + "` holds no source to translate");
            return Main.ERRORS;
        }
        java.io.PrintWriter out = spec.commandLine().getOut();
        if (output == null) return Translating.translate(r, sources, d, attention, threads, out, err, "predict", true);
        try (java.io.PrintWriter file = new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(output, java.nio.charset.StandardCharsets.UTF_8))) {
            int rc = Translating.translate(r, sources, d, attention, threads, file, err, "predict", true);
            if (rc == Main.OK) err.println("dlxc predict: " + sources.size() + " translations written to " + output);
            return rc;
        } catch (java.io.IOException e) {
            err.println("dlxc predict: `" + output + "` cannot be written: " + e.getMessage());
            return Main.ERRORS;
        }
    }
}
