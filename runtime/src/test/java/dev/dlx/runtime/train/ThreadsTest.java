package dev.dlx.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.optim.LearningRate;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a step uses the cores: a small model runs on the calling thread (no hand-off to a pool), a
 * larger one on all cores, and where the ops run does not change what a step computes.
 */
class ThreadsTest {
    @TempDir Path dir;

    private static final String MLP = """
        dataset d {
            source csv "data.csv" { features 0..5, label 6 }
            labels classes 3 sparse
            split train 100% shuffle seed 1
            batch 16
        }
        model M(x [6]) -> [3] {
            dense 8 -> relu
            dropout 0.2
            dense 3 -> softmax
        }
        train M on d {
            loss sparse_categorical_crossentropy
            optimizer adam lr 1e-2
            epochs 3
            metrics accuracy
        }
        """;

    /** 90 samples of 6 features, 3 classes. */
    private static String csv() { return Fixtures.classesCsv(90, 1, 3); }

    @Test
    void aSmallModelStepsOnTheCallingThreadAndALargerOneOnEveryCore() throws Exception {
        Compilation mlp = Fixtures.compile(dir, MLP, Map.of("data.csv", csv()));
        assertEquals(TrainGraph.Threads.of(1), TrainGraph.Threads.auto(Fixtures.model(mlp), 64));
        assertEquals(new TrainGraph.Threads(1, TrainGraph.Threads.CALLER), TrainGraph.Threads.of(1));
        assertEquals(new TrainGraph.Threads(4, 2), TrainGraph.Threads.of(4));
        // 32 filters of 3x3 over 28x28, then 64 over 14x14: about 7.5M multiply-adds a sample, 480M a batch of 64
        Compilation cnn = Fixtures.compile(dir, """
            model C(image [28, 28, 1]) -> [10] {
                conv 32 3 padding same -> relu
                maxpool 2
                conv 64 3 padding same -> relu
                maxpool 2
                flatten
                dense 10 -> softmax
            }
            """, Map.of());
        assertEquals(TrainGraph.Threads.auto(), TrainGraph.Threads.auto(cnn.models().get("C"), 64));
    }

    private Map<String, float[]> train(Compilation c, TrainGraph.Threads threads, boolean staged) throws Exception {
        TrainIR t = Fixtures.training(c);
        LoadedData data = LoadedData.load(Fixtures.dataset(c));
        var split = Splitter.split(data, 1).train();
        try (TrainGraph g = TrainGraph.build(Fixtures.model(c), t, Fixtures.dataset(c).labels(), 5, threads, staged);
             BatchFeeder feed = new BatchFeeder(split, Fixtures.dataset(c).labels(), null, null, 16)) {
            Trainer.Settings s = new Trainer.Settings(t.epochs(), t.metrics(), null, "loss", false, 0, true, 1,
                MetricAccumulator.Task.MULTICLASS, false);
            History h = new Trainer(g, new LearningRate(null, t.optimizer().lr(), t.epochs()), s, null, null, null, null).fit(feed, null, 16, null);
            assertEquals(History.Stop.COMPLETED, h.stop());
            assertTrue(h.last().get("loss") < h.epochs().get(0).get("loss"), "the loss fell");
            return g.readWeights();
        }
    }

    @Test
    void theCallingThreadTrainsExactlyAsAOneThreadPoolDoes() throws Exception {
        Compilation c = Fixtures.compile(dir, MLP, Map.of("data.csv", csv()));
        for (boolean staged : new boolean[] {false, true}) {
            Map<String, float[]> pooled = train(c, new TrainGraph.Threads(1, 1), staged);
            Map<String, float[]> caller = train(c, TrainGraph.Threads.of(1), staged);
            assertEquals(pooled.keySet(), caller.keySet());
            for (String w : pooled.keySet()) assertArrayEquals(pooled.get(w), caller.get(w), w + (staged ? " (staged)" : " (fed)"));
        }
    }
}
