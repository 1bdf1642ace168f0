package dev.dlx.cli;

import dev.dlx.runtime.run.OutputGuard;
import dev.dlx.runtime.run.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "TensorFlow threads inside each op (default: by the model's size: 1 for small models, on the calling thread; all cores otherwise)")
    int threads;

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
        return new Prediction(spec.commandLine().getOut(), err, threads).run(run, input, output, weights,
            new dev.dlx.runtime.detect.NonMaxSuppression(minScore, maxIou), draw);
    }
}
