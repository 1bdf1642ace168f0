package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.dlx.runtime.testing.Run;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat64;

/** The `yolo` head's decoding, field by field, against its formulas. */
class YoloLoweringTest {
    private static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }

    /**
     * A 1 x 2 grid (one row, two columns), one anchor 0.5 wide and 0.25 high, two classes: at column
     * c, p_c = sigmoid(t_o), b_x = (c + sigmoid(t_x)) / 2, b_y = (0 + sigmoid(t_y)) / 1,
     * b_h = 0.25 exp(t_h), b_w = 0.5 exp(t_w), softmax of the class logits; t_h above 4 is clipped to 4.
     */
    @Test void fieldsFollowTheirFormulas() {
        try (Run<TFloat64> run = Run.of("model M(x [1, 2, 7]) { yolo anchors 0.5 0.25 classes 2 }", TFloat64.class)) {
            double[] t = {0.5, -1, 2, 0.1, -0.2, 1, 3,
                          -2, 0, 0, 9, 0, 0, 0};
            double s = Math.exp(1) + Math.exp(3);
            double[] expected = {
                sigmoid(0.5), (0 + sigmoid(-1)) / 2, sigmoid(2), 0.25 * Math.exp(0.1), 0.5 * Math.exp(-0.2), Math.exp(1) / s, Math.exp(3) / s,
                sigmoid(-2), (1 + 0.5) / 2, 0.5, 0.25 * Math.exp(4), 0.5, 0.5, 0.5};
            assertArrayEquals(expected, run.forward(false, t), 1e-12);
        }
    }
}
