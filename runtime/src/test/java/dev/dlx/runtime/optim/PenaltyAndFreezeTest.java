package dev.dlx.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dlx.compiler.Compilation;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.train.Fixtures;
import dev.dlx.runtime.train.TrainGraph;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weight penalties are added to the loss for the chosen kernels only; frozen layers do not change. */
class PenaltyAndFreezeTest {
    @TempDir Path dir;

    private static final float[] K1 = {0.5f, -1f, 2f, 0.25f, -0.5f, 1f};
    private static final float[] K2 = {3f, -4f};

    private Compilation compile(String rules) throws Exception {
        String program = """
            dataset d {
                source csv "d.csv" { features 0..2, label 3 }
                labels regression
            }
            block pair(units) {
                dense units -> relu
            }
            model M(x [3]) -> [1] {
                pair(2)
                dense 1
            }
            train M on d {
                loss mse
                optimizer sgd lr 0.1
                %s
            }
            """.formatted(rules);
        return Fixtures.compile(dir, program, Map.of("d.csv", "1,2,3,4\n"));
    }

    /** objective - loss for the fixed weights K1 (first dense, inside the block) and K2 (the head, `dense_1`). */
    private double penalty(String rules) throws Exception {
        Compilation c = compile(rules);
        try (TrainGraph g = Fixtures.graph(c, 1);
             BatchFeeder f = Fixtures.regressionFeeder(c, new float[] {1, 2, 3}, 3, new float[] {4})) {
            g.writeWeights(Map.of("pair_1/dense_1/kernel", K1, "dense_1/kernel", K2, "pair_1/dense_1/bias", new float[] {7, 7},
                "dense_1/bias", new float[] {9}));
            TrainGraph.StepLoss l = g.evaluate(f.batch(null, 0, 1, null));
            return l.objective() - l.data();
        }
    }

    private static double l1(float[]... ws) {
        return Arrays.stream(ws).mapToDouble(w -> { double s = 0; for (float v : w) s += Math.abs(v); return s; }).sum();
    }

    private static double l2(float[]... ws) {
        return Arrays.stream(ws).mapToDouble(w -> { double s = 0; for (float v : w) s += v * v; return s; }).sum();
    }

    @Test
    void penaltiesCoverKernelsNotBiases() throws Exception {
        assertEquals(0, penalty(""), 1e-6);
        assertEquals(0.5 * l2(K1, K2), penalty("regularize l2 0.5"), 1e-4);
        assertEquals(0.1 * l1(K1, K2), penalty("regularize l1 0.1"), 1e-4);
        assertEquals(0.2 * (0.75 * l1(K1, K2) + 0.25 * l2(K1, K2)), penalty("regularize elastic_net 0.2 alpha 0.25"), 1e-4);
        assertEquals(0.5 * l2(K2), penalty("regularize l2 0.5 on dense_1"), 1e-4);
        assertEquals(0.5 * l2(K1) + 0.1 * l1(K2), penalty("regularize l2 0.5 on pair_1\n    regularize l1 0.1 on dense_1"), 1e-4);
    }

    @Test
    void frozenLayersKeepTheirWeights() throws Exception {
        Compilation c = compile("freeze pair_1");
        try (TrainGraph g = Fixtures.graph(c, 1);
             BatchFeeder f = Fixtures.regressionFeeder(c, new float[] {1, 2, 3}, 3, new float[] {4})) {
            g.writeWeights(Map.of("pair_1/dense_1/kernel", K1, "dense_1/kernel", K2));
            Map<String, float[]> before = g.readWeights();
            g.step(f.batch(null, 0, 1, null), true);
            Map<String, float[]> after = g.readWeights();
            assertArrayEquals(before.get("pair_1/dense_1/kernel"), after.get("pair_1/dense_1/kernel"));
            assertArrayEquals(before.get("pair_1/dense_1/bias"), after.get("pair_1/dense_1/bias"));
            assertFalse(Arrays.equals(before.get("dense_1/kernel"), after.get("dense_1/kernel")), "the head trains");
            assertEquals(2, g.trained().size());
        }
    }
}
