package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.runtime.testing.Reference;
import dev.dlx.runtime.testing.Run;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

class DenseActivationTest {

    @Test
    void denseIsXWPlusB() {
        try (Run<TFloat64> run = Run.of("model M(x [3]) { dense 2 }", TFloat64.class)) {
            run.set("dense_1/kernel", 1, 2, 3, 4, 5, 6).set("dense_1/bias", 0.5, -0.5);
            // [1, 2, 3] [[1, 2], [3, 4], [5, 6]] = [22, 28]; [0, 1, -1] -> [-2, -2]
            assertArrayEquals(new double[] {22.5, 27.5, -1.5, -2.5}, run.forward(false, new double[] {1, 2, 3, 0, 1, -1}), 1e-12);
        }
    }

    @Test
    void densePerStepAppliesTheSameWeightsAtEveryStep() {
        try (Run<TFloat64> run = Run.of("model M(x [2, 3]) { dense 2 bias false }", TFloat64.class)) {
            run.set("dense_1/kernel", 1, 2, 3, 4, 5, 6);
            assertArrayEquals(new double[] {22, 28, -2, -2}, run.forward(false, new double[] {1, 2, 3, 0, 1, -1}), 1e-12);
        }
    }

    @Test
    void softmaxOverTheLastAxis() {
        try (Run<TFloat64> run = Run.of("model M(x [2, 3]) { softmax }", TFloat64.class)) {
            double s = Math.exp(1) + Math.exp(2) + Math.exp(3);
            double[] expected = {Math.exp(1) / s, Math.exp(2) / s, Math.exp(3) / s, 1 / 3.0, 1 / 3.0, 1 / 3.0};
            assertArrayEquals(expected, run.forward(false, new double[] {1, 2, 3, 7, 7, 7}), 1e-12);
        }
    }

    private static void check(String activation, DoubleUnaryOperator f) {
        double[] z = {-3, -1, -0.25, 0, 0.5, 2, 7};
        try (Run<TFloat64> run = Run.of("model M(x [7]) { " + activation + " }", TFloat64.class)) {
            double[] y = run.forward(false, z);
            for (int i = 0; i < z.length; i++) assertEquals(f.applyAsDouble(z[i]), y[i], 1e-12, activation + " at " + z[i]);
        }
    }

    @Test
    void activationsFollowTheirFormulas() {
        check("relu", z -> Math.max(0, z));
        check("relu6", z -> Math.min(Math.max(0, z), 6));
        check("leaky_relu 0.2", z -> Math.max(0.2 * z, z));
        check("leaky_relu", z -> Math.max(0.01 * z, z));
        check("elu", z -> z > 0 ? z : Math.exp(z) - 1);
        check("elu 0.5", z -> z > 0 ? z : 0.5 * (Math.exp(z) - 1));
        check("sigmoid", Reference::sigmoid);
        check("tanh", Math::tanh);
        check("softplus", z -> Math.log(1 + Math.exp(z)));
        check("linear", z -> z);
    }

    @Test
    void float32GivesTheSameValues() {
        try (Run<TFloat32> run = Run.of("model M(x [3]) { dense 2 -> tanh }", TFloat32.class)) {
            run.set("dense_1/kernel", 0.1, 0.2, 0.3, 0.4, 0.5, 0.6).set("dense_1/bias", 0.5, -0.5);
            double[] y = run.forward(false, new double[] {1, 2, 3});
            assertArrayEquals(new double[] {Math.tanh(2.2 + 0.5), Math.tanh(2.8 - 0.5)}, y, 1e-6);
        }
    }
}
