package dev.dlx.compiler.train;

import dev.dlx.compiler.data.KindTable;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;

/**
 * `clip value 0.5 | norm 1.0 | global_norm 5`: gradient clipping, element-wise to [-v, v], per
 * tensor to an L2 norm, or over all gradients together to a global norm.
 */
public record Clip(Kind kind, double threshold, Span span) {

    public enum Kind { VALUE, NORM, GLOBAL_NORM }

    private static KindTable.Kind<RuleContext, Clip> kind(String word, Kind kind, String doc) {
        return new KindTable.Kind<>(word, doc,
            Schema.of(Attr.of("threshold", Type.FLOAT, "the bound").positional().required().above(0)),
            (a, ctx) -> new Clip(kind, a.number("threshold"), ctx.span()));
    }

    public static final KindTable<RuleContext, Clip> TABLE = new KindTable<>("clipping mode",
        kind("value", Kind.VALUE, "clip every gradient element to [-v, v]"),
        kind("norm", Kind.NORM, "rescale each gradient tensor to at most this L2 norm"),
        kind("global_norm", Kind.GLOBAL_NORM, "rescale all gradients together to at most this global L2 norm"));
}
