package dev.dlx.compiler.train;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.LabelIR;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.data.LabelSpec.Encoding;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.layers.Role;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/**
 * Chollet's last-layer/loss table, checked: the loss against the labels' encoding, the model's
 * output against the labels, and the last activation against the loss (as lints).
 *
 * <pre>
 *   task                      labels           last layer          loss
 *   binary classification     binary (0/1)     dense 1 -> sigmoid  binary_crossentropy
 *   single-label, N classes   onehot           dense N -> softmax  categorical_crossentropy
 *   single-label, N classes   sparse (index)   dense N -> softmax  sparse_categorical_crossentropy
 *   regression, T targets     regression       dense T (linear)    mse, mae, huber
 *   a class at each of T steps sparse [T]       [T, N] softmax      sparse_categorical_crossentropy
 * </pre>
 * Per-step labels (a text source's `targets all`) need an output with the same steps, e.g. a
 * recurrent layer with `return_sequences` and then `dense N -> softmax`, which applies per step.
 */
final class LabelPairing {
    private LabelPairing() {}

    /**
     * Each model output against the label it trains on ({@link Pairing}); an output without a label
     * is an error, a named label no output trains on a warning. {@code at} is where the pairing is
     * written (the dataset's name in `train Net on digits`).
     */
    static void check(ModelIR model, DatasetIR data, LossSpec loss, Span at, Diagnostics sink) {
        if (loss == null) return;
        if (data == null || model == null) {
            LabelSpec labels = data == null ? null : data.labels();
            if (labels != null) lossFitsLabels(loss, labels, data, sink);
            return;
        }
        if (data.sampling() != null && data.namedLabels().isEmpty()) {
            sink.report(Diagnostic.error(Code.LOSS_LABEL_MISMATCH, loss.span(), "`" + loss.loss().word() + "` needs a label, but `"
                    + data.sampling().kind().word() + "` feed none")
                .label("no label to fit")
                .secondary(data.sampling().span(), "draws " + String.join(", ", data.sampling().kind().features()))
                .help("write the loss over the embeddings, e.g. `loss mean(relu(sqdist(ea, ep) - sqdist(ea, en) + 0.2))` where `ea`, `ep`, "
                    + "`en` encode the anchor, the positive and the negative"));
            return;
        }
        if (data.namedLabels().isEmpty() || model.outputs().isEmpty()) {
            // no labels (or a model that failed to check): the loss has nothing to fit, said once
            LabelSpec fed = data.namedLabels().isEmpty() ? data.labels() : data.namedLabels().get(0).spec();
            if (fed != null) lossFitsLabels(loss, fed, data, sink);
            if (model.outputs().size() == 1) lastActivation(model, model.outputs().get(0), loss, fed, sink);
            return;
        }
        Pairing pairing = Pairing.of(model, data);
        boolean classic = data.namedLabels().size() == 1 && !data.namedLabels().get(0).named();
        if (classic && model.outputs().size() > 1) {
            String outs = model.outputs().stream().map(n -> "`" + n.name() + "`").collect(java.util.stream.Collectors.joining(", "));
            Diagnostic.Builder b = Diagnostic.error(Code.OUTPUT_WITHOUT_LABEL, at, "model `" + model.name() + "` has "
                    + model.outputs().size() + " outputs (" + outs + "), but dataset `" + data.name() + "` has one unnamed label")
                .label("one label per sample");
            for (Node o : model.outputs()) b.secondary(headLayer(model, o).span(), "output `" + o.name() + "`");
            sink.report(b.help("name one label per output in the source, e.g. `labels " + model.outputs().get(0).name() + " 64, "
                + model.outputs().get(1).name() + " 65`, or return only the outputs that train"));
            return;
        }
        for (Pairing.Output p : pairing.outputs()) {
            if (p.label() == null) {
                unpaired(model, data, p.node(), at, sink);
                continue;
            }
            checkCall(model, p.node(), data, p.label().spec(), loss, sink);
        }
        for (LabelIR l : pairing.unusedLabels()) {
            sink.report(Diagnostic.warning(Code.LINT_UNUSED_DATA, l.span(), "label `" + l.name() + "` trains no output of model `"
                    + model.name() + "`")
                .label("never used")
                .secondary(at, "trained here")
                .help("name a model output `" + l.name() + "` (`let " + l.name() + " = ...`, then `return " + l.name() + ", ...`), "
                    + "or leave the column out of the source"));
        }
    }

    private static void unpaired(ModelIR model, DatasetIR data, Node out, Span at, Diagnostics sink) {
        List<LabelIR> labels = data.namedLabels();
        String names = labels.stream().map(l -> "`" + l.name() + "`").collect(java.util.stream.Collectors.joining(", "));
        Node head = headLayer(model, out);
        var close = dev.dlx.compiler.schema.Suggest.closest(out.name(), labels.stream().map(LabelIR::name).toList());
        sink.report(Diagnostic.error(Code.OUTPUT_WITHOUT_LABEL, head.span(),
                "output `" + out.name() + "` of model `" + model.name() + "` has no label in dataset `" + data.name() + "`")
            .label("no label, no loss")
            .secondary(at, "labels here: " + names)
            .help(close.map(c -> "rename label `" + c + "` to `" + out.name() + "`, or the output to `" + c + "`")
                .orElse("name a label `" + out.name() + "` in the source (`labels " + out.name() + " N`), or return only the outputs that train")));

    }

    /**
     * One built-in loss on its arguments: {@code prediction} is the model node it is applied to (null
     * when it is applied to something else), {@code labels} the dataset labels it is applied to (null
     * when its target is something else).
     */
    static void checkCall(ModelIR model, Node prediction, DatasetIR data, LabelSpec labels, LossSpec loss, Diagnostics sink) {
        boolean paired = labels == null || lossFitsLabels(loss, labels, data, sink);
        if (prediction == null) return;
        lastActivation(model, prediction, loss, labels, sink);
        if (paired && labels != null && labels.encoding() != Encoding.NONE) outputFitsLabels(model, prediction, loss, labels, data, sink);
    }

    // ------------------------------------------------------------------ loss and labels

    private static boolean lossFitsLabels(LossSpec loss, LabelSpec labels, DatasetIR data, Diagnostics sink) {
        Loss l = loss.loss();
        Encoding e = labels.encoding();
        if (e == Encoding.NONE) {
            boolean has = data.source() != null && data.source().hasLabels();
            sink.report(Diagnostic.error(Code.LOSS_LABEL_MISMATCH, loss.nameSpan(), has
                    ? "dataset `" + data.name() + "` does not say how its labels are encoded"
                    : "dataset `" + data.name() + "` has no labels to train `" + l.word() + "` on")
                .label("needs labels")
                .help(has ? "add " + exampleLabels(l) + " to the dataset"
                    : "name the label column in the dataset's source (`label N`) and add " + exampleLabels(l)));
            return false;
        }
        String help = switch (l) {
            case CATEGORICAL_CROSSENTROPY -> switch (e) {
                case ONEHOT -> null;
                case SPARSE -> "use `loss sparse_categorical_crossentropy`, or `labels classes " + labels.classes() + " onehot`";
                case BINARY -> "use `loss binary_crossentropy`, or `labels classes 2 onehot`";
                default -> "use a regression loss such as `loss mse`";
            };
            case SPARSE_CATEGORICAL_CROSSENTROPY -> switch (e) {
                case SPARSE -> null;
                case ONEHOT -> "use `loss categorical_crossentropy`, or `labels classes " + labels.classes() + " sparse`";
                case BINARY -> "use `loss binary_crossentropy`, or `labels classes 2 sparse`";
                default -> "use a regression loss such as `loss mse`";
            };
            case BINARY_CROSSENTROPY -> switch (e) {
                case BINARY -> null;
                case SPARSE -> labels.classes() == 2 ? null : "use `loss sparse_categorical_crossentropy` for " + labels.classes() + " classes";
                case ONEHOT -> labels.classes() == 2 ? "use `loss categorical_crossentropy`, or `labels classes 2 binary`"
                    : "use `loss categorical_crossentropy` for " + labels.classes() + " classes";
                default -> "use a regression loss such as `loss mse`";
            };
            case MSE, MAE, HUBER -> e == Encoding.REGRESSION ? null
                : e == Encoding.BOXES ? "boxes train a `yolo` head with `loss yolo`"
                : "use a classification loss such as `loss " + lossFor(e).word() + "`, or `labels regression` for numeric targets";
            case YOLO -> e == Encoding.BOXES ? null : "`loss yolo` trains on boxes (`source coco` or `source yolo`); use `loss " + lossFor(e).word() + "`";
        };
        if (help == null && e == Encoding.BOXES && l != Loss.YOLO) help = "boxes train a `yolo` head with `loss yolo`";
        if (help == null) return true;
        sink.report(Diagnostic.error(Code.LOSS_LABEL_MISMATCH, loss.nameSpan(),
                "`" + l.word() + "` needs " + wants(l) + ", but dataset `" + data.name() + "` has " + describe(labels))
            .label("does not fit the labels")
            .secondary(labels.span(), describe(labels))
            .help(help));
        return false;
    }

    private static String wants(Loss l) {
        return switch (l) {
            case CATEGORICAL_CROSSENTROPY -> "one-hot labels";
            case SPARSE_CATEGORICAL_CROSSENTROPY -> "class-index (sparse) labels";
            case BINARY_CROSSENTROPY -> "binary (0/1) labels";
            case MSE, MAE, HUBER -> "numeric regression targets";
            case YOLO -> "boxes";
        };
    }

    static String describe(LabelSpec labels) {
        return switch (labels.encoding()) {
            case ONEHOT -> "one-hot labels over " + labels.classes() + " classes";
            case SPARSE -> "class-index labels over " + labels.classes() + " classes";
            case BINARY -> "binary labels";
            case REGRESSION -> labels.targets() + " regression target" + (labels.targets() == 1 ? "" : "s");
            case BOXES -> "boxes over " + labels.classes() + " classes (at most " + labels.targets() + " an image)";
            case NONE -> "no labels";
        };
    }

    /** The loss that suits an encoding. */
    static Loss lossFor(Encoding e) {
        return switch (e) {
            case ONEHOT -> Loss.CATEGORICAL_CROSSENTROPY;
            case SPARSE -> Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
            case BINARY -> Loss.BINARY_CROSSENTROPY;
            case REGRESSION, NONE -> Loss.MSE;
            case BOXES -> Loss.YOLO;
        };
    }

    private static String exampleLabels(Loss l) {
        return switch (l) {
            case CATEGORICAL_CROSSENTROPY -> "`labels classes N onehot`";
            case SPARSE_CATEGORICAL_CROSSENTROPY -> "`labels classes N sparse`";
            case BINARY_CROSSENTROPY -> "`labels binary`";
            case MSE, MAE, HUBER -> "`labels regression`";
            case YOLO -> "`source coco \"boxes.json\"`";
        };
    }

    // ------------------------------------------------------------------ output and labels

    private static void outputFitsLabels(ModelIR model, Node out, LossSpec loss, LabelSpec labels, DatasetIR data, Diagnostics sink) {
        Shape given = out.shape();
        if (given == null || given.isUnknown()) return;
        if (labels.encoding() == Encoding.BOXES) {
            YoloOutput.check(model, out, headLayer(model, out), labels, sink);
            return;
        }
        if (labels.isClassification() && labels.classes() <= 0) return; // the classes are a data file's, not read yet
        long units = switch (labels.encoding()) {
            case ONEHOT -> labels.classes();
            case SPARSE -> loss.loss() == Loss.BINARY_CROSSENTROPY ? 1 : labels.classes();
            case BINARY -> 1;
            case REGRESSION -> labels.targets();
            case BOXES, NONE -> -1;
        };
        boolean perStep = labels.encoding() == Encoding.SPARSE && labels.shape().rank() == 1;
        Shape wanted = perStep ? Shape.of(labels.shape().dim(0).size(), units) : Shape.of(units);
        if (given.compatible(wanted)) return;
        Node head = headLayer(model, out);
        if (perStep) {
            long steps = labels.shape().dim(0).size();
            Diagnostic.Builder b = Diagnostic.error(Code.LABEL_OUTPUT_MISMATCH, head.span(),
                    "model `" + model.name() + "` outputs " + given + ", but a label at each of " + steps + " steps over "
                        + labels.classes() + " classes needs " + wanted)
                .label("outputs " + given)
                .secondary(labels.span(), "a label per step");
            boolean tagged = data != null && data.source() instanceof dev.dlx.compiler.data.TaggedSource;
            if (tagged) {
                b.note("`source tagged` labels every step of a row with its token's tag (padded steps count in no loss or metric)")
                    .help(given.rank() == 1 ? "keep the steps: `return_sequences true` on the last recurrent layer, then `dense " + units
                        + " -> softmax` (it applies per step)"
                        : "end the model with `dense " + units + " -> softmax` on [" + steps + ", features] (`length " + steps + "` in the source)");
            } else if (given.rank() == 1) {
                b.note("`targets all` labels every step of the window with the token that follows it")
                    .help("keep the steps: `return_sequences true` on the last recurrent layer, then `dense " + units
                        + " -> softmax` (it applies per step); or drop `targets all` for one label per window");
            } else {
                b.help("end the model with `dense " + units + " -> softmax` on [" + steps + ", features]");
            }
            sink.report(b);
            return;
        }
        String what = labels.encoding() == Encoding.REGRESSION ? describe(labels)
            : units == 1 ? "binary labels" : labels.classes() + " classes";
        Diagnostic.Builder b = Diagnostic.error(Code.LABEL_OUTPUT_MISMATCH, head.span(),
                "model `" + model.name() + "` outputs " + given + ", but " + what + " need " + wanted)
            .label("outputs " + given)
            .secondary(labels.span(), what);
        String act = units == 1 && labels.isClassification() ? " -> sigmoid"
            : labels.isClassification() ? " -> softmax" : "";
        if (given.rank() > 1 && head.kind() instanceof dev.dlx.compiler.layers.Dense) {
            b.help("flatten the features before the last layer: insert `flatten` before `" + head.span().text() + "`");
        } else if (given.rank() > 1 && given.fullyKnown() && given.elements() == units && !labels.isClassification()) {
            b.help("end the model with `flatten`: its " + given + " output holds the " + units + " values");
        } else if (given.rank() > 1) {
            b.help("end the model with `flatten` and then `dense " + units + act + "`");
        } else if (head.kind() instanceof dev.dlx.compiler.layers.Dense) {
            b.help("end the model with `dense " + units + act + "`");
        } else {
            b.help("end the model with a layer of " + units + " unit" + (units == 1 ? "" : "s"));
        }
        sink.report(b);
    }

    /** The layer that decides the output width: the output, or the layer before trailing activations and dropout. */
    static Node headLayer(ModelIR model, Node out) {
        Node n = out;
        while (n.kind() != null && n.inputs().size() == 1
                && (n.kind().role() == Role.ACTIVATION || n.kind().role() == Role.DROPOUT)) {
            Node prev = model.node(n.inputs().get(0));
            if (prev.isInput()) break;
            n = prev;
        }
        return n;
    }

    /** The activation the model ends with, past trailing dropout; null when it ends otherwise. */
    static Node lastActivationNode(ModelIR model, Node out) {
        Node n = out;
        while (n.kind() != null && n.kind().role() == Role.DROPOUT && n.inputs().size() == 1) n = model.node(n.inputs().get(0));
        return n.kind() != null && n.kind().role() == Role.ACTIVATION ? n : null;
    }

    // ------------------------------------------------------------------ last activation and loss (lints)

    /** A cross-entropy on a linear output reads raw scores as probabilities: training stays near chance. */
    private static void linearHead(ModelIR model, Node out, LossSpec loss, Diagnostics sink) {
        Node head = headLayer(model, out);
        String wanted = loss.loss() == Loss.BINARY_CROSSENTROPY ? "sigmoid" : "softmax";
        sink.report(Diagnostic.warning(Code.LINT_LINEAR_CROSSENTROPY, head.span(),
                "the model ends without `" + wanted + "`, but `" + loss.loss().word() + "` expects probabilities")
            .label("linear output: any real number")
            .secondary(loss.nameSpan(), "takes probabilities")
            .note("the loss clips the raw scores into [1e-7, 1 - 1e-7]; outside that range their gradient is 0, so training stays near chance")
            .help("end with `" + head.span().text() + " -> " + wanted + "`, or write `loss " + loss.loss().word()
                + " from_logits` to train on the raw scores"));
    }

    private static void lastActivation(ModelIR model, Node out, LossSpec loss, LabelSpec labels, Diagnostics sink) {
        Node act = lastActivationNode(model, out);
        String fn = act == null ? "linear" : act.kindName();
        Loss l = loss.loss();
        if (l == Loss.BINARY_CROSSENTROPY && fn.equals("softmax")) {
            sink.report(Diagnostic.warning(Code.LINT_SOFTMAX_BINARY, act.span(), "softmax output with `binary_crossentropy`")
                .label("softmax makes the outputs sum to 1")
                .secondary(loss.nameSpan(), "binary cross-entropy")
                .note("a single softmax unit always outputs 1; several are not independent probabilities")
                .help("use `sigmoid` with binary cross-entropy, or `loss categorical_crossentropy` with softmax"));
        }
        if (l.isClassification() && !loss.fromLogits() && fn.equals("linear")) linearHead(model, out, loss, sink);
        long classes = labels != null && labels.isClassification() ? labels.classes()
            : out.shape() != null && !out.shape().isUnknown() && out.shape().rank() >= 1 && out.shape().last().known()
                ? out.shape().last().size() : -1;
        if (l.isMulticlass() && fn.equals("sigmoid") && classes > 2) {
            sink.report(Diagnostic.warning(Code.LINT_SIGMOID_MULTICLASS, act.span(),
                    "sigmoid output with `" + l.word() + "` over " + classes + " classes")
                .label("independent probabilities")
                .secondary(loss.nameSpan(), "single-label loss")
                .help("use `softmax` for single-label classification over several classes"));
        }
        if (l.isRegression() && act != null && !fn.equals("linear")) {
            sink.report(Diagnostic.warning(Code.LINT_REGRESSION_ACTIVATION, act.span(),
                    "regression head ends with `" + fn + "`")
                .label("bounds the predictions")
                .secondary(loss.nameSpan(), "regression loss")
                .help("remove the activation: a regression head is linear"));
        }
    }
}
