package dev.dlx.runtime.lower;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.family.TFloating;

/**
 * Inverted dropout: while dropout is active, each input is kept with probability keep = 1 - rate
 * and scaled by 1/keep, so evaluation needs no rescaling. Inactive, keep is 1 and the mask is
 * exactly 1: the identity. The mask comes from a seeded uniform draw, a new one at every run.
 */
final class DropoutLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        double rate = ctx.attrs().number("rate");
        Operand<T> x = ctx.input();
        if (rate == 0) return tf.identity(x);
        Operand<T> active = tf.dtypes.cast(ctx.dropoutActive(), ctx.type());
        Operand<T> keep = tf.math.sub(ctx.scalar(1), tf.math.mul(ctx.scalar(rate), active));
        Operand<T> uniform = tf.random.randomUniform(tf.shape(x), ctx.type(),
            RandomUniform.seed(ctx.seed()), RandomUniform.seed2(ctx.node().id() + 1L));
        // floor(keep + U) is 1 with probability keep and 0 otherwise
        Operand<T> mask = tf.math.div(tf.math.floor(tf.math.add(keep, uniform)), keep);
        return tf.math.mul(x, mask);
    }
}
