package dev.dlx.compiler.check;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.layers.BatchNorm;
import dev.dlx.compiler.layers.Biased;
import dev.dlx.compiler.layers.Dropout;
import dev.dlx.compiler.layers.Role;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The cheatsheets' tips about a model's structure, as warnings with a reason and a fix. */
final class GraphLints {
    private GraphLints() {}

    static void check(ModelIR model, Diagnostics sink) {
        for (Node n : model.layers()) {
            if (n.shared() != null) continue; // a used model's layers are linted where it is declared
            switch (n.kind().role()) {
                case DROPOUT -> dropout(model, n, sink);
                case CONV, DENSE -> biasBeforeBatchNorm(model, n, sink);
                default -> { }
            }
        }
        for (Node out : model.outputs()) if (out.kind() != null && out.kind().role() == Role.DROPOUT) dropoutAtOutput(model, out, sink);
    }

    private static void dropoutAtOutput(ModelIR model, Node n, Diagnostics sink) {
        Node before = model.node(n.inputs().get(0));
        boolean activation = before.kind() != null && before.kind().role() == Role.ACTIVATION;
        Diagnostic.Builder b = Diagnostic.warning(Code.LINT_DROPOUT_AFTER_OUTPUT, n.span(),
                activation ? "dropout after the output activation `" + before.kindName() + "`" : "dropout on the model's output")
            .label("zeroes predictions during training");
        if (activation) b.secondary(before.span(), "the model's output");
        sink.report(b.note("dropped outputs are 0 and the rest are scaled by 1/(1-rate): the loss sees predictions the model never makes")
            .help("move the dropout before the last layer"));
    }

    private static void dropout(ModelIR model, Node n, Diagnostics sink) {
        double rate = n.settings(Dropout.Settings.class).rate();
        if (rate > 0.5) {
            sink.report(Diagnostic.warning(Code.LINT_HIGH_DROPOUT, n.attrs().span("rate"),
                    "dropout rate " + trim(rate) + " drops most of the layer's input")
                .label("above 0.5")
                .help("rates between 0.2 and 0.5 are usual; regularize further with more data or weight decay"));
        }
        if (reaches(model, n, true) && reaches(model, n, false)) {
            sink.report(Diagnostic.warning(Code.LINT_DROPOUT_IN_CONV, n.span(), "dropout between convolutional layers")
                .label("inside the convolutional part")
                .note("neighbouring pixels are correlated, so dropping single activations hardly regularizes a feature map")
                .help("use `batchnorm` or data augmentation between convolutions, and keep dropout for the dense part"));
        }
    }

    /** Whether a convolution is met going up (or down) from {@code start} through layers that keep a feature map. */
    private static boolean reaches(ModelIR model, Node start, boolean upward) {
        Deque<Node> work = new ArrayDeque<>();
        Set<Integer> seen = new HashSet<>();
        work.add(start);
        while (!work.isEmpty()) {
            Node n = work.poll();
            List<Node> next = upward ? n.inputs().stream().map(model::node).toList() : model.consumers(n.id());
            for (Node m : next) {
                if (!seen.add(m.id()) || m.isInput()) continue;
                Role r = m.kind().role();
                if (r == Role.CONV) return true;
                if (r == Role.ACTIVATION || r == Role.NORMALIZATION || r == Role.POOL && m.shape().rank() > 1
                        || r == Role.DROPOUT || r == Role.MERGE) {
                    work.add(m);
                }
            }
        }
        return false;
    }

    private static void biasBeforeBatchNorm(ModelIR model, Node n, Diagnostics sink) {
        if (!(n.settings() instanceof Biased w) || !w.bias() || n.attrs().given("bias")) return; // an explicit `bias true` is deliberate
        List<Node> consumers = model.consumers(n.id());
        if (consumers.size() == 1 && consumers.get(0).settings() instanceof BatchNorm.Settings norm && norm.center()) {
            sink.report(Diagnostic.warning(Code.LINT_BIAS_BEFORE_BATCHNORM, n.span(),
                    "`" + n.spelling() + "` adds a bias that the following `batchnorm` cancels")
                .label("bias is redundant here")
                .secondary(consumers.get(0).span(), "subtracts the batch mean; its β is the bias")
                .help("write `bias false` on this layer"));
        }
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
