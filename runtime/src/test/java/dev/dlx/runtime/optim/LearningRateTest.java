package dev.dlx.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.train.Schedule;
import org.junit.jupiter.api.Test;

/** Each schedule's learning rate, epoch by epoch, against its formula. */
class LearningRateTest {
    private static double[] first(LearningRate lr, int n) {
        double[] out = new double[n];
        for (int e = 0; e < n; e++) out[e] = lr.at(e);
        return out;
    }

    @Test
    void constantWithoutSchedule() {
        assertArrayEquals(new double[] {0.1, 0.1, 0.1}, first(new LearningRate(null, 0.1, 3), 3), 1e-15);
    }

    @Test
    void stepHalvesEveryTwoEpochs() {
        LearningRate lr = new LearningRate(new Schedule.Step(2, 0.5, null), 0.1, 10);
        assertArrayEquals(new double[] {0.1, 0.1, 0.05, 0.05, 0.025, 0.025}, first(lr, 6), 1e-15);
    }

    @Test
    void exponentialDecaysContinuously() {
        LearningRate lr = new LearningRate(new Schedule.Exponential(0.9, 2, null), 1.0, 10);
        assertArrayEquals(new double[] {1, Math.pow(0.9, 0.5), 0.9, Math.pow(0.9, 1.5), 0.81}, first(lr, 5), 1e-12);
    }

    @Test
    void cosineGoesFromTheRateToTheMinimumOverTheEpochs() {
        LearningRate lr = new LearningRate(new Schedule.Cosine(0.01, null), 0.11, 4);
        // min + (lr0 - min) (1 + cos(pi e / E)) / 2 for e = 0..3, E = 4
        double[] expected = new double[4];
        for (int e = 0; e < 4; e++) expected[e] = 0.01 + 0.1 * (1 + Math.cos(Math.PI * e / 4)) / 2;
        assertArrayEquals(expected, first(lr, 4), 1e-12);
        assertArrayEquals(new double[] {0.11, 0.06}, new double[] {lr.at(0), lr.at(2)}, 1e-12);
    }

    @Test
    void plateauReducesAfterPatienceEpochsWithoutImprovement() {
        LearningRate lr = new LearningRate(new Schedule.Plateau(0.5, 2, 0.02, 0.01, "val_loss", null, null), 0.1, 20);
        double[] losses = {1.0, 0.8, 0.795, 0.79, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
        double[] rates = new double[losses.length];
        for (int e = 0; e < losses.length; e++) {
            rates[e] = lr.at(e);
            lr.observe(losses[e], false);
        }
        // epochs 2 and 3 improve by less than min_delta: lowered after epoch 3; epoch 4 improves;
        // 5 and 6 do not: lowered after epoch 6 (0.025); 7 and 8 do not: 0.0125 is below min_lr, so 0.02
        assertArrayEquals(new double[] {0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.02}, rates, 1e-15);
        assertFalse(lr.observe(Double.NaN, false));
    }

    @Test
    void plateauStateSurvivesARestore() {
        LearningRate a = new LearningRate(new Schedule.Plateau(0.5, 1, 0, 0, "loss", null, null), 1, 10);
        a.observe(1.0, false);
        assertTrue(a.observe(1.0, false));
        LearningRate b = new LearningRate(new Schedule.Plateau(0.5, 1, 0, 0, "loss", null, null), 1, 10);
        b.restore(a.state());
        assertArrayEquals(new double[] {a.at(5)}, new double[] {b.at(5)}, 0);
        assertTrue(b.observe(1.0, false));
    }
}
