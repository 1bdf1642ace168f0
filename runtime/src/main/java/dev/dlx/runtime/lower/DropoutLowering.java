package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.Dropout;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Inverted dropout: while dropout is active, each input is kept with probability keep = 1 - rate
 * and scaled by 1/keep, so evaluation needs no rescaling. Inactive, keep is 1 and the mask is
 * exactly 1: the identity. The mask is a stateless uniform draw keyed by (the graph's seed mixed
 * with the layer's id, the training step): step k draws the same masks in every run with that
 * seed, resumed or not, and another step draws others. Masks are constants to the gradient.
 */
final class DropoutLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        double rate = ctx.settings(Dropout.Settings.class).rate();
        Operand<T> x = ctx.input();
        if (rate == 0) return tf.identity(x);
        return drop(ctx, x, rate);
    }

    /** {@code x} with inverted dropout at {@code rate} > 0, drawn from this layer's stream (attention weights use it too). */
    static <T extends TFloating> Operand<T> drop(LoweringContext<T> ctx, Operand<T> x, double rate) {
        Ops tf = ctx.tf();
        Operand<T> active = tf.dtypes.cast(ctx.dropoutActive(), ctx.type());
        Operand<T> keep = tf.math.sub(ctx.scalar(1), tf.math.mul(ctx.scalar(rate), active));
        Operand<TInt64> key = tf.stack(List.of(tf.constant(layerKey(ctx.seed(), ctx.node().id())), ctx.dropoutStep()));
        Operand<T> uniform = tf.random.statelessRandomUniform(tf.shape(x), key, ctx.type());
        // floor(keep + U) is 1 with probability keep and 0 otherwise
        Operand<T> mask = tf.math.div(tf.math.floor(tf.math.add(keep, uniform)), keep);
        return tf.math.mul(x, mask);
    }

    /** The first half of a layer's key: the seed and the node id mixed (splitmix64's finalizer), so layers draw apart. */
    static long layerKey(long seed, int nodeId) {
        long z = seed * 0x9E3779B97F4A7C15L + (nodeId + 1L) * 0xD6E8FEB86659FD93L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
