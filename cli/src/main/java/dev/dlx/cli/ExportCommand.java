package dev.dlx.cli;

import dev.dlx.aot.export.ModelExport;
import dev.dlx.aot.freeze.FrozenRun;
import dev.dlx.runtime.run.OutputGuard;
import dev.dlx.runtime.run.SavedRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `dlxc export RUN --format savedmodel DIR`. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Exports a trained model for other tools: `savedmodel` is a TensorFlow SavedModel (tag serve) whose "
            + "serving_default signature maps the model's input to `output` (several inputs and outputs: each by its name), "
            + "for TensorFlow Serving, Python or Java; `frozen` is graph.pb (weights as constants, input dlx.input:0, output "
            + "dlx.output:0; several: dlx.input.NAME:0, dlx.output.NAME:0) with model.json. "
            + "Both take samples as the dataset's `features` steps leave them; the normalization is inside the graph."})
final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE|RUN", description = "a run folder, or a .dlx file (its model's newest run)")
    Path target;

    @Parameters(index = "1", paramLabel = "DIR", description = "the folder to write")
    Path dir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "savedmodel", description = "savedmodel or frozen (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--force", description = "replace an earlier export in DIR (never a folder that holds other files, a run folder or a .dlx source)")
    boolean force;

    @Mixin TrainedRunOptions trained;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        ModelExport.Format f = ModelExport.Format.parse(format);
        if (f == null) {
            err.println("dlxc export: --format takes savedmodel or frozen, not `" + format + "`");
            return Main.USAGE;
        }
        if (!trained.valid("export", err)) return Main.USAGE;
        try {
            SavedRun run = trained.open(target, "export", err);
            if (run == null) return Main.ERRORS;
            Path runDir = run.folder().dir();
            String problem = OutputGuard.folderProblem(dir, List.of(target, runDir), force);
            if (problem != null) {
                Main.refuse("export", problem, err);
                return Main.USAGE;
            }
            FrozenRun frozen = FrozenRun.of(run);
            if (Files.isDirectory(dir) && force) OutputGuard.clearExport(dir);
            ModelExport.write(frozen, f, dir);
            OutputGuard.markExport(dir, f.name().toLowerCase(java.util.Locale.ROOT) + " of " + runDir.toAbsolutePath().normalize());
            var m = frozen.parsed();
            out.println("exported `" + run.model().name() + "` (" + run.checkpointName() + " weights of " + runDir.getFileName() + ") as "
                + (f == ModelExport.Format.SAVEDMODEL ? "a SavedModel" : "a frozen graph") + " to " + dir);
            if (m.inputs().size() > 1 || m.outputs().size() > 1) {
                out.println("  " + (f == ModelExport.Format.SAVEDMODEL ? "signature " + ModelExport.SIGNATURE + ": " : "")
                    + tensors(m.inputs(), f) + " -> " + tensors(m.outputs(), f));
                return Main.OK;
            }
            out.println(f == ModelExport.Format.SAVEDMODEL
                ? "  signature " + ModelExport.SIGNATURE + ": " + m.inputName() + " float32 [batch, " + join(m.inputShape()) + "] -> "
                    + frozen.manifest().getAsJsonObject("output").get("name").getAsString() + " float32 [batch, " + join(m.outputShape()) + "]"
                : "  input " + m.inputOp() + ":0 float32 [batch, " + join(m.inputShape()) + "] -> output " + m.outputOp() + ":0 float32 [batch, "
                    + join(m.outputShape()) + "]");
            return Main.OK;
        } catch (IllegalArgumentException e) {
            err.println("dlxc export: " + e.getMessage());
            return Main.ERRORS;
        } catch (IOException e) {
            err.println("dlxc export: cannot write `" + dir + "`: " + e.getMessage());
            return Main.ERRORS;
        }
    }

    private static String join(int[] shape) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ", ").append(shape[i]);
        return s.toString();
    }

    /** `left float32 [batch, 4], right float32 [batch, 2, 1]` (a SavedModel's names) or the ops of a frozen graph. */
    private static String tensors(List<dev.dlx.aot.support.ModelManifest.Tensor> ts, ModelExport.Format f) {
        return String.join(", ", ts.stream().map(t -> (f == ModelExport.Format.SAVEDMODEL ? t.name() : t.op() + ":0") + " float32 [batch, "
            + join(t.shape()) + "]").toList());
    }
}
