package dev.dlx.runtime.graph;

import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.train.Init;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * Initial values of weights, as Keras gives them, by the role each layer kind declares for its
 * weights ({@link dev.dlx.compiler.ir.WeightRole#start()}): kernels and embeddings from the chosen
 * initializer; scales (γ) and moving variances ones; biases, shifts (β) and moving means zeros. Draws are stateless and seeded by (seed, the weight's
 * position in the model), so a seed always gives the same weights.
 */
final class Initializers {
    /** Keras's truncated normal keeps draws within two standard deviations, which shrinks the std by this. */
    private static final double TRUNCATED_STD = 0.87962566103423978;

    private Initializers() {}

    static <T extends TFloating> Operand<T> initialValue(Ops tf, ParamSpec spec, Class<T> type, Init init, long seed,
                                                         int ordinal) {
        long[] shape = spec.shape().stream().mapToLong(Long::longValue).toArray();
        Operand<TInt64> dims = tf.constant(shape);
        switch (spec.role().start()) {
            case ZEROS: return tf.fill(dims, tf.constant(type, 0.0));
            case ONES: return tf.fill(dims, tf.constant(type, 1.0));
            default: break;
        }
        Operand<TInt64> seeds = tf.constant(new long[] {seed, ordinal});
        Init.Kind kind = init == null ? Init.Kind.GLOROT_UNIFORM : init.kind();
        double[] fans = fans(spec.shape());
        switch (kind) {
            case ZEROS: return tf.fill(dims, tf.constant(type, 0.0));
            case CONSTANT: return tf.fill(dims, tf.constant(type, init.value()));
            case GLOROT_UNIFORM: return uniform(tf, dims, seeds, type, Math.sqrt(6 / (fans[0] + fans[1])));
            case HE_UNIFORM: return uniform(tf, dims, seeds, type, Math.sqrt(6 / fans[0]));
            case UNIFORM: return uniform(tf, dims, seeds, type, init.limit());
            case GLOROT_NORMAL: return truncated(tf, dims, seeds, type, Math.sqrt(2 / (fans[0] + fans[1])) / TRUNCATED_STD);
            case HE_NORMAL: return truncated(tf, dims, seeds, type, Math.sqrt(2 / fans[0]) / TRUNCATED_STD);
            case NORMAL: {
                Operand<T> n = tf.random.statelessRandomNormal(dims, seeds, type);
                return tf.math.add(tf.math.mul(n, tf.constant(type, init.std())), tf.constant(type, init.mean()));
            }
            default: throw new IllegalArgumentException("unknown initializer " + kind);
        }
    }

    /** Keras's fans: [in, out] for a matrix; for a kernel [k..., in, out] both times the window size. */
    static double[] fans(List<Long> shape) {
        if (shape.size() == 1) return new double[] {shape.get(0), shape.get(0)};
        double receptive = 1;
        for (int i = 0; i < shape.size() - 2; i++) receptive *= shape.get(i);
        return new double[] {shape.get(shape.size() - 2) * receptive, shape.get(shape.size() - 1) * receptive};
    }

    private static <T extends TFloating> Operand<T> uniform(Ops tf, Operand<TInt64> dims, Operand<TInt64> seeds,
                                                            Class<T> type, double limit) {
        Operand<T> u = tf.random.statelessRandomUniform(dims, seeds, type);
        return tf.math.mul(tf.math.sub(tf.math.mul(u, tf.constant(type, 2.0)), tf.constant(type, 1.0)), tf.constant(type, limit));
    }

    private static <T extends TFloating> Operand<T> truncated(Ops tf, Operand<TInt64> dims, Operand<TInt64> seeds,
                                                              Class<T> type, double std) {
        return tf.math.mul(tf.random.statelessTruncatedNormal(dims, seeds, type), tf.constant(type, std));
    }
}
