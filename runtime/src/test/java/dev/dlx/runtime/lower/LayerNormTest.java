package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.dlx.runtime.testing.Run;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat64;

/** `layernorm` normalizes each example's (each step's) last axis, the same in training and evaluation. */
class LayerNormTest {

    @Test
    void normalizesEachExampleThenScalesAndShifts() {
        try (Run<TFloat64> run = Run.of("model M(x [4]) { layernorm }", TFloat64.class)) {
            run.set("layernorm_1/gamma", 1, 2, 0.5, -1).set("layernorm_1/beta", 0, 1, 0, 0.5);
            // [1, 2, 3, 6]: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5; [0, 0, 2, -2]: mean 0, variance 2
            double a = Math.sqrt(3.5 + 1e-3), b = Math.sqrt(2 + 1e-3);
            double[] expected = {-2 / a, 2 * -1 / a + 1, 0, -3 / a + 0.5, 0, 1, 0.5 * 2 / b, 2 / b + 0.5};
            double[] x = {1, 2, 3, 6, 0, 0, 2, -2};
            assertArrayEquals(expected, run.forward(false, x), 1e-12);
            assertArrayEquals(expected, run.forward(true, x), 1e-12, "no batch statistics: training gives the same");
        }
    }

    @Test
    void perStepOnASequenceWithoutScaleOrCenter() {
        try (Run<TFloat64> run = Run.of("model M(x [2, 3]) { layernorm epsilon 0.5 scale false center false }", TFloat64.class)) {
            // step [1, 2, 3]: mean 2, variance 2/3; step [4, 4, 10]: mean 6, variance (4 + 4 + 16) / 3 = 8
            double a = Math.sqrt(2.0 / 3 + 0.5), b = Math.sqrt(8 + 0.5);
            assertArrayEquals(new double[] {-1 / a, 0, 1 / a, -2 / b, -2 / b, 4 / b},
                run.forward(false, new double[] {1, 2, 3, 4, 4, 10}), 1e-12);
        }
    }
}
