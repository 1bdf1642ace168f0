package dev.dlx.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.check.Summary;
import dev.dlx.compiler.check.SummaryJson;
import dev.dlx.compiler.check.TrainingMemory;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.JsonRenderer;
import dev.dlx.compiler.diag.TextRenderer;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.resolve.SourceProvider;
import dev.dlx.compiler.train.MachineMemory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** `dlxc check FILE...`: summaries and diagnostics, without running anything. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Type-checks .dlx files: prints each model's summary (shapes, parameters, receptive fields), "
            + "the memory each training needs (an estimate: weights, gradients, optimizer state, one batch's activations) "
            + "and every error and warning. Exit code 0 when there are no errors, 1 when there are, 2 on wrong usage.")
final class CheckCommand implements Callable<Integer> {
    enum Format { text, json }

    @Parameters(arity = "1..*", paramLabel = "FILE", description = ".dlx files to check")
    List<Path> files;

    @Option(names = "--format", description = "text (default) or json", defaultValue = "text")
    Format format;

    @Option(names = "--no-summary", description = "print diagnostics only")
    boolean noSummary;

    @Option(names = "--memory-limit", paramLabel = "SIZE", converter = MemorySize.class,
        description = "warn about trainings that need more memory than SIZE (16GiB, 512MiB; default: this machine's physical memory)")
    Long memoryLimit;

    @Option(names = "--color", description = "color the output: auto (default), always, never", defaultValue = "auto")
    String color;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean useColor = "always".equals(color) || ("auto".equals(color) && System.console() != null
                && System.getenv("NO_COLOR") == null);
        TextRenderer renderer = new TextRenderer(useColor);
        OptionalLong memory = memoryLimit != null ? OptionalLong.of(memoryLimit) : MachineMemory.physical();
        Compiler compiler = new Compiler(SourceProvider.DISK, Path.of("").toAbsolutePath(), memory);
        boolean errors = false;
        long errorCount = 0, warningCount = 0;
        JsonArray jsonFiles = new JsonArray();
        for (Path file : files) {
            if (!Files.exists(file)) {
                err.println("dlxc: cannot read `" + file + "`: no such file");
                return Main.USAGE;
            }
            Compilation c = compiler.compile(file).orElse(null);
            if (c == null) {
                err.println("dlxc: cannot read `" + file + "`");
                return Main.USAGE;
            }
            List<Diagnostic> diags = c.diagnostics().sorted();
            errors |= c.diagnostics().hasErrors();
            errorCount += c.diagnostics().errorCount();
            warningCount += c.diagnostics().warningCount();
            if (format == Format.json) {
                JsonObject f = new JsonObject();
                f.addProperty("file", file.toString());
                JsonArray models = new JsonArray();
                for (ModelIR m : c.rootModelsAsTrained()) models.add(SummaryJson.render(m));
                f.add("models", models);
                f.add("trainings", TrainingMemory.json(c));
                JsonArray ds = new JsonArray();
                for (Diagnostic d : diags) ds.add(JsonRenderer.render(d));
                f.add("diagnostics", ds);
                jsonFiles.add(f);
                continue;
            }
            if (!noSummary) {
                for (ModelIR m : c.rootModelsAsTrained()) out.println(Summary.render(m));
                out.print(TrainingMemory.text(c));
            }
            out.print(renderer.renderAll(new ArrayList<>(diags)));
        }
        if (format == Format.json) {
            JsonObject root = new JsonObject();
            root.add("files", jsonFiles);
            if (memory.isPresent()) root.addProperty("machineMemory", memory.getAsLong());
            else root.add("machineMemory", null);
            root.addProperty("errors", errorCount);
            root.addProperty("warnings", warningCount);
            out.println(new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(root));
        } else {
            out.println((errors ? "check failed: " : "check passed: ") + TextRenderer.tally(errorCount, warningCount));
        }
        out.flush();
        return errors ? Main.ERRORS : Main.OK;
    }
}
