package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/**
 * Dot-product attention `c<t> = sum_t' α<t,t'> a<t'>`, `α = softmax(e)`, `e<t,t'> = q<t>·k<t'>`.
 * With one input it attends over itself; `attention(query, value)` or `attention(query, value, key)`
 * attends from the query steps to the value steps: the inputs come in Keras's order, value before
 * key, and the key is the value when not given. No weights.
 */
public final class Attention implements LayerKind<Attention.Settings> {
    /** The score function: e = q·k, or q·k / sqrt(d). */
    public enum Score { DOT, SCALED_DOT }

    /** `attention [score dot|scaled_dot] [causal B]`. */
    public record Settings(Score score, boolean causal) implements LayerSettings {}

    private static final Schema SCHEMA = Schema.of(
        Attr.of("score", Type.choice("dot", "scaled_dot"), "e = q·k, or q·k / sqrt(d)").defaults("dot"),
        Attr.of("causal", Type.BOOL, "step t attends only to steps <= t").defaults(false));

    @Override public String name() { return "attention"; }
    /** The inputs' roles, in the order they are written. */
    private static final List<String> ROLES = List.of("query", "value", "key");

    @Override public String doc() {
        return "dot-product attention: a softmax-weighted sum of value steps for each query step; inputs "
            + "`attention(query, value, key)` in Keras's order (value before key; the key is the value when left out)";
    }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.ATTENTION; }
    @Override public int maxInputs() { return 3; }

    @Override public Settings settings(Attrs a) {
        return new Settings(Score.valueOf(a.word("score").toUpperCase(java.util.Locale.ROOT)), a.flag("causal"));
    }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        List<Shape> in = ctx.inputs();
        for (int i = 0; i < in.size(); i++) {
            if (in.get(i).rank() != 2) {
                return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`attention` expects sequences [T, d], found " + in.get(i)
                        + " as its " + role(i, in.size()))
                    .label("needs rank 2")
                    .secondary(ctx.inputSpans().get(i), role(i, in.size()) + " " + in.get(i)));
            }
        }
        Shape query = in.get(0);
        Shape value = in.size() > 1 ? in.get(1) : query;
        Shape key = in.size() > 2 ? in.get(2) : value;
        int keyAt = in.size() > 2 ? 2 : Math.min(1, in.size() - 1);
        if (!query.last().equals(key.last()) && query.last().known() && key.last().known()) {
            var b = ctx.error(Code.MERGE_SHAPE_MISMATCH, "`attention` needs queries and keys of one size, found query "
                    + query + " and " + role(keyAt, in.size()) + " " + key)
                .label("q·k needs equal last dimensions")
                .secondary(ctx.inputSpans().get(0), role(0, in.size()) + " " + query)
                .secondary(ctx.inputSpans().get(keyAt), role(keyAt, in.size()) + " " + key)
                .note("the inputs are `attention(query, value, key)`, value before key as in Keras");
            if (in.size() > 2 && query.last().equals(value.last())) b.help("swap the second and third inputs: the key comes last");
            return ctx.fail(b);
        }
        if (in.size() > 2 && !key.dim(0).equals(value.dim(0)) && key.dim(0).known() && value.dim(0).known()) {
            return ctx.fail(ctx.error(Code.MERGE_SHAPE_MISMATCH, "`attention` needs as many key steps as value steps, found key "
                    + key + " and value " + value)
                .label("keys and values pair step by step")
                .secondary(ctx.inputSpans().get(1), "value (2nd input) " + value)
                .secondary(ctx.inputSpans().get(2), "key (3rd input) " + key)
                .note("the inputs are `attention(query, value, key)`, value before key as in Keras"));
        }
        return Shape.of(List.of(query.dim(0), value.last()));
    }

    /** "query (1st input)", "value (2nd input, also the key)": what input i stands for among n. */
    private static String role(int i, int n) {
        if (n == 1) return "query, key and value";
        String nth = i == 0 ? "1st" : i == 1 ? "2nd" : "3rd";
        return ROLES.get(i) + " (" + nth + " input" + (n == 2 && i == 1 ? ", also the key" : "") + ")";
    }
}
