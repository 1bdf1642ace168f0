package dev.dlx.cli;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.train.Loss;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.compiler.train.expr.LossExpr;
import dev.dlx.runtime.gradcheck.GradientCheck;
import dev.dlx.runtime.gradcheck.GradientCheckReport;
import dev.dlx.runtime.loss.ExprLowering;
import dev.dlx.runtime.run.Programs;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** `dlxc gradcheck FILE`: analytical against numerical gradients, layer by layer. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true,
        description = {"Checks each model's gradients: TensorFlow's analytical gradient against the central difference "
            + "(f(x+h) - f(x-h)) / 2h, in float64 on a random batch, for a sample of entries of every trainable weight and input. "
            + "Entries whose step crosses a point where the model is not differentiable (relu at 0, a max-pooling tie) are left "
            + "out and counted. Prints the largest relative error per layer. The loss is the training block's (else one that fits the last layer).",
            "Exit code 0 when every error is below the tolerance, 1 otherwise."})
final class GradcheckCommand implements Callable<Integer> {
    /** Below this absolute error, a large relative error is a zero gradient seen through finite-difference noise. */
    static final double ZERO_GRADIENT = 1e-7;

    @Parameters(paramLabel = "FILE", description = "the .dlx file")
    Path file;

    @Option(names = "--model", paramLabel = "NAME", description = "check only this model")
    String model;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "10", description = "entries checked per tensor (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "3", description = "samples in the random batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed of the weights, batch and entries (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--tolerance", paramLabel = "T", defaultValue = "1e-4", description = "largest acceptable relative error (default: ${DEFAULT-VALUE})")
    double tolerance;

    @Option(names = "--detail", description = "print every tensor, not only the per-layer summary")
    boolean detail;

    @Spec CommandSpec spec;

    @Override public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Compilation c = Programs.compile(file, err);
        if (c == null) return Files.exists(file) ? Main.ERRORS : Main.USAGE;
        List<ModelIR> models = new ArrayList<>(c.rootModels());
        if (model != null) models.removeIf(m -> !m.name().equals(model));
        if (models.isEmpty()) {
            err.println("dlxc gradcheck: no model" + (model == null ? "" : " named `" + model + "`") + " in `" + file + "`");
            return Main.ERRORS;
        }
        boolean ok = true;
        for (ModelIR m : models) {
            Loss loss = lossFor(m, c);
            LossExpr objective = objectiveFor(m, c);
            out.println("gradient check of `" + m.name() + "` with " + (objective == null ? loss.word() : "`" + objective.span().text() + "`")
                + " (float64, batch " + batch + ", " + samples + " entries per tensor, h = 1e-5)");
            out.flush();
            GradientCheckReport report;
            try {
                report = GradientCheck.run(m, new GradientCheck.Options(loss, batch, samples, 1e-5, seed, 5, objective));
            } catch (RuntimeException e) {
                err.println("error: the gradient check of `" + m.name() + "` failed: " + e.getMessage());
                ok = false;
                continue;
            }
            if (detail) out.print(report.format());
            // an entry can fail because x ± h straddles a kink (relu at 0, a max-pooling tie), where the
            // central difference is not the derivative: such entries are checked again with a step 100 times smaller
            GradientCheckReport fine = null;
            if (report.entries().stream().anyMatch(e -> e.maxRelativeError() > tolerance && e.maxAbsoluteError() >= ZERO_GRADIENT)) {
                try {
                    fine = GradientCheck.run(m, new GradientCheck.Options(loss, batch, samples, 1e-7, seed, 5, objective));
                } catch (RuntimeException e) {
                    fine = null;
                }
            }
            List<GradientCheckReport.Entry> kinks = new ArrayList<>();
            // per layer: the largest errors, and whether an entry fails or only shows a zero gradient
            Map<String, double[]> byLayer = new LinkedHashMap<>();
            Map<String, String> kinds = new LinkedHashMap<>();
            Map<String, Integer> verdicts = new LinkedHashMap<>();
            List<GradientCheckReport.Entry> zeros = new ArrayList<>();
            boolean modelOk = true;
            for (GradientCheckReport.Entry e : report.entries()) {
                double[] v = byLayer.computeIfAbsent(e.layer(), k -> new double[2]);
                v[0] = Math.max(v[0], e.maxRelativeError());
                v[1] = Math.max(v[1], e.maxAbsoluteError());
                kinds.put(e.layer(), e.kind());
                int verdict = e.maxRelativeError() <= tolerance ? 0 : e.maxAbsoluteError() < ZERO_GRADIENT ? 1 : 2;
                if (verdict == 2 && fine != null && passesFinely(fine, e)) {
                    verdict = 1;
                    kinks.add(e);
                } else if (verdict == 1) {
                    zeros.add(e);
                }
                if (verdict == 2) modelOk = false;
                verdicts.merge(e.layer(), verdict, Math::max);
            }
            int width = Math.max(20, byLayer.keySet().stream().mapToInt(String::length).max().orElse(0) + 1);
            out.println(String.format(Locale.ROOT, "%-" + width + "s %-10s %12s %12s", "layer", "kind", "rel. error", "abs. error"));
            for (Map.Entry<String, double[]> e : byLayer.entrySet()) {
                int verdict = verdicts.get(e.getKey());
                out.println(String.format(Locale.ROOT, "%-" + width + "s %-10s %12.3e %12.3e  %s", e.getKey(), kinds.get(e.getKey()), e.getValue()[0],
                    e.getValue()[1], verdict == 0 ? "ok" : verdict == 2 ? "FAIL"
                        : kinks.stream().anyMatch(k -> k.layer().equals(e.getKey())) ? "ok (a kink, see below)" : "ok (zero gradient)"));
            }
            for (GradientCheckReport.Entry e : kinks) {
                out.println("note: `" + e.layer() + "/" + e.tensor() + "` agrees with h = 1e-7 (" + String.format(Locale.ROOT, "%.1e",
                    fine.entries().stream().filter(f -> same(f, e)).findFirst().orElseThrow().maxRelativeError())
                    + "): with h = 1e-5 a step crossed a kink (relu at 0, a max-pooling tie), where differences are not derivatives");
            }
            for (GradientCheckReport.Entry e : report.entries()) {
                if (e.excluded() == 0) continue;
                int all = e.checked() + e.excluded();
                out.println("note: " + e.excluded() + " of " + all + " entries of `" + e.layer() + "/" + e.tensor() + "` left out: "
                    + "x ± h crosses a point where the model is not differentiable (relu at 0, a max-pooling tie), "
                    + "where no difference is a derivative" + (e.checked() == 0 ? "; none was left to compare" : ""));
            }
            for (GradientCheckReport.Entry e : zeros) {
                out.println("note: the gradient of `" + e.layer() + "/" + e.tensor() + "` is zero (for example a bias right before "
                    + "batchnorm, whose mean subtraction cancels it): its relative error of "
                    + String.format(Locale.ROOT, "%.1e", e.maxRelativeError()) + " is finite-difference noise, not a bug");
            }
            ok &= modelOk;
            double largest = report.entries().stream().filter(e -> !zeros.contains(e) && !kinks.contains(e))
                .mapToDouble(GradientCheckReport.Entry::maxRelativeError).max().orElse(0);
            out.println(String.format(Locale.ROOT, "largest relative error %.3e%s: %s", largest,
                zeros.isEmpty() && kinks.isEmpty() ? "" : " (zero gradients and kinks aside)",
                modelOk ? "the gradients agree (tolerance " + tolerance + ")" : "some gradients disagree (tolerance " + tolerance + ")"));
            out.println();
            out.flush();
        }
        return ok ? Main.OK : Main.ERRORS;
    }

    private static boolean same(GradientCheckReport.Entry a, GradientCheckReport.Entry b) {
        return a.layer().equals(b.layer()) && a.tensor().equals(b.tensor());
    }

    /** Whether the entry agrees in the check with the smaller step. */
    private boolean passesFinely(GradientCheckReport fine, GradientCheckReport.Entry e) {
        return fine.entries().stream().filter(f -> same(f, e)).anyMatch(f -> f.maxRelativeError() <= tolerance);
    }

    /** The training block's loss when it is an expression other than a one-word loss, else null. */
    static LossExpr objectiveFor(ModelIR m, Compilation c) {
        for (TrainIR t : c.trainings()) {
            if (t.model().equals(m.name()) && t.objective() != null) return ExprLowering.isPlain(t.objective()) ? null : t.objective();
        }
        return null;
    }

    /** The training block's loss for this model, else one that fits its last layer. */
    static Loss lossFor(ModelIR m, Compilation c) {
        for (TrainIR t : c.trainings()) if (t.model().equals(m.name()) && t.loss() != null) return t.loss().loss();
        Node last = m.outputs().get(0);
        String kind = last.kindName();
        if (kind.equals("softmax") || (kind.equals("activation") && last.spelling().contains("softmax"))) return Loss.CATEGORICAL_CROSSENTROPY;
        if (kind.equals("sigmoid")) return Loss.BINARY_CROSSENTROPY;
        return Loss.MSE;
    }
}
