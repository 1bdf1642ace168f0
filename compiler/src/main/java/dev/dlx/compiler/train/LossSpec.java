package dev.dlx.compiler.train;

import dev.dlx.compiler.data.KindTable;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * `loss categorical_crossentropy [label_smoothing 0.1] [from_logits]`, `loss huber [delta 1]`.
 *
 * @param labelSmoothing for the cross-entropies: targets move this far towards uniform (0 = off)
 * @param fromLogits     for the cross-entropies: the model outputs logits, not probabilities
 * @param delta          for `huber`: where the loss turns from quadratic to linear
 * @param nameSpan       the loss's name as written
 */
public record LossSpec(Loss loss, double labelSmoothing, boolean fromLogits, double delta, Span nameSpan, Span span) {

    public static final KindTable<RuleContext, LossSpec> TABLE = table();

    private static KindTable<RuleContext, LossSpec> table() {
        List<KindTable.Kind<RuleContext, LossSpec>> kinds = new ArrayList<>();
        for (Loss l : Loss.values()) {
            List<Attr> attrs = new ArrayList<>();
            if (l == Loss.BINARY_CROSSENTROPY || l == Loss.CATEGORICAL_CROSSENTROPY) {
                attrs.add(Attr.of("label_smoothing", Type.FLOAT, "move targets towards uniform by this much").defaults(0.0)
                    .atLeast(0).below(1));
            }
            if (l.isClassification()) {
                attrs.add(Attr.of("from_logits", Type.BOOL, "the model outputs logits rather than probabilities").defaults(false));
            }
            if (l == Loss.HUBER) {
                attrs.add(Attr.of("delta", Type.FLOAT, "error size where the loss turns from quadratic to linear").defaults(1.0).above(0));
            }
            kinds.add(new KindTable.Kind<>(l.word(), doc(l), new Schema(attrs), (a, ctx) -> build(l, a, ctx)));
        }
        return new KindTable<>("loss", kinds);
    }

    private static LossSpec build(Loss l, Attrs a, RuleContext ctx) {
        double smoothing = a.given("label_smoothing") || a.get("label_smoothing") != null ? a.number("label_smoothing") : 0;
        double delta = a.get("delta") != null ? a.number("delta") : 1.0;
        return new LossSpec(l, smoothing, a.flag("from_logits"), delta, ctx.kindSpan(), ctx.span());
    }

    private static String doc(Loss l) {
        return switch (l) {
            case BINARY_CROSSENTROPY -> "-[y log z + (1 - y) log(1 - z)]: 0/1 labels, a sigmoid output";
            case CATEGORICAL_CROSSENTROPY -> "-sum y_i log z_i: one-hot labels, a softmax output";
            case SPARSE_CATEGORICAL_CROSSENTROPY -> "-log z_y: class-index labels, a softmax output";
            case MSE -> "mean squared error, for regression";
            case MAE -> "mean absolute error, for regression";
            case HUBER -> "squared error for small errors, absolute for large ones, for regression";
            case YOLO -> "YOLO: box position and size, objectness and class, weighted 5 and 0.5 as in the paper; a `yolo` head and box labels";
        };
    }
}
