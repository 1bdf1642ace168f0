package dev.dlx.compiler.train;

import dev.dlx.compiler.data.KindTable;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import java.util.List;

/**
 * `regularize l2 1e-4 [on dense_1 dense_2]`: a weight penalty added to the loss. LASSO (l1) adds
 * λ||θ||₁, ridge (l2) λ||θ||₂², elastic net λ[(1-α)||θ||₁ + α||θ||₂²].
 *
 * @param layers the layers whose kernels are penalized, resolved to layer names; empty means
 *               every layer with weights
 */
public record Regularizer(Kind kind, double lambda, double alpha, List<String> layers, Span layersSpan, Span span) {

    public enum Kind { L1, L2, ELASTIC_NET }

    public Regularizer { layers = List.copyOf(layers); }

    Regularizer withLayers(List<String> resolved) { return new Regularizer(kind, lambda, alpha, resolved, layersSpan, span); }

    private static Attr lambdaAttr() {
        return Attr.of("lambda", Type.FLOAT, "strength λ of the penalty").positional().required().atLeast(0);
    }

    private static Attr onAttr() {
        return Attr.of("on", Type.NAMES, "the layers to penalize (all layers with weights when left out)");
    }

    @SuppressWarnings("unchecked")
    private static Regularizer make(Kind kind, Attrs a, RuleContext ctx) {
        double alpha = a.get("alpha") == null ? (kind == Kind.L2 ? 1 : 0) : a.number("alpha");
        return new Regularizer(kind, a.number("lambda"), alpha, (List<String>) a.get("on"),
            a.given("on") ? a.span("on") : null, ctx.span());
    }

    public static final KindTable<RuleContext, Regularizer> TABLE = new KindTable<>("regularizer",
        new KindTable.Kind<>("l1", "LASSO: + λ||θ||₁, drives weights to zero", Schema.of(lambdaAttr(), onAttr()),
            (a, ctx) -> make(Kind.L1, a, ctx)),
        new KindTable.Kind<>("l2", "ridge: + λ||θ||₂², keeps weights small", Schema.of(lambdaAttr(), onAttr()),
            (a, ctx) -> make(Kind.L2, a, ctx)),
        new KindTable.Kind<>("elastic_net", "+ λ[(1-α)||θ||₁ + α||θ||₂²]",
            Schema.of(lambdaAttr(), Attr.of("alpha", Type.FLOAT, "share α of the l2 term").defaults(0.5).atLeast(0).atMost(1), onAttr()),
            (a, ctx) -> make(Kind.ELASTIC_NET, a, ctx)));
}
