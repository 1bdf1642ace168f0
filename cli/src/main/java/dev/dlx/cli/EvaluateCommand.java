package dev.dlx.cli;

import dev.dlx.runtime.run.Evaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `dlxc evaluate RUN|FILE`. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluates trained weights.",
            "RUN (a run folder): its best checkpoint (else last) on the test split of its data, as split in training.",
            "FILE (a .dlx file): its `evaluate` statements (or each trained model on its test split), each with the newest "
            + "run of that model under --runs.",
            "A translator (a run on `source parallel`) also translates every pair of the split by beam search (--beam, --alpha) and reports "
            + "exact match, corpus BLEU with its n-gram precisions and brevity penalty, and for each wrong output whether the beam "
            + "search or the model is at fault (s(y*) > s(ŷ) with s = log P / T^alpha)."})
final class EvaluateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN|FILE", description = "a run folder or a .dlx file")
    Path target;

    @Option(names = "--split", paramLabel = "SPLIT", description = "train, val or test (default: test, else val) for a run folder")
    String split;

    @Option(names = "--weights", paramLabel = "WHICH", description = "best or last (default: best, else last)")
    String weights;

    @Option(names = "--runs", paramLabel = "DIR", defaultValue = "runs", description = "where run folders are (default: ${DEFAULT-VALUE})")
    Path runs;

    @Option(names = "--beam", paramLabel = "B", defaultValue = "5", description = "a translator: the beam width its outputs are decoded with (default: ${DEFAULT-VALUE})")
    int beam;

    @Option(names = "--alpha", paramLabel = "A", defaultValue = "0.7", description = "a translator: length normalization 1/T^A of the beam's log P (default: ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "TensorFlow threads inside each op (default: by the model's size: 1 for small models, on the calling thread; all cores otherwise)")
    int threads;

    @Mixin DeviceOption device;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        var err = spec.commandLine().getErr();
        if (split != null && !split.equals("train") && !split.equals("val") && !split.equals("test")) {
            err.println("dlxc evaluate: --split takes train, val or test, not `" + split + "`");
            return Main.USAGE;
        }
        if (weights != null && !weights.equals("best") && !weights.equals("last")) {
            err.println("dlxc evaluate: --weights takes best or last, not `" + weights + "`");
            return Main.USAGE;
        }
        if (beam < 1 || !(alpha >= 0 && alpha <= 1)) {
            err.println("dlxc evaluate: --beam must be at least 1 and --alpha between 0 and 1");
            return Main.USAGE;
        }
        if (!Files.isDirectory(target) && !Files.isRegularFile(target)) {
            err.println("dlxc evaluate: `" + target + "` is neither a run folder nor a file");
            return Main.USAGE;
        }
        var out = spec.commandLine().getOut();
        Evaluation e = new Evaluation(out, err, threads).decoding(beam, alpha);
        // the scores go to standard output: the device's line goes to the error stream, as predict's and generate's do
        return device.run("evaluate", err, err, () -> Files.isDirectory(target) ? e.run(target, split, weights) : e.file(target, runs));
    }
}
