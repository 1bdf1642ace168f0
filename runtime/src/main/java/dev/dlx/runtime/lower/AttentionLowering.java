package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.Attention;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.family.TFloating;

/**
 * Dot-product attention: `e = q·k` (divided by sqrt(d) for `scaled_dot`), `α = softmax(e)` over the
 * key steps, `c = α v`. With `causal`, query step t sees key steps up to t: later scores get
 * -1e9 before the softmax, so their weights are 0. When the keys carry a mask (`embedding ...
 * mask_zero` upstream), padded key steps are treated the same way and their weights are then
 * multiplied by the mask: exactly 0, and a query whose keys are all padding gets a zero context.
 * The output keeps the queries' mask.
 */
final class AttentionLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        List<Operand<T>> in = ctx.inputs();
        Operand<T> query = in.get(0);
        Operand<T> value = in.size() > 1 ? in.get(1) : query;
        Operand<T> key = in.size() > 2 ? in.get(2) : value;
        Attention.Settings s = ctx.settings(Attention.Settings.class);
        Operand<T> scores = tf.train.batchMatMul(query, key, ctx.type(), BatchMatMul.adjY(true));
        if (s.score() == Attention.Score.SCALED_DOT) {
            long d = ctx.inputShape(0).last().size();
            scores = tf.math.mul(scores, ctx.scalar(1 / Math.sqrt(d)));
        }
        if (s.causal()) {
            Size tq = Size.of(tf, query, 1);
            Size tk = Size.of(tf, key, 1);
            Operand<T> ones = tf.fill(tf.stack(List.of(tq.operand(tf), tk.operand(tf))), ctx.scalar(1));
            Operand<T> allowed = tf.linalg.bandPart(ones, tf.constant(-1), tf.constant(0));
            Operand<T> penalty = tf.math.mul(tf.math.sub(ctx.scalar(1), allowed), ctx.scalar(-1e9));
            scores = tf.math.add(scores, penalty);
        }
        Operand<T> keyMask = ctx.inputMask(in.size() > 2 ? 2 : in.size() > 1 ? 1 : 0);
        Operand<T> keep = null;
        if (keyMask != null) {
            keep = tf.expandDims(keyMask, tf.constant(1));                      // [B, 1, Tk]
            scores = tf.math.add(scores, tf.math.mul(tf.math.sub(ctx.scalar(1), keep), ctx.scalar(-1e9)));
        }
        // α [B, Tq, Tk], named `weights` under the layer's scope for inspection
        Operand<T> weights = keep == null ? tf.withName("weights").nn.softmax(scores)
            : tf.withName("weights").math.mul(tf.nn.softmax(scores), keep);
        return tf.train.batchMatMul(weights, value, ctx.type());
    }
}
