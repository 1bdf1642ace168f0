package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.dlx.runtime.testing.Run;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat64;

/** `positional` adds the table's row t to step t. */
class PositionalTest {

    @Test
    void sinusoidalIsVaswanisTable() {
        try (Run<TFloat64> run = Run.of("model M(x [3, 4]) { positional sinusoidal }", TFloat64.class)) {
            // d = 4: features 0, 1 have wavelength 2π (angle t), features 2, 3 angle t / 10000^(2/4) = t / 100
            double[] expected = {
                0, 1, 0, 1,
                Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01),
                Math.sin(2), Math.cos(2), Math.sin(0.02), Math.cos(0.02)};
            assertArrayEquals(expected, run.forward(false, new double[12]), 1e-12);
            double[] x = new double[12];
            for (int i = 0; i < 12; i++) x[i] = i;
            double[] y = run.forward(false, x);
            for (int i = 0; i < 12; i++) expected[i] += i;
            assertArrayEquals(expected, y, 1e-12);
        }
    }

    @Test
    void learnedAddsTheFirstRowsOfItsTable() {
        try (Run<TFloat64> run = Run.of("model M(x [2, 2]) { positional length 4 }", TFloat64.class)) {
            run.set("positional_1/embeddings", 1, 2, 3, 4, 50, 60, 70, 80);
            // two examples of two steps: rows 0 and 1 of the table
            assertArrayEquals(new double[] {1, 2, 3, 4, 11, 12, 13, 14},
                run.forward(false, new double[] {0, 0, 0, 0, 10, 10, 10, 10}), 0);
        }
    }
}
