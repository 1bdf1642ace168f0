package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.LayerNorm;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.family.TFloating;

/**
 * `layernorm`: `γ (x - μ) / sqrt(σ² + ε) + β`, μ and σ² the mean and biased variance of the last
 * axis of each example, the same in training and evaluation.
 */
final class LayerNormLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        LayerNorm.Settings s = ctx.settings(LayerNorm.Settings.class);
        Operand<T> x = ctx.input();
        Operand<org.tensorflow.types.TInt32> last = tf.constant(new int[] {-1});
        Operand<T> mean = tf.math.mean(x, last, Mean.keepDims(true));
        Operand<T> centered = tf.math.sub(x, mean);
        Operand<T> variance = tf.math.mean(tf.math.square(centered), last, Mean.keepDims(true));
        Operand<T> y = tf.math.mul(centered, tf.math.rsqrt(tf.math.add(variance, ctx.scalar(s.epsilon()))));
        if (s.scale()) y = tf.math.mul(y, ctx.weight("gamma"));
        if (s.center()) y = tf.math.add(y, ctx.weight("beta"));
        return y;
    }
}
