package dev.dlx.cli;

import dev.dlx.aot.freeze.FrozenRun;
import dev.dlx.aot.gen.JavaNames;
import dev.dlx.aot.jar.ModelJar;
import dev.dlx.runtime.run.OutputGuard;
import dev.dlx.runtime.run.SavedRun;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `dlxc build FILE|RUN [-o model.jar]`. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Builds a runnable JAR of a trained model: a typed Java class generated for it (input and output shapes as "
            + "constants, predict for one sample and for a batch, close; a model with several outputs gets predictNAME per output "
            + "and predict for all), its frozen graph and weights as resources, and "
            + "TensorFlow Java merged in. `java -jar model.jar predict input.csv` prints predictions as `dlxc predict` does.",
            "FILE|RUN: a run folder, or a .dlx file (its model's newest run under --runs)."})
final class BuildCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE|RUN", description = "a run folder, or a .dlx file")
    Path target;

    @Option(names = {"-o", "--output"}, paramLabel = "JAR", description = "the JAR to write (default: <Model>.jar)")
    Path output;

    @Option(names = "--package", paramLabel = "NAME", description = "the class's package (default: dlx.models.<file name>)")
    String packageName;

    @Option(names = "--class", paramLabel = "NAME", description = "the class's simple name (default: the model's name)")
    String className;

    @Option(names = "--thin", description = "leave the dependencies out; the JAR's Class-Path names them where they are on this machine")
    boolean thin;

    @Mixin TrainedRunOptions trained;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (!trained.valid("build", err)) return Main.USAGE;
        if (packageName != null && JavaNames.checkPackage(packageName) != null) {
            err.println("dlxc build: --package " + JavaNames.checkPackage(packageName));
            return Main.USAGE;
        }
        if (className != null && JavaNames.checkClass(className) != null) {
            err.println("dlxc build: --class " + JavaNames.checkClass(className));
            return Main.USAGE;
        }
        SavedRun run = trained.open(target, "build", err);
        if (run == null) return Main.ERRORS;
        String source = Path.of(run.run().get("file").getAsString()).getFileName().toString();
        String pkg = packageName != null ? packageName : JavaNames.defaultPackage(source);
        String simple = className != null ? className : JavaNames.defaultClass(run.model().name());
        String fqcn = pkg + "." + simple;
        Path jar = output != null ? output : Path.of(simple + ".jar");
        String problem = OutputGuard.fileProblem(jar, java.util.List.of(target, run.folder().dir()), true);
        if (problem != null) {
            Main.refuse("build", problem, err);
            return Main.USAGE;
        }
        try {
            long started = System.nanoTime();
            ModelJar.Written w = ModelJar.write(FrozenRun.of(run), fqcn, jar, thin);
            boolean several = run.model().inputs().size() > 1 || run.model().outputs().size() > 1;
            out.println(String.format(Locale.ROOT, "built %s: class %s (%s -> %s, %s weights of %s), %,d entries, %s, %.1f s",
                jar, fqcn, several ? named(run.model().inputs(), run.model().inputShapes()) : run.model().inputShapes().get(0),
                several ? named(run.model().outputs(), run.model().outputShapes()) : run.model().outputShapes().get(0), run.checkpointName(),
                run.folder().dir().getFileName(), w.entries(), size(w.bytes()), (System.nanoTime() - started) / 1e9));
            out.println("  run it:  java -jar " + jar + " predict INPUT.csv" + (thin ? "   (thin: needs the dependency JARs named in its Class-Path)" : ""));
            if (several) {
                String args = String.join(", ", run.model().inputs().stream().map(n -> dev.dlx.aot.gen.JavaNames.parameter(n.name())).toList());
                out.println("  use it:  try (var m = " + simple + ".load()) { float[] p = m.predict"
                    + dev.dlx.aot.gen.JavaNames.capitalized(run.model().outputs().get(0).name()) + "(" + args + "); }");
            } else {
                out.println("  use it:  try (var m = " + simple + ".load()) { float[] p = m.predict(sample); }");
            }
            return Main.OK;
        } catch (IllegalArgumentException e) {
            err.println("dlxc build: " + e.getMessage());
            return Main.ERRORS;
        } catch (java.io.IOException e) {
            err.println("dlxc build: cannot write `" + jar + "`: " + e.getMessage());
            return Main.ERRORS;
        }
    }

    static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0) : String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
    }

    /** `left [4], right [2, 1]`: each tensor's name and shape. */
    private static String named(java.util.List<dev.dlx.compiler.ir.Node> nodes, java.util.List<dev.dlx.compiler.shape.Shape> shapes) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) out.add(nodes.get(i).name() + " " + shapes.get(i));
        return String.join(", ", out);
    }
}
