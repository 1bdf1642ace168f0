package dev.dlx.runtime.optim;

import dev.dlx.compiler.train.Clip;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Gradient clipping, in the graph: `value v` clips every element to [-v, v]; `norm n` rescales each
 * gradient tensor g to g * n / max(||g||, n); `global_norm n` rescales all of them by
 * n / max(sqrt(sum ||g||^2), n), keeping their directions.
 */
public final class Clipping {
    private Clipping() {}

    public static List<Operand<TFloat32>> apply(Ops tf, Clip clip, List<Operand<TFloat32>> grads) {
        if (clip == null || grads.isEmpty()) return grads;
        Operand<TFloat32> t = tf.constant((float) clip.threshold());
        List<Operand<TFloat32>> out = new ArrayList<>();
        switch (clip.kind()) {
            case VALUE:
                for (Operand<TFloat32> g : grads) out.add(tf.clipByValue(g, tf.math.neg(t), t));
                return out;
            case NORM:
                for (Operand<TFloat32> g : grads) out.add(tf.math.mul(g, tf.math.div(t, tf.math.maximum(norm(tf, g), t))));
                return out;
            case GLOBAL_NORM: {
                Operand<TFloat32> sum = null;
                for (Operand<TFloat32> g : grads) {
                    Operand<TFloat32> sq = sumAll(tf, tf.math.square(g));
                    sum = sum == null ? sq : tf.math.add(sum, sq);
                }
                Operand<TFloat32> scale = tf.math.div(t, tf.math.maximum(tf.math.sqrt(sum), t));
                for (Operand<TFloat32> g : grads) out.add(tf.math.mul(g, scale));
                return out;
            }
            default:
                throw new IllegalArgumentException("unknown clipping " + clip.kind());
        }
    }

    static Operand<TFloat32> norm(Ops tf, Operand<TFloat32> g) { return tf.math.sqrt(sumAll(tf, tf.math.square(g))); }

    /** The sum of every element. */
    public static Operand<TFloat32> sumAll(Ops tf, Operand<TFloat32> x) {
        int rank = x.shape().numDimensions();
        if (rank < 0) return tf.reduceSum(x, tf.range(tf.constant(0), tf.rank(x), tf.constant(1)));
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) axes[i] = i;
        return tf.reduceSum(x, tf.constant(axes));
    }
}
