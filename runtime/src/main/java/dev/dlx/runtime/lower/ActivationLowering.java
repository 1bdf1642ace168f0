package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.Activation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** The activation functions; softmax is over the last axis. */
final class ActivationLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Activation.Settings s = ctx.settings(Activation.Settings.class);
        return apply(ctx, s.function(), s.alpha(), ctx.input());
    }

    /** {@code f} with its {@code alpha} (leaky_relu's slope, elu's scale; ignored by the others) applied to {@code z}. */
    static <T extends TFloating> Operand<T> apply(LoweringContext<T> ctx, Activation.Function f, double alpha, Operand<T> z) {
        Ops tf = ctx.tf();
        switch (f) {
            case RELU: return tf.nn.relu(z);
            case RELU6: return tf.nn.relu6(z);
            case LEAKY_RELU:
                // max(alpha z, z) for 0 <= alpha < 1; TensorFlow's LeakyRelu holds alpha as a float32 attribute
                return tf.math.maximum(z, tf.math.mul(ctx.scalar(alpha), z));
            case ELU: {
                Operand<T> elu = tf.nn.elu(z);
                if (alpha == 1) return elu;
                // relu(z) + alpha * (elu(z) - relu(z)): z above 0, alpha (e^z - 1) below
                Operand<T> relu = tf.nn.relu(z);
                return tf.math.add(relu, tf.math.mul(ctx.scalar(alpha), tf.math.sub(elu, relu)));
            }
            case SIGMOID: return tf.math.sigmoid(z);
            case TANH: return tf.math.tanh(z);
            case SOFTMAX: return tf.nn.softmax(z);
            case SOFTPLUS: return tf.math.softplus(z);
            case LINEAR: return tf.identity(z);
            default: throw new IllegalArgumentException("no lowering for activation " + f);
        }
    }
}
