package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.BatchNorm;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * `batchnorm` over the last axis: `γ (x - μ) / sqrt(σ² + ε) + β`. While training, μ and σ² are the
 * batch's mean and (biased) variance over every axis but the last, and the moving statistics move
 * towards them with `momentum` through update ops that the trainer runs with each step (they never
 * run on their own, so evaluating or gradient-checking in training mode changes no state). At
 * evaluation, the moving statistics are used.
 */
final class BatchNormLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        BatchNorm.Settings s = ctx.settings(BatchNorm.Settings.class);
        Operand<T> x = ctx.input();
        int[] axes = new int[ctx.inputShape().rank()];
        for (int i = 0; i < axes.length; i++) axes[i] = i;
        Operand<T> epsilon = ctx.scalar(s.epsilon());
        Operand<T> mean = tf.math.mean(x, tf.constant(axes));
        Operand<T> variance = tf.math.mean(tf.math.squaredDifference(x, mean), tf.constant(axes));
        Operand<T> movingMean = ctx.weight("moving_mean");
        Operand<T> movingVariance = ctx.weight("moving_variance");

        Operand<T> batch = tf.math.mul(tf.math.sub(x, mean), tf.math.rsqrt(tf.math.add(variance, epsilon)));
        Operand<T> moving = tf.math.mul(tf.math.sub(x, movingMean), tf.math.rsqrt(tf.math.add(movingVariance, epsilon)));
        Operand<T> y = tf.select(ctx.training(), batch, moving);
        if (s.scale()) y = tf.math.mul(y, ctx.weight("gamma"));
        if (s.center()) y = tf.math.add(y, ctx.weight("beta"));

        Operand<T> momentum = ctx.scalar(s.momentum());
        Operand<T> rest = ctx.scalar(1 - s.momentum());
        ctx.addUpdate(tf.withName("update_moving_mean").assign(movingMean,
            tf.math.add(tf.math.mul(movingMean, momentum), tf.math.mul(mean, rest))));
        ctx.addUpdate(tf.withName("update_moving_variance").assign(movingVariance,
            tf.math.add(tf.math.mul(movingVariance, momentum), tf.math.mul(variance, rest))));
        return y;
    }
}
