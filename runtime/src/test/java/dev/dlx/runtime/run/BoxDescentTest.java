package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Adam and L-BFGS in the box [0, 1] on a quadratic whose minimum lies partly outside: they end at its projection. */
class BoxDescentTest {
    /** f(x) = sum_i w_i (x_i - c_i)^2, with weights from 1 to 50 (an ill-conditioned bowl). */
    private static final double[] C = {0.3, -0.5, 1.7, 0.8, 0.05, 2.0};
    private static final double[] W = {1, 50, 3, 20, 7, 2};

    private static BoxDescent.Point<Void> at(float[] x) {
        double f = 0;
        float[] g = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f += W[i] * (x[i] - C[i]) * (x[i] - C[i]);
            g[i] = (float) (2 * W[i] * (x[i] - C[i]));
        }
        return new BoxDescent.Point<>(x, f, g, null);
    }

    private static float[] run(BoxDescent d, int steps) {
        Function<float[], BoxDescent.Point<Void>> at = BoxDescentTest::at;
        BoxDescent.Point<Void> p = at(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f});
        for (int k = 0; k < steps; k++) {
            BoxDescent.Point<Void> next = d.step(p, at);
            for (float v : next.x()) assertTrue(v >= 0 && v <= 1, "within the box");
            if (d instanceof BoxDescent.Lbfgs) assertTrue(next.objective() <= p.objective(), "L-BFGS never goes up");
            p = next;
        }
        return p.x();
    }

    @Test
    void bothEndAtTheMinimumProjectedIntoTheBox() {
        float[] expected = {0.3f, 0, 1, 0.8f, 0.05f, 1};
        float[] lbfgs = run(new BoxDescent.Lbfgs(0.1), 30);
        float[] adam = run(new BoxDescent.Adam(0.01), 2000);
        for (int i = 0; i < C.length; i++) {
            assertEquals(expected[i], lbfgs[i], 1e-4, "L-BFGS, value " + i);
            assertEquals(expected[i], adam[i], 2e-2, "Adam, value " + i);
        }
    }

    @Test
    void lbfgsFirstStepMovesNoValueFartherThanTheRate() {
        BoxDescent.Point<Void> start = at(new float[] {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f});
        BoxDescent.Point<Void> next = new BoxDescent.Lbfgs(0.05).step(start, BoxDescentTest::at);
        double largest = 0;
        for (int i = 0; i < C.length; i++) largest = Math.max(largest, Math.abs(next.x()[i] - 0.5));
        assertEquals(0.05, largest, 1e-6);
        assertTrue(next.objective() < start.objective());
    }
}
