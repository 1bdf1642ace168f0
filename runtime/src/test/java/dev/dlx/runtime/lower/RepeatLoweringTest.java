package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.dlx.runtime.testing.Run;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat64;

/** `repeat T` against the vector written out T times, and a one-to-many recurrence computed by hand. */
class RepeatLoweringTest {

    @Test
    void repeatCopiesTheVectorToEveryStep() {
        try (Run<TFloat64> run = Run.of("model M(x [3]) { repeat 2 }", TFloat64.class)) {
            assertArrayEquals(new double[] {1, 2, 3, 1, 2, 3, -4, 5, 0.5, -4, 5, 0.5},
                run.forward(false, new double[] {1, 2, 3, -4, 5, 0.5}), 0);
        }
    }

    @Test
    void aRecurrenceOverTheRepeatedVectorUnrollsByHand() {
        // h<t> = tanh(x W + h<t-1> U + b) with the same x at every step
        try (Run<TFloat64> run = Run.of("model M(x [2]) { repeat 3 -> rnn 1 return_sequences }", TFloat64.class)) {
            run.set("rnn_1/kernel", 0.5, -1);
            run.set("rnn_1/recurrent_kernel", 0.8);
            run.set("rnn_1/bias", 0.1);
            double[] x = {1, 2};
            double in = 0.5 * 1 - 1 * 2 + 0.1;
            double h1 = Math.tanh(in), h2 = Math.tanh(in + 0.8 * h1), h3 = Math.tanh(in + 0.8 * h2);
            assertArrayEquals(new double[] {h1, h2, h3}, run.forward(false, x), 1e-12);
        }
    }
}
