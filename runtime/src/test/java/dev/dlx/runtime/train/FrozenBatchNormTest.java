package dev.dlx.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frozen batch normalization normalizes with its moving statistics while the rest trains (as
 * Keras does for a layer with `trainable = False`), and its four tensors stay bit-identical.
 */
class FrozenBatchNormTest {
    @TempDir Path dir;

    private Compilation compile(String freeze) throws Exception {
        return Fixtures.compile(dir, """
            dataset d {
                source csv "d.csv" { features 0..5, label 6 }
                labels classes 3 sparse
            }
            model M(x [6]) -> [3] {
                dense 8
                batchnorm
                relu
                dense 3 -> softmax
            }
            train M on d {
                loss sparse_categorical_crossentropy
                optimizer adam lr 1e-2
                %s
            }
            """.formatted(freeze), Map.of("d.csv", Fixtures.classesCsv(64, 2, 3)));
    }

    /** The loss of a training step (before its update) and of inference on the same batch, and the weights before and after. */
    private record Seen(double step, double inference, Map<String, float[]> before, Map<String, float[]> after) {}

    private Seen steps(Compilation c) throws Exception {
        LoadedData data = LoadedData.load(Fixtures.dataset(c), 1);
        try (TrainGraph g = Fixtures.graph(c, 3);
             BatchFeeder feed = new BatchFeeder(data.samples().all(), Fixtures.dataset(c).labels(), null, null, 64)) {
            BatchFeeder.Batch b = feed.batch(null, 0, 64, null);
            Map<String, float[]> before = g.readWeights();
            double inference = g.evaluate(b).data();
            double step = g.step(b, true).data();
            for (int i = 0; i < 5; i++) g.step(b, true);
            return new Seen(step, inference, before, g.readWeights());
        }
    }

    @Test
    void aFrozenBatchNormUsesItsMovingStatisticsAndKeepsThem() throws Exception {
        Seen frozen = steps(compile("freeze batchnorm_1"));
        assertEquals(frozen.inference(), frozen.step(), 1e-6, "training normalizes as inference does");
        for (String w : new String[] {"batchnorm_1/gamma", "batchnorm_1/beta", "batchnorm_1/moving_mean", "batchnorm_1/moving_variance"}) {
            assertArrayEquals(frozen.before().get(w), frozen.after().get(w), 0f, w + " is untouched");
        }
        assertTrue(!java.util.Arrays.equals(frozen.before().get("dense_1/kernel"), frozen.after().get("dense_1/kernel")), "the rest trains");
        // the same model unfrozen normalizes each batch by its own statistics: another loss, and moving statistics that move
        Seen open = steps(compile(""));
        assertTrue(Math.abs(open.inference() - open.step()) > 1e-3, "batch statistics differ from the initial moving ones: " + open);
        assertTrue(!java.util.Arrays.equals(open.before().get("batchnorm_1/moving_mean"), open.after().get("batchnorm_1/moving_mean")));
    }
}
