package dev.dlx.cli;

import dev.dlx.runtime.run.Inspection;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `dlxc show confusion|adversarial|heatmap|activations|filters RUN`: what a trained classifier does, and what it sees. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Shows what a trained classifier does on a split of its data (one input, one output).",
            "confusion RUN: the confusion matrix (rows: true class, columns: predicted) as a table, and as a picture "
            + "(`confusion_SPLIT.png` in the run folder, or -o).",
            "adversarial RUN --epsilon E: every input moved by E along the sign of the loss's gradient at it (the fast "
            + "gradient sign method), in the units of the model's input after the dataset's steps and normalization; "
            + "the accuracy before and after, and one sample whose prediction it changed.",
            "heatmap RUN --sample N: Grad-CAM of sample N of the split (its predicted class, or --class C) at the last layer with "
            + "[height, width, channels] outputs (or --layer L), drawn over the image (`heatmap_SPLIT_N.png` in the run folder, or -o).",
            "activations RUN --sample N [--layer L]: the layer's output for sample N, a map per channel.",
            "filters RUN [--layer L]: what excites each channel of the layer, by gradient ascent on the input from gray."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done", "1:the run or its data cannot be used", "2:wrong usage"})
final class ShowCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "WHAT", description = "confusion, adversarial, heatmap, activations or filters")
    String what;

    @Parameters(index = "1", paramLabel = "RUN", description = "a run folder")
    Path run;

    @Option(names = "--split", paramLabel = "SPLIT", description = "train, val or test (default: test, else val)")
    String split;

    @Option(names = "--weights", paramLabel = "WHICH", description = "best or last (default: best, else last)")
    String weights;

    @Option(names = "--epsilon", paramLabel = "E", defaultValue = "0.1", description = "adversarial: the size of the move (default: ${DEFAULT-VALUE})")
    double epsilon;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "confusion, heatmap, activations, filters: where to draw the picture")
    Path output;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "0", description = "heatmap, activations: which sample of the split, from 0 (default: ${DEFAULT-VALUE})")
    int sample;

    @Option(names = "--class", paramLabel = "C", description = "heatmap: the class whose evidence to show (default: the predicted one)")
    Integer cls;

    @Option(names = "--layer", paramLabel = "L", description = "heatmap, activations, filters: the layer (default: the last with [height, width, channels] outputs)")
    String layer;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "TensorFlow threads inside each op (default: by the model's size)")
    int threads;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        var err = spec.commandLine().getErr();
        if (split != null && !split.equals("train") && !split.equals("val") && !split.equals("test")) {
            err.println("dlxc show: --split takes train, val or test, not `" + split + "`");
            return Main.USAGE;
        }
        if (weights != null && !weights.equals("best") && !weights.equals("last")) {
            err.println("dlxc show: --weights takes best or last, not `" + weights + "`");
            return Main.USAGE;
        }
        if (!Double.isFinite(epsilon) || epsilon < 0) {
            err.println("dlxc show: --epsilon takes a number of 0 or more, not " + epsilon);
            return Main.USAGE;
        }
        Inspection i = new Inspection(spec.commandLine().getOut(), err, threads);
        return switch (what) {
            case "confusion" -> i.confusion(run, split, weights, output);
            case "adversarial" -> i.adversarial(run, split, weights, epsilon);
            case "heatmap" -> i.heatmap(run, split, weights, sample, cls, layer, output);
            case "activations" -> i.activations(run, split, weights, sample, layer, output);
            case "filters" -> i.filters(run, weights, layer, output);
            default -> {
                err.println("dlxc show: shows `confusion`, `adversarial`, `heatmap`, `activations` or `filters`, not `" + what + "`");
                yield Main.USAGE;
            }
        };
    }
}
