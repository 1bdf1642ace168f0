package dev.dlx.runtime.graph;

import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.runtime.lower.LoweringException;
import org.tensorflow.Operand;

/**
 * The check that keeps lowering honest: TensorFlow's static shape of a node's output must be the
 * checker's, with the batch first. Where the checker knows a size, TensorFlow must know the same;
 * where the checker has `?`, TensorFlow may know more. A difference is a bug in a lowering.
 */
final class ShapeCheck {
    private ShapeCheck() {}

    static void verify(Node node, Operand<?> output) {
        Shape expected = node.shape();
        org.tensorflow.ndarray.Shape actual = output.shape();
        if (actual.isUnknown() || actual.numDimensions() != expected.rank() + 1) {
            throw mismatch(node, actual);
        }
        for (int i = 0; i < expected.rank(); i++) {
            if (expected.dim(i).known() && actual.get(i + 1) != expected.dim(i).size()) throw mismatch(node, actual);
        }
    }

    private static LoweringException mismatch(Node node, org.tensorflow.ndarray.Shape actual) {
        return LoweringException.internal(node, "TensorFlow's output shape " + actual + " is not the checker's "
            + node.shape().withBatch());
    }
}
