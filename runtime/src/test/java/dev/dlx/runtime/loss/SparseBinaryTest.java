package dev.dlx.runtime.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.compiler.Compilation;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.Samples;
import dev.dlx.runtime.train.Fixtures;
import dev.dlx.runtime.train.TrainGraph;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binary cross-entropy of one sigmoid unit on two-class labels given as class indices (`labels
 * classes 2 sparse`, which `check` accepts): each sample's loss pairs its one prediction with its
 * one label, not with every label of the batch.
 */
class SparseBinaryTest {
    @TempDir Path dir;

    @Test
    void eachPredictionMeetsItsOwnLabel() throws Exception {
        Compilation c = Fixtures.compile(dir, """
            dataset d {
                source csv "d.csv" { features 0..1, label 2 }
                labels classes 2 sparse
            }
            model M(x [2]) -> [1] {
                dense 1 -> sigmoid
            }
            train M on d {
                loss binary_crossentropy
                optimizer sgd
            }
            """, Map.of("d.csv", "0,1,0\n1,0,1\n1,1,1\n0,0,0\n"));
        float[] x = {0, 1, 1, 0, 1, 1, 0, 0};
        int[] y = {0, 1, 1, 0};
        try (TrainGraph g = Fixtures.graph(c, 3);
             BatchFeeder feed = new BatchFeeder(new Samples(x, 4, new int[] {2}, y, null, 0).all(), Fixtures.dataset(c).labels(), null, null, 4)) {
            TrainGraph.StepLoss loss = g.evaluate(feed.batch(null, 0, 4, null));
            float[] p = g.predictions();
            double sum = 0;
            for (int i = 0; i < 4; i++) sum -= y[i] == 1 ? Math.log(p[i]) : Math.log(1 - p[i]);
            assertEquals(sum / 4, loss.data(), 1e-5, "predictions " + java.util.Arrays.toString(p));
        }
    }
}
