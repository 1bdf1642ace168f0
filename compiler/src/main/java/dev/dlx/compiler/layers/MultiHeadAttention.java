package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.ir.WeightRole;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-head attention (Vaswani et al.): each of H heads projects the query steps to
 * `q = x_q W_q + b_q` ([T_q, D]), the key steps to k ([T_k, D]) and the value steps to v
 * ([T_k, V]), attends with `softmax(q kᵀ / sqrt(D)) v`, and the heads' [T_q, V] results are
 * projected together back to the query's size d. One input attends over itself; inputs
 * `(query, value)` or `(query, value, key)` come in Keras's order (the key is the value when left
 * out). Weights in Keras's `MultiHeadAttention` layout: query, key and value kernels [d_in, H, D]
 * (value: [d_in, H, V]) with biases [H, D] ([H, V]), output kernel [H, V, d] with bias [d]:
 * `4 (d² + d)` for self-attention with D = V = d / H.
 */
public final class MultiHeadAttention implements LayerKind<MultiHeadAttention.Settings> {
    /**
     * `multihead_attention heads H key_dim D [value_dim V] [causal B] [dropout R] [bias B]`;
     * {@code valueDim} is already decided (key_dim when not written).
     */
    public record Settings(int heads, int keyDim, int valueDim, boolean causal, double dropout, boolean bias)
        implements Biased {}

    private static final Schema SCHEMA = Schema.of(
        Attr.of("heads", Type.INT, "number of attention heads").positional().required().atLeast(1),
        Attr.of("key_dim", Type.INT, "size of each head's queries and keys").positional().required().atLeast(1),
        Attr.of("value_dim", Type.INT, "size of each head's values (key_dim when left out)").atLeast(1),
        Attr.of("causal", Type.BOOL, "query step t attends only to key steps <= t").defaults(false),
        Attr.of("dropout", Type.FLOAT, "dropout rate on the attention weights while training").defaults(0.0).atLeast(0).below(1),
        Attr.of("bias", Type.BOOL, "learned biases on the four projections").defaults(true));

    /** The inputs' roles, in the order they are written. */
    private static final List<String> ROLES = List.of("query", "value", "key");

    @Override public String name() { return "multihead_attention"; }
    @Override public List<String> aliases() { return List.of("mha"); }
    @Override public String doc() {
        return "multi-head attention with learned query, key, value and output projections (Keras's MultiHeadAttention); "
            + "inputs `(query, value, key)` as `attention`'s, or one input attending over itself";
    }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.ATTENTION; }
    @Override public int maxInputs() { return 3; }

    @Override public Settings settings(Attrs a) {
        int keyDim = a.integer("key_dim");
        Object v = a.get("value_dim");
        return new Settings(a.integer("heads"), keyDim, v == null ? keyDim : ((Number) v).intValue(), a.flag("causal"),
            a.number("dropout"), a.flag("bias"));
    }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        List<Shape> in = ctx.inputs();
        for (int i = 0; i < in.size(); i++) {
            Shape s = in.get(i);
            if (s.rank() != 2 || !s.last().known()) {
                return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`multihead_attention` expects sequences [T, d] with a known d, found "
                        + s + " as its " + role(i, in.size()))
                    .label(s.rank() != 2 ? "needs rank 2" : "feature size unknown")
                    .secondary(ctx.inputSpans().get(i), role(i, in.size()) + " " + s));
            }
        }
        if (in.size() > 2) {
            Shape value = in.get(1), key = in.get(2);
            if (!key.dim(0).equals(value.dim(0)) && key.dim(0).known() && value.dim(0).known()) {
                return ctx.fail(ctx.error(Code.MERGE_SHAPE_MISMATCH, "`multihead_attention` needs as many key steps as value steps, "
                        + "found key " + key + " and value " + value)
                    .label("keys and values pair step by step")
                    .secondary(ctx.inputSpans().get(1), "value (2nd input) " + value)
                    .secondary(ctx.inputSpans().get(2), "key (3rd input) " + key)
                    .note("the inputs are `multihead_attention(query, value, key)`, value before key as in Keras"));
            }
        }
        return in.get(0);
    }

    @Override public List<ParamSpec> params(Settings s, List<Shape> inputs, Shape output) {
        long dq = inputs.get(0).last().size();
        long dv = inputs.size() > 1 ? inputs.get(1).last().size() : dq;
        long dk = inputs.size() > 2 ? inputs.get(2).last().size() : dv;
        long h = s.heads(), d = s.keyDim(), v = s.valueDim();
        List<ParamSpec> ps = new ArrayList<>();
        ps.add(ParamSpec.of(WeightRole.KERNEL, "query_kernel", dq, h, d));
        if (s.bias()) ps.add(ParamSpec.of(WeightRole.BIAS, "query_bias", h, d));
        ps.add(ParamSpec.of(WeightRole.KERNEL, "key_kernel", dk, h, d));
        if (s.bias()) ps.add(ParamSpec.of(WeightRole.BIAS, "key_bias", h, d));
        ps.add(ParamSpec.of(WeightRole.KERNEL, "value_kernel", dv, h, v));
        if (s.bias()) ps.add(ParamSpec.of(WeightRole.BIAS, "value_bias", h, v));
        ps.add(ParamSpec.of(WeightRole.KERNEL, "output_kernel", h, v, dq));
        if (s.bias()) ps.add(ParamSpec.of(WeightRole.BIAS, "output_bias", dq));
        return ps;
    }

    private static String role(int i, int n) {
        if (n == 1) return "query, key and value";
        String nth = i == 0 ? "1st" : i == 1 ? "2nd" : "3rd";
        return ROLES.get(i) + " (" + nth + " input" + (n == 2 && i == 1 ? ", also the key" : "") + ")";
    }
}
