package dev.dlx.runtime.run;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The costs of neural style transfer (Gatys et al.) as graph operations, in the cheatsheet's
 * normalization. For one layer's activation a of the generated image G, of n_H x n_W x n_C values:
 * <ul>
 *   <li>content cost {@code J_content(C, G) = 1/2 ||a(C) - a(G)||^2};
 *   <li>the style (Gram) matrix {@code G_kk' = sum_ij a_ijk a_ijk'}, n_C x n_C;
 *   <li>style cost {@code J_style(S, G) = 1/(2 n_H n_W n_C)^2 ||G(S) - G(G)||_F^2};
 * </ul>
 * and the total {@code alpha J_content + beta sum_l lambda_l J_style^[l]}.
 */
final class StyleCosts {
    private StyleCosts() {}

    /** The Gram matrix of a batch of one [1, n_H, n_W, n_C] (or [1, n_C]: one position): [n_C, n_C], the channels' sums of products over the positions. */
    static Operand<TFloat32> gram(Ops tf, Operand<TFloat32> a) {
        long channels = a.shape().get(a.shape().numDimensions() - 1);
        Operand<TFloat32> positions = tf.reshape(a, tf.constant(new long[] {-1, channels}));
        return tf.linalg.matMul(positions, positions, org.tensorflow.op.linalg.MatMul.transposeA(true));
    }

    /** {@code 1/2 ||target - a||^2}: the content cost of activation {@code a} against the content image's {@code target} (same shape). */
    static Operand<TFloat32> content(Ops tf, Operand<TFloat32> a, Operand<TFloat32> target) {
        Operand<TFloat32> d = tf.math.sub(a, target);
        return tf.math.mul(tf.constant(0.5f), sum(tf, tf.math.mul(d, d)));
    }

    /** {@code 1/(2 n_H n_W n_C)^2 ||target - gram(a)||_F^2}: the style cost of activation {@code a} against the style image's Gram matrix. */
    static Operand<TFloat32> style(Ops tf, Operand<TFloat32> a, Operand<TFloat32> targetGram) {
        long values = 1;
        for (int i = 1; i < a.shape().numDimensions(); i++) values *= a.shape().get(i);
        Operand<TFloat32> d = tf.math.sub(gram(tf, a), targetGram);
        double norm = 2.0 * values;
        return tf.math.div(sum(tf, tf.math.mul(d, d)), tf.constant((float) (norm * norm)));
    }

    /** The sum of every value: a scalar. */
    static Operand<TFloat32> sum(Ops tf, Operand<TFloat32> x) {
        int[] axes = java.util.stream.IntStream.range(0, x.shape().numDimensions()).toArray();
        return tf.reduceSum(x, tf.constant(axes));
    }
}
