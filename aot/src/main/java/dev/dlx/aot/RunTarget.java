package dev.dlx.aot;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.run.Programs;
import dev.dlx.runtime.run.RunFolder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What `dlxc build` and `dlxc export` take: a run folder as it is, or a `.dlx` file, meaning the
 * newest finished run (with a checkpoint) of the model it trains, under the runs folder.
 */
public final class RunTarget {
    private RunTarget() {}

    /** The run folder, or null after saying why there is none (and how to make one). */
    public static Path resolve(Path target, Path runs, String model, String command, PrintWriter err) {
        if (Files.isDirectory(target)) {
            if (!Files.isRegularFile(target.resolve(RunFolder.RUN_JSON))) {
                err.println("dlxc " + command + ": `" + target + "` is not a run folder (it has no " + RunFolder.RUN_JSON + ")");
                return null;
            }
            return target;
        }
        if (!Files.isRegularFile(target)) {
            err.println("dlxc " + command + ": `" + target + "` is neither a run folder nor a .dlx file");
            return null;
        }
        Compilation c = Programs.compile(target, err);
        if (c == null) return null;
        List<String> trained = c.trainings().stream().map(TrainIR::model).distinct().toList();
        String name = model;
        if (name == null) {
            if (trained.isEmpty()) {
                err.println("dlxc " + command + ": `" + target + "` trains no model (it has no `train` block)");
                return null;
            }
            if (trained.size() > 1) {
                err.println("dlxc " + command + ": `" + target + "` trains " + String.join(", ", trained) + "; choose one with --model NAME");
                return null;
            }
            name = trained.get(0);
        } else if (!trained.contains(name)) {
            err.println("dlxc " + command + ": `" + target + "` does not train a model `" + name + "`"
                + (trained.isEmpty() ? "" : " (it trains " + String.join(", ", trained) + ")"));
            return null;
        }
        Path dir = RunFolder.newest(runs, name, target);
        if (dir == null) {
            err.println("dlxc " + command + ": no finished run of model `" + name + "` in `" + runs + "`");
            err.println("  = help: train it first with `dlxc run " + target + "`, or give a run folder");
        }
        return dir;
    }
}
