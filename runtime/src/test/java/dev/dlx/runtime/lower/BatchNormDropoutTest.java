package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.runtime.testing.Run;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

class BatchNormDropoutTest {
    static final String BN = "model M(x [2]) { batchnorm momentum 0.9 epsilon 0.01 }";
    static final double[] BATCH = {1, 10, 3, 20, 5, 60};  // channel 0: 1, 3, 5; channel 1: 10, 20, 60

    @Test
    void evaluationUsesTheMovingStatistics() {
        try (Run<TFloat64> run = Run.of(BN, TFloat64.class)) {
            run.set("batchnorm_1/gamma", 2, 0.5).set("batchnorm_1/beta", 1, -1)
                .set("batchnorm_1/moving_mean", 2, 10).set("batchnorm_1/moving_variance", 4, 25);
            double[] y = run.forward(false, BATCH);
            for (int i = 0; i < BATCH.length; i++) {
                double expected = i % 2 == 0 ? 2 * (BATCH[i] - 2) / Math.sqrt(4.01) + 1 : 0.5 * (BATCH[i] - 10) / Math.sqrt(25.01) - 1;
                assertEquals(expected, y[i], 1e-12);
            }
        }
    }

    @Test
    void trainingUsesBatchStatisticsAndUpdatesOnlyWhenAsked() {
        try (Run<TFloat64> run = Run.of(BN, TFloat64.class)) {
            double[] mean = {3, 30};
            double[] var = {8 / 3.0, ((10 - 30) * (10 - 30) + (20 - 30) * (20 - 30) + (60 - 30) * (60 - 30)) / 3.0};
            double[] y = run.forward(true, BATCH);
            for (int i = 0; i < BATCH.length; i++) {
                int c = i % 2;
                assertEquals((BATCH[i] - mean[c]) / Math.sqrt(var[c] + 0.01), y[i], 1e-12);
            }
            // running the forward pass alone leaves the moving statistics alone
            assertArrayEquals(new double[] {0, 0}, run.get("batchnorm_1/moving_mean"), 0);
            assertArrayEquals(new double[] {1, 1}, run.get("batchnorm_1/moving_variance"), 0);
            // a training step runs the updates: moving = 0.9 moving + 0.1 batch
            run.forward(true, true, run.graph.updateOps(), BATCH);
            assertArrayEquals(new double[] {0.1 * mean[0], 0.1 * mean[1]}, run.get("batchnorm_1/moving_mean"), 1e-12);
            assertArrayEquals(new double[] {0.9 + 0.1 * var[0], 0.9 + 0.1 * var[1]}, run.get("batchnorm_1/moving_variance"), 1e-12);
        }
    }

    @Test
    void dropoutKeepsTheExpectedFractionScaledWhileTraining() {
        int n = 20000;
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        try (Run<TFloat32> run = Run.of("model M(x [" + n + "]) { dropout 0.3 }", TFloat32.class)) {
            double[] y = run.forward(true, ones);
            int kept = 0;
            for (double v : y) {
                if (v != 0) {
                    kept++;
                    assertEquals(1 / 0.7, v, 1e-6);
                }
            }
            assertEquals(0.7, kept / (double) n, 0.015);
            assertArrayEquals(y, run.forward(true, ones), 0, "the same step draws the same mask");
            double[] next = run.atStep(1).forward(true, ones);
            assertEquals(false, java.util.Arrays.equals(y, next), "another step draws another mask");
            int both = 0;
            for (int i = 0; i < n; i++) if (y[i] != 0 && next[i] != 0) both++;
            assertEquals(0.7 * 0.7, both / (double) n, 0.015, "the masks of two steps are independent");
            assertArrayEquals(ones, run.forward(false, ones), 0, "identity at evaluation");
            assertArrayEquals(ones, run.forward(true, false, List.of(), ones), 0, "identity when dropout is switched off");
        }
    }

    @Test
    void dropoutMasksFollowTheSeed() {
        double[] ones = new double[100];
        java.util.Arrays.fill(ones, 1);
        String source = "model M(x [100]) { dropout 0.5 }";
        try (Run<TFloat32> a = Run.of(source, TFloat32.class); Run<TFloat32> b = Run.of(source, TFloat32.class);
             Run<TFloat32> other = new Run<>(a.model, TFloat32.class, 2)) {
            assertArrayEquals(a.forward(true, ones), b.forward(true, ones), 0);
            assertArrayEquals(a.atStep(7).forward(true, ones), b.atStep(7).forward(true, ones), 0, "step 7 of either run");
            assertEquals(false, java.util.Arrays.equals(a.forward(true, ones), other.atStep(7).forward(true, ones)), "another seed");
        }
    }
}
