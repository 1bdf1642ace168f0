package dev.dlx.aot;

import com.google.gson.JsonObject;
import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.run.Programs;
import dev.dlx.runtime.run.RunFolder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

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
        Path dir = newest(runs, name, target);
        if (dir == null) {
            err.println("dlxc " + command + ": no finished run of model `" + name + "` in `" + runs + "`");
            err.println("  = help: train it first with `dlxc run " + target + "`, or give a run folder");
        }
        return dir;
    }

    /** The newest run folder of {@code model} trained from {@code file} that has a checkpoint. */
    static Path newest(Path runs, String model, Path file) {
        if (!Files.isDirectory(runs)) return null;
        String abs = file.toAbsolutePath().normalize().toString();
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(d -> Files.exists(d.resolve(RunFolder.BEST)) || Files.exists(d.resolve(RunFolder.LAST)))
                .filter(d -> {
                    try {
                        JsonObject run = RunFolder.open(d).readJson(RunFolder.RUN_JSON);
                        return run.get("model").getAsString().equals(model) && !run.has("kfold")
                            && (!run.has("file") || run.get("file").getAsString().equals(abs));
                    } catch (IOException | RuntimeException e) {
                        return false;
                    }
                })
                .max(Comparator.comparing(d -> d.getFileName().toString()))
                .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}
