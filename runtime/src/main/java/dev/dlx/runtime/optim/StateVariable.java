package dev.dlx.runtime.optim;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A float32 variable that is not a model weight but belongs to training state (an optimizer's
 * accumulators, Adam's β powers, the learning rate): created with its initial value, readable and
 * writable through a placeholder-fed assign, so that checkpoints can save and restore it.
 *
 * @param name logical name in checkpoints, e.g. `adam/m/dense_1/kernel`
 */
public record StateVariable(String name, long[] shape, Variable<TFloat32> variable, Placeholder<TFloat32> value,
                            Assign<TFloat32> assign, Op initializer) {

    /** A variable filled with {@code initial}; {@code id} makes its graph name unique. */
    public static StateVariable create(Ops tf, String name, String id, long[] shape, double initial) {
        Ops scope = tf.withSubScope("dlx.train");
        org.tensorflow.ndarray.Shape s = org.tensorflow.ndarray.Shape.of(shape);
        Variable<TFloat32> v = scope.withName(id).variable(s, TFloat32.class);
        Operand<TFloat32> init = tf.fill(tf.constant(shape), tf.constant((float) initial));
        Op initializer = scope.withName(id + "_init").assign(v, init);
        Placeholder<TFloat32> value = scope.withName(id + "_value").placeholder(TFloat32.class, Placeholder.shape(s));
        Assign<TFloat32> assign = scope.withName(id + "_assign").assign(v, value);
        return new StateVariable(name, shape.clone(), v, value, assign, initializer);
    }

    public int size() {
        long n = 1;
        for (long d : shape) n *= d;
        return Math.toIntExact(n);
    }
}
