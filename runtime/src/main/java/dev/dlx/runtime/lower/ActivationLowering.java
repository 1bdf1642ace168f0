package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.Activation;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.family.TFloating;

/** The activation functions; softmax is over the last axis. */
final class ActivationLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Activation.Settings s = ctx.settings(Activation.Settings.class);
        if (s.function() == Activation.Function.GELU) return gelu(ctx, s.approximate(), ctx.input());
        // relu of a bfloat16 result: exact in bfloat16, so computed there (LoweringContext.bf16Source)
        Operand<TBfloat16> bf16 = s.function() == Activation.Function.RELU ? ctx.bf16Source(ctx.input()) : null;
        if (bf16 != null) return ctx.fromBf16(ctx.tf().nn.relu(bf16));
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
            case GELU: return gelu(ctx, false, z);
            case SWISH: return tf.math.mul(z, tf.math.sigmoid(z));
            case LINEAR: return tf.identity(z);
            default: throw new IllegalArgumentException("no lowering for activation " + f);
        }
    }

    /**
     * gelu from operations with gradients in TensorFlow's C++ registry (Erf, Tanh, Mul, Add):
     * `z (1 + erf(z / sqrt 2)) / 2`, or with {@code approximate}
     * `z (1 + tanh(sqrt(2/π) (z + 0.044715 z³))) / 2`.
     */
    static <T extends TFloating> Operand<T> gelu(LoweringContext<T> ctx, boolean approximate, Operand<T> z) {
        Ops tf = ctx.tf();
        Operand<T> inner = approximate
            ? tf.math.tanh(tf.math.mul(ctx.scalar(Math.sqrt(2 / Math.PI)),
                tf.math.add(z, tf.math.mul(ctx.scalar(0.044715), tf.math.mul(z, tf.math.square(z))))))
            : tf.math.erf(tf.math.mul(z, ctx.scalar(1 / Math.sqrt(2))));
        return tf.math.mul(tf.math.mul(ctx.scalar(0.5), z), tf.math.add(ctx.scalar(1), inner));
    }
}
