package dev.dlx.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.optim.LearningRate;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dropout masks belong to the training step (epoch * batches + batch): a run resumed after an
 * interruption, mid-epoch or at an epoch's end, draws the masks of the uninterrupted run and ends
 * with bit-identical weights, while two steps of one run draw different masks.
 */
class DropoutResumeTest {
    @TempDir Path dir;

    /** 160 samples of 8 random features with random labels; 80 train in 5 batches of 16. */
    private static String noise() {
        Random r = new Random(5);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 160; i++) {
            for (int j = 0; j < 8; j++) s.append(String.format(java.util.Locale.ROOT, "%.4f,", r.nextGaussian()));
            s.append(r.nextInt(3)).append('\n');
        }
        return s.toString();
    }

    private static final String PROGRAM = """
        dataset d {
            source csv "noise.csv" { features 0..7, label 8 }
            labels classes 3 onehot
            split train 50%, val 50% shuffle seed 1
            batch 16
        }
        model M(x [8]) -> [3] {
            dense 32 -> relu
            dropout 0.5
            dense 3 -> softmax
        }
        train M on d {
            loss categorical_crossentropy
            optimizer adam lr 1e-2
            epochs 3
            metrics accuracy
        }
        """;

    private record Setup(Compilation c, TrainIR t, LoadedData data, Splitter.Splits splits) {}

    private Setup setup() throws Exception {
        Compilation c = Fixtures.compile(dir, PROGRAM, Map.of("noise.csv", noise()));
        LoadedData data = LoadedData.load(Fixtures.dataset(c));
        return new Setup(c, Fixtures.training(c), data, Splitter.split(data, 1));
    }

    private static Trainer trainer(TrainGraph g, TrainIR t, CheckpointStore store, StopSignal stop, TrainListener listener, int epochs) {
        Trainer.Settings s = new Trainer.Settings(epochs, t.metrics(), null, "val_loss", false, 0, true, 1,
            MetricAccumulator.Task.MULTICLASS, false);
        return new Trainer(g, new LearningRate(null, t.optimizer().lr(), t.epochs()), s, listener, store, stop, null);
    }

    /** Trains from scratch ({@code resume} null) or from a checkpoint, up to {@code epochs}; `last` at the end. */
    private static Checkpoint train(Setup s, int epochs, Checkpoint from, StopSignal stop, TrainListener listener) {
        Trainer.Resume resume = from == null ? null : new Trainer.Resume(from.epoch(),
            from.meta().has("batches_done") ? from.meta().get("batches_done").getAsInt() : 0, from.weights(), from.optimizer(),
            Trainer.doubles(from.meta().getAsJsonArray("schedule_state")),
            Trainer.doubles(from.meta().getAsJsonObject("monitor").getAsJsonArray("state")), null, from.meta().get(Trainer.STEPS_DONE).getAsLong());
        MemoryStore store = new MemoryStore();
        try (TrainGraph g = Fixtures.graph(s.c(), 1);
             BatchFeeder train = new BatchFeeder(s.splits().train(), s.data().labels(), null, null, 16);
             BatchFeeder val = new BatchFeeder(s.splits().val(), s.data().labels(), null, null, 256)) {
            trainer(g, s.t(), store, stop, listener, epochs).fit(train, val, 16, resume);
        }
        return store.latestLast();
    }

    private static void assertSameWeights(Checkpoint expected, Checkpoint actual) {
        assertEquals(expected.weights().keySet(), actual.weights().keySet());
        for (String name : expected.weights().keySet()) assertArrayEquals(expected.weights().get(name), actual.weights().get(name), name);
    }

    @Test
    void aRunResumedMidEpochOrAtAnEpochsEndEndsWithTheUninterruptedRunsWeights() throws Exception {
        Setup s = setup();
        Checkpoint whole = train(s, 3, null, null, null);
        assertEquals(3, whole.epoch());

        // stopped after batch 2 of epoch 2 (global steps 0..6 done), resumed up to epoch 3
        StopSignal stop = new StopSignal();
        TrainListener ctrlC = new TrainListener() {
            int epoch;

            @Override public void epochStart(int e, int epochs, int batches, double lr) { epoch = e; }

            @Override public void batchEnd(int batch, int batches, double loss, double acc, long samples, double seconds) {
                if (epoch == 2 && batch == 2) stop.request();
            }
        };
        Checkpoint stopped = train(s, 3, null, stop, ctrlC);
        assertEquals(1, stopped.epoch());
        assertEquals(2, stopped.meta().get("batches_done").getAsInt());
        assertSameWeights(whole, train(s, 3, stopped, null, null));

        // one epoch, then resumed up to epoch 3
        Checkpoint first = train(s, 1, null, null, null);
        assertEquals(1, first.epoch());
        assertSameWeights(whole, train(s, 3, first, null, null));
    }

    @Test
    void aStepsMasksDifferFromAnotherStepsAndFromNoDropout() throws Exception {
        Setup s = setup();
        try (TrainGraph g = Fixtures.graph(s.c(), 1);
             BatchFeeder train = new BatchFeeder(s.splits().train(), s.data().labels(), null, null, 16)) {
            g.setLearningRate(0); // the weights stay as they are: only the masks change the loss
            BatchFeeder.Batch batch = train.batch(null, 0, 16, null);
            double step0 = g.step(batch, true, 0).data();
            double step1 = g.step(batch, true, 1).data();
            double step12 = g.step(batch, true, 12).data();
            double off = g.step(batch, false, 0).data();
            assertEquals(step0, g.step(batch, true, 0).data(), 0, "step 0 again draws step 0's masks");
            assertEquals(step12, g.step(batch, true, 12).data(), 0);
            assertNotEquals(step0, step1, "another step, other masks");
            assertNotEquals(step1, step12);
            assertNotEquals(step0, off, "dropout drops while training");
            assertEquals(off, g.evaluate(batch).data(), 1e-6, "evaluation has no dropout");
        }
    }
}
