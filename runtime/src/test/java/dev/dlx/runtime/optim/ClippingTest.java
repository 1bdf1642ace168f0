package dev.dlx.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.compiler.Compilation;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.train.Fixtures;
import dev.dlx.runtime.train.TrainGraph;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clipping bounds the applied update: plain SGD with lr 1 on one sample x = (1, 2, 3), target 100,
 * from zero weights, so the unclipped gradients are -200 x for the kernel and -200 for the bias
 * and the applied update is minus the clipped gradient.
 */
class ClippingTest {
    @TempDir Path dir;

    /** [kernel update (3 values), bias update]. */
    private float[][] update(String clip) throws Exception {
        String program = """
            dataset d {
                source csv "d.csv" { features 0..2, label 3 }
                labels regression
            }
            model M(x [3]) -> [1] {
                dense 1
            }
            train M on d {
                loss mse
                optimizer sgd lr 1
                init zeros
                %s
            }
            """.formatted(clip);
        Compilation c = Fixtures.compile(dir, program, Map.of("d.csv", "1,2,3,100\n"));
        try (TrainGraph g = Fixtures.graph(c, 1);
             BatchFeeder feed = Fixtures.regressionFeeder(c, new float[] {1, 2, 3}, 3, new float[] {100})) {
            g.step(feed.batch(null, 0, 1, null), true);
            Map<String, float[]> w = g.readWeights();
            return new float[][] {w.get("dense_1/kernel"), w.get("dense_1/bias")};
        }
    }

    @Test
    void withoutClippingTheFullGradientIsApplied() throws Exception {
        float[][] u = update("");
        assertArrayEquals(new float[] {200, 400, 600}, u[0], 1e-3f);
        assertArrayEquals(new float[] {200}, u[1], 1e-3f);
    }

    @Test
    void byValueClipsEveryElement() throws Exception {
        float[][] u = update("clip value 0.5");
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, u[0], 1e-6f);
        assertArrayEquals(new float[] {0.5f}, u[1], 1e-6f);
    }

    @Test
    void byNormRescalesEachTensor() throws Exception {
        float[][] u = update("clip norm 1.0");
        double s = Math.sqrt(14);
        assertArrayEquals(new float[] {(float) (1 / s), (float) (2 / s), (float) (3 / s)}, u[0], 1e-6f);
        assertEquals(1.0, norm(u[0]), 1e-6);
        assertArrayEquals(new float[] {1f}, u[1], 1e-6f);
    }

    @Test
    void byGlobalNormRescalesAllTogether() throws Exception {
        float[][] u = update("clip global_norm 1.0");
        double global = Math.sqrt(200.0 * 200 * 14 + 200.0 * 200);
        assertEquals(1.0, Math.hypot(norm(u[0]), norm(u[1])), 1e-6);
        assertArrayEquals(new float[] {(float) (200 / global), (float) (400 / global), (float) (600 / global)}, u[0], 1e-6f);
        assertArrayEquals(new float[] {(float) (200 / global)}, u[1], 1e-6f);
    }

    @Test
    void aBoundAboveTheGradientChangesNothing() throws Exception {
        float[][] u = update("clip global_norm 1000");
        assertArrayEquals(new float[] {200, 400, 600}, u[0], 1e-3f);
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float f : v) s += (double) f * f;
        return Math.sqrt(s);
    }
}
