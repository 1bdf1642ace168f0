package dev.dlx.runtime.lower;

import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * How one layer kind becomes TensorFlow operations. Registered by the kind's name in
 * {@link Lowerings}. A lowering reads its attributes and weights from the context and returns the
 * layer's output; the graph builder then checks that TensorFlow's static shape is the checker's.
 */
public interface Lowering {
    <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx);
}
