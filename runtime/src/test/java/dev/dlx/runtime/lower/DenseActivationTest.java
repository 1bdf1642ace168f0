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
        check("gelu", z -> 0.5 * z * (1 + erf(z / Math.sqrt(2))));
        check("gelu approximate true", z -> 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z))));
        check("swish", z -> z * Reference.sigmoid(z));
        check("silu", z -> z / (1 + Math.exp(-z)));
    }

    /** erf(z) = 2/sqrt(π) ∫_0^z e^(-t²) dt by Simpson's rule on 20,000 intervals (error below 1e-14 for |z| < 5). */
    static double erf(double z) {
        int n = 20_000;
        double h = z / n, sum = 1 + Math.exp(-z * z);
        for (int i = 1; i < n; i++) sum += (i % 2 == 1 ? 4 : 2) * Math.exp(-(i * h) * (i * h));
        return 2 / Math.sqrt(Math.PI) * sum * h / 3;
    }

    @Test
    void geluIsZTimesTheNormalCdf() {
        // Φ(1) = 0.8413447460685429, Φ(-1) = 1 - Φ(1), Φ(2) = 0.9772498680518208 (standard normal tables)
        try (Run<TFloat64> run = Run.of("model M(x [3]) { gelu }", TFloat64.class)) {
            assertArrayEquals(new double[] {0.8413447460685429, -(1 - 0.8413447460685429), 2 * 0.9772498680518208},
                run.forward(false, new double[] {1, -1, 2}), 1e-13);
        }
        assertEquals(0.8413447460685429 * 2 - 1, erf(1 / Math.sqrt(2)), 1e-13);
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
