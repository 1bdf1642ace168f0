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
import dev.dlx.runtime.metrics.Perplexity;
import dev.dlx.runtime.optim.LearningRate;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;

/**
 * Many-to-many training: `targets all` labels every step of a text window with the token that
 * follows it, fed and staged as [N, T] class indices against [T, V] per-step softmax outputs.
 */
class PerStepLabelsTest {
    @TempDir Path dir;

    private static final String PROGRAM = """
        dataset d {
            source text "t.txt" tokens char vocab 6 window 4 targets all
            split train 80%, val 20%
            batch 8
        }
        model M(x [4]) -> [4, 6] {
            embedding 6 8
            gru 16 return_sequences true
            dense 6 -> softmax
        }
        train M on d {
            loss sparse_categorical_crossentropy
            optimizer adam lr 3e-2
            init glorot_uniform seed 3
            epochs 25
            metrics accuracy perplexity
        }
        """;

    /** "abcd" over and over: each character determines the next, so every step is predictable. */
    private static String text() { return "abcd".repeat(20); }

    @Test
    void windowsAreLabelledWithTheNextTokenAtEveryStep() throws Exception {
        Compilation c = Fixtures.compile(dir, PROGRAM, Map.of("t.txt", "abcab"));
        LoadedData d = LoadedData.load(Fixtures.dataset(c));
        // vocabulary <pad>, <unk>, a b (2 each), c: ids a=2 b=3 c=4; windows "abca" only (its last label is the b after it)
        assertEquals(1, d.samples().count());
        assertArrayEquals(new float[] {2, 3, 4, 2}, d.samples().x());
        assertArrayEquals(new int[] {3, 4, 2, 3}, d.samples().classes());
        assertEquals(4, d.samples().classesPerSample());
    }

    @Test
    void labelsAreFedAndStagedAsOneRowOfStepsPerSample() throws Exception {
        Compilation c = Fixtures.compile(dir, PROGRAM, Map.of("t.txt", text()));
        LoadedData d = LoadedData.load(Fixtures.dataset(c));
        // 80 characters: windows start at 0..75; ids a=2 b=3 c=4 d=5 (equal counts, alphabetical)
        assertEquals(76, d.samples().count());
        try (BatchFeeder f = new BatchFeeder(d.samples().all(), d.labels(), null, null, 4)) {
            assertEquals(4, f.labelWidth());
            assertArrayEquals(new long[] {4}, f.labelShape());
            BatchFeeder.Batch b = f.batch(new int[] {1, 2}, 0, 2, null);
            assertArrayEquals(new long[] {2, 4}, b.y.shape().asArray());
            float[] y = new float[8];
            b.y.asRawTensor().data().asFloats().read(y);
            // window 1 is "bcda", labelled "cdab"; window 2 "cdab", labelled "dabc"
            assertArrayEquals(new float[] {4, 5, 2, 3, 5, 2, 3, 4}, y);
            assertArrayEquals(new int[] {4, 5, 2, 3, 5, 2, 3, 4}, java.util.Arrays.copyOf(b.classes, 8));
            TFloat32[] staged = f.stage();
            try (TFloat32 xs = staged[0]; TFloat32 ys = staged[1]) {
                assertArrayEquals(new long[] {76, 4}, ys.shape().asArray());
                assertEquals(5f, ys.getFloat(75, 3), "window 75 is \"dabc\", labelled \"abcd\"");
            }
        }
    }

    @Test
    void aPredictableSequenceIsLearnedStepByStepFedAndStaged() throws Exception {
        Compilation c = Fixtures.compile(dir, PROGRAM, Map.of("t.txt", text()));
        LoadedData data = LoadedData.load(Fixtures.dataset(c));
        Splitter.Splits splits = Splitter.split(data, 1);
        TrainIR t = Fixtures.training(c);
        // a unigram model cannot beat 4 (four tokens, equally frequent); the model should come close to 1
        double baseline = Perplexity.unigramPerplexity(Perplexity.unigram(splits.train(), 6), splits.val());
        assertTrue(baseline > 3.5, "unigram baseline " + baseline);
        for (boolean stageable : new boolean[] {false, true}) {
            try (TrainGraph g = TrainGraph.build(Fixtures.model(c), t, data.labels(), 1, TrainGraph.Threads.of(1), stageable);
                 BatchFeeder train = new BatchFeeder(splits.train(), data.labels(), null, null, 8);
                 BatchFeeder val = new BatchFeeder(splits.val(), data.labels(), null, null, 64)) {
                assertEquals(stageable, g.stageable());
                assertEquals(4, g.labelSteps());
                assertEquals(24, g.outputWidth());
                Trainer.Settings s = new Trainer.Settings(t.epochs(), t.metrics(), null, "val_loss", false, 0, true, 1,
                    MetricAccumulator.Task.MULTICLASS, false);
                History h = new Trainer(g, new LearningRate(null, t.optimizer().lr(), t.epochs()), s, null, new MemoryStore(), null, null)
                    .fit(train, val, 8, null);
                assertEquals(History.Stop.COMPLETED, h.stop());
                MetricAccumulator acc = new MetricAccumulator(MetricAccumulator.Task.MULTICLASS, 6, false, 4);
                Map<String, Double> m = Trainer.evaluate(g, val, t.metrics(), acc);
                assertEquals(1.0, m.get("accuracy"), 1e-12, "staged " + stageable + ": " + m);
                assertTrue(m.get("perplexity") < 1.2, "staged " + stageable + ": " + m);
                assertEquals(splits.val().size(), acc.samples());
                // the accuracy counts steps: every step of every window is a labelled token
                long tokens = 0;
                for (long[] row : acc.confusion()) for (long v : row) tokens += v;
                assertEquals(4L * splits.val().size(), tokens);
            }
        }
    }
}
