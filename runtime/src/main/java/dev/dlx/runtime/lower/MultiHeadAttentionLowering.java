package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.MultiHeadAttention;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.family.TFloating;

/**
 * `multihead_attention`: per head h, `q_h = x_q W_q[:, h] + b_q[h]` (and k_h, v_h likewise),
 * `α_h = softmax(q_h k_hᵀ / sqrt(D))` over the key steps, `c_h = α_h v_h`; the output is
 * `sum_h c_h W_o[h] + b_o`. Projections are 2D matrix products on [B·T, d] (the kernels
 * [d, H, D] read as [d, H·D]), the heads a batch axis of the attention's matrix products. With
 * `causal`, key steps after the query step, and key steps a mask marks as padding (`embedding ...
 * mask_zero` upstream), get -1e9 before the softmax and a weight of exactly 0 after it (a query whose
 * keys are all padding gets a zero context). Dropout on α follows `dropout`'s rules (the layer's own
 * stream of masks per training step). The output keeps the queries' mask.
 */
final class MultiHeadAttentionLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        MultiHeadAttention.Settings s = ctx.settings(MultiHeadAttention.Settings.class);
        List<Operand<T>> in = ctx.inputs();
        Operand<T> query = in.get(0);
        Operand<T> value = in.size() > 1 ? in.get(1) : query;
        Operand<T> key = in.size() > 2 ? in.get(2) : value;
        int h = s.heads(), d = s.keyDim(), v = s.valueDim();
        long model = ctx.outputShape().last().size();
        Operand<T> q = heads(ctx, query, "query", h, d);                   // [B, H, Tq, D]
        Operand<T> k = heads(ctx, key, "key", h, d);                       // [B, H, Tk, D]
        Operand<T> vv = heads(ctx, value, "value", h, v);                  // [B, H, Tk, V]
        Operand<T> scores = tf.math.mul(tf.train.batchMatMul(q, k, ctx.type(), BatchMatMul.adjY(true)),
            ctx.scalar(1 / Math.sqrt(d)));                                 // [B, H, Tq, Tk]
        Operand<T> keep = null;                                            // 1 where a key step may be seen
        if (s.causal()) {
            Size tq = Size.of(tf, query, 1), tk = Size.of(tf, key, 1);
            Operand<T> ones = tf.fill(tf.stack(List.of(tq.operand(tf), tk.operand(tf))), ctx.scalar(1));
            keep = tf.linalg.bandPart(ones, tf.constant(-1), tf.constant(0));          // [Tq, Tk]
        }
        Operand<T> keyMask = ctx.inputMask(in.size() > 2 ? 2 : in.size() > 1 ? 1 : 0);
        if (keyMask != null) {
            Operand<T> padded = tf.expandDims(tf.expandDims(keyMask, tf.constant(1)), tf.constant(1));   // [B, 1, 1, Tk]
            keep = keep == null ? padded : tf.math.mul(keep, padded);
        }
        if (keep != null) scores = tf.math.add(scores, tf.math.mul(tf.math.sub(ctx.scalar(1), keep), ctx.scalar(-1e9)));
        Operand<T> weights = tf.nn.softmax(scores);
        if (keep != null) weights = tf.math.mul(weights, keep);
        weights = tf.withName("weights").identity(weights);               // α [B, H, Tq, Tk], for inspection
        if (s.dropout() > 0) weights = DropoutLowering.drop(ctx, weights, s.dropout());
        Operand<T> context = tf.train.batchMatMul(weights, vv, ctx.type());                  // [B, H, Tq, V]
        Operand<T> merged = tf.linalg.transpose(context, tf.constant(new int[] {0, 2, 1, 3}));   // [B, Tq, H, V]
        Operand<T> flat = tf.reshape(merged, tf.constant(new long[] {-1, (long) h * v}));
        Operand<T> kernel = tf.reshape(ctx.weight("output_kernel"), tf.constant(new long[] {(long) h * v, model}));
        Operand<T> y = tf.linalg.matMul(flat, kernel);
        if (s.bias()) y = tf.nn.biasAdd(y, ctx.weight("output_bias"));
        return Size.reshape(tf, y, List.of(Size.of(tf, query, 0), Size.of(tf, query, 1), Size.of(model)));
    }

    /** x [B, T, d] projected by `NAME_kernel` [d, H, size] (+ `NAME_bias` [H, size]) to [B, H, T, size]. */
    private static <T extends TFloating> Operand<T> heads(LoweringContext<T> ctx, Operand<T> x, String name, int h, int size) {
        Ops tf = ctx.tf();
        long features = x.shape().get(2);
        Operand<T> flat = tf.reshape(x, tf.constant(new long[] {-1, features}));
        Operand<T> kernel = tf.reshape(ctx.weight(name + "_kernel"), tf.constant(new long[] {features, (long) h * size}));
        Operand<T> y = tf.linalg.matMul(flat, kernel);
        MultiHeadAttention.Settings s = ctx.settings(MultiHeadAttention.Settings.class);
        if (s.bias()) y = tf.nn.biasAdd(y, tf.reshape(ctx.weight(name + "_bias"), tf.constant(new long[] {(long) h * size})));
        Operand<T> split = Size.reshape(tf, y, List.of(Size.of(tf, x, 0), Size.of(tf, x, 1), Size.of(h), Size.of(size)));
        return tf.linalg.transpose(split, tf.constant(new int[] {0, 2, 1, 3}));
    }
}
