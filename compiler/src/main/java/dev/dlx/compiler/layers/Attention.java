package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/**
 * Dot-product attention `c<t> = sum_t' α<t,t'> a<t'>`, `α = softmax(e)`, `e<t,t'> = q<t>·k<t'>`.
 * With one input it attends over itself; `attention(query, value)` or `attention(query, value, key)`
 * attends from the query steps to the value steps. No weights.
 */
public final class Attention implements LayerKind {
    private static final Schema SCHEMA = Schema.of(
        Attr.of("score", Type.choice("dot", "scaled_dot"), "e = q·k, or q·k / sqrt(d)").defaults("dot"),
        Attr.of("causal", Type.BOOL, "step t attends only to steps <= t").defaults(false));

    @Override public String name() { return "attention"; }
    @Override public String doc() { return "dot-product attention: a softmax-weighted sum of value steps for each query step"; }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.ATTENTION; }
    @Override public int maxInputs() { return 3; }

    @Override public Shape infer(LayerContext ctx) {
        List<Shape> in = ctx.inputs();
        for (int i = 0; i < in.size(); i++) {
            if (in.get(i).rank() != 2) {
                return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`attention` expects sequences [T, d], found " + in.get(i))
                    .label("needs rank 2")
                    .secondary(ctx.inputSpans().get(i), "this produces " + in.get(i)));
            }
        }
        Shape query = in.get(0);
        Shape value = in.size() > 1 ? in.get(1) : query;
        Shape key = in.size() > 2 ? in.get(2) : value;
        if (!query.last().equals(key.last()) && query.last().known() && key.last().known()) {
            return ctx.fail(ctx.error(Code.MERGE_SHAPE_MISMATCH, "`attention` needs queries and keys of one size, found "
                    + query + " and " + key)
                .label("q·k needs equal last dimensions")
                .secondary(ctx.inputSpans().get(0), "query " + query)
                .secondary(ctx.inputSpans().get(in.size() > 2 ? 2 : Math.min(1, in.size() - 1)), "key " + key));
        }
        if (in.size() > 2 && !key.dim(0).equals(value.dim(0)) && key.dim(0).known() && value.dim(0).known()) {
            return ctx.fail(ctx.error(Code.MERGE_SHAPE_MISMATCH, "`attention` needs as many key steps as value steps, found "
                    + key + " and " + value)
                .label("keys and values pair step by step"));
        }
        return Shape.of(List.of(query.dim(0), value.last()));
    }
}
