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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop's rules: early stopping and restoring the best weights, and stopping on request. */
class TrainerTest {
    @TempDir Path dir;

    /** 160 samples of 16 random features with random labels: validation loss rises as the model memorizes. */
    private static String noise() {
        Random r = new Random(3);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 160; i++) {
            for (int j = 0; j < 16; j++) s.append(String.format(java.util.Locale.ROOT, "%.4f,", r.nextGaussian()));
            s.append(r.nextInt(3)).append('\n');
        }
        return s.toString();
    }

    private static final String PROGRAM = """
        dataset d {
            source csv "noise.csv" { features 0..15, label 16 }
            labels classes 3 onehot
            split train 50%, val 50% shuffle seed 1
            batch 16
        }
        model M(x [16]) -> [3] {
            dense 64 -> relu
            dense 3 -> softmax
        }
        train M on d {
            loss categorical_crossentropy
            optimizer adam lr 1e-2
            epochs 60
            early_stop on val_loss patience 3 min_delta 0.001 restore_best
            metrics accuracy
        }
        """;

    private record Setup(Compilation c, TrainIR t, LoadedData data, Splitter.Splits splits) {}

    private Setup setup() throws Exception {
        Compilation c = Fixtures.compile(dir, PROGRAM, Map.of("noise.csv", noise()));
        LoadedData data = LoadedData.load(Fixtures.dataset(c));
        return new Setup(c, Fixtures.training(c), data, Splitter.split(data, 1));
    }

    private static Trainer trainer(TrainGraph g, TrainIR t, CheckpointStore store, StopSignal stop, TrainListener listener) {
        return trainer(g, t, store, stop, listener, t.epochs());
    }

    private static Trainer trainer(TrainGraph g, TrainIR t, CheckpointStore store, StopSignal stop, TrainListener listener, int epochs) {
        Trainer.Settings s = new Trainer.Settings(epochs, t.metrics(), t.earlyStop(), "val_loss", false, t.earlyStop().minDelta(), true, 1,
            MetricAccumulator.Task.MULTICLASS, false);
        return new Trainer(g, new LearningRate(null, t.optimizer().lr(), t.epochs()), s, listener, store, stop, null);
    }

    @Test
    void earlyStoppingStopsPatienceEpochsAfterTheBestAndRestoresItsWeights() throws Exception {
        Setup s = setup();
        MemoryStore store = new MemoryStore();
        try (TrainGraph g = Fixtures.graph(s.c(), 1);
             BatchFeeder train = new BatchFeeder(s.splits().train(), s.data().labels(), null, null, 16);
             BatchFeeder val = new BatchFeeder(s.splits().val(), s.data().labels(), null, null, 256)) {
            History h = trainer(g, s.t(), store, null, null).fit(train, val, 16, null);

            // the rule, applied by hand to the recorded validation losses
            double best = Double.POSITIVE_INFINITY;
            int bestEpoch = 0, wait = 0, stopAt = -1;
            for (EpochRecord r : h.epochs()) {
                double v = r.get("val_loss");
                if (v < best - 0.001) {
                    best = v;
                    bestEpoch = r.epoch();
                    wait = 0;
                } else if (++wait >= 3) {
                    stopAt = r.epoch();
                    break;
                }
            }
            assertEquals(History.Stop.EARLY_STOPPED, h.stop(), "validation loss on random labels must rise");
            assertEquals(stopAt, h.completedEpochs());
            assertEquals(bestEpoch + 3, h.completedEpochs());
            assertEquals(bestEpoch, h.bestEpoch());
            assertEquals(best, h.bestValue(), 0);
            assertTrue(h.restoredBest());

            // the weights in the graph are the best epoch's: those of the last `best` checkpoint, and they give its loss
            Checkpoint saved = store.latestBest();
            assertEquals(bestEpoch, saved.epoch());
            Map<String, float[]> now = g.readWeights();
            for (Map.Entry<String, float[]> e : saved.weights().entrySet()) assertArrayEquals(e.getValue(), now.get(e.getKey()), e.getKey());
            Map<String, Double> m = Trainer.evaluate(g, val, s.t().metrics(), new MetricAccumulator(MetricAccumulator.Task.MULTICLASS, 3, false));
            assertEquals(best, m.get("loss"), 1e-6);
            // `last` is saved every epoch, the last one at the stopping epoch
            assertEquals(h.completedEpochs(), store.latestLast().epoch());
            assertEquals(h.completedEpochs(), store.last.size());
        }
    }

    private Checkpoint interrupted;

    @Test
    void aStopRequestEndsTheEpochAfterTheCurrentBatchAndSavesLast() throws Exception {
        Setup s = setup();
        MemoryStore store = new MemoryStore();
        StopSignal stop = new StopSignal();
        TrainListener ctrlC = new TrainListener() {
            int epoch;

            @Override public void epochStart(int e, int epochs, int batches, double lr) { epoch = e; }

            @Override public void batchEnd(int batch, int batches, double loss, double acc, long samples, double seconds) {
                if (epoch == 2 && batch == 2) stop.request();
            }
        };
        try (TrainGraph g = Fixtures.graph(s.c(), 1);
             BatchFeeder train = new BatchFeeder(s.splits().train(), s.data().labels(), null, null, 16);
             BatchFeeder val = new BatchFeeder(s.splits().val(), s.data().labels(), null, null, 256)) {
            History h = trainer(g, s.t(), store, stop, ctrlC).fit(train, val, 16, null);
            assertEquals(History.Stop.INTERRUPTED, h.stop());
            assertEquals(1, h.completedEpochs());
            Checkpoint last = store.latestLast();
            assertEquals(1, last.epoch(), "one complete epoch");
            assertEquals(2, last.meta().get("interrupted_during_epoch").getAsInt());
            assertEquals(2, last.meta().get("batches_done").getAsInt());
            // `last` holds the weights after the second batch of epoch 2, as the graph does
            Map<String, float[]> now = g.readWeights();
            for (Map.Entry<String, float[]> e : last.weights().entrySet()) assertArrayEquals(e.getValue(), now.get(e.getKey()));
            assertTrue(last.optimizer().containsKey("adam/beta1_power"));
            interrupted = last;
            // Adam's state too: β1^(t+1) after t = 5 + 2 steps (80 training samples in batches of 16, then 2)
            assertEquals(Math.pow(0.9, 8), last.optimizer().get("adam/beta1_power")[0], 1e-6);
        }
    }

    @Test
    void aRunResumedAfterAStopRequestEqualsTheUninterruptedRun() throws Exception {
        aStopRequestEndsTheEpochAfterTheCurrentBatchAndSavesLast();
        Setup s = setup();
        History whole, resumed;
        Map<String, float[]> wholeWeights, resumedWeights;
        try (TrainGraph g = Fixtures.graph(s.c(), 1);
             BatchFeeder train = new BatchFeeder(s.splits().train(), s.data().labels(), null, null, 16);
             BatchFeeder val = new BatchFeeder(s.splits().val(), s.data().labels(), null, null, 256)) {
            MemoryStore store = new MemoryStore();
            whole = trainer(g, s.t(), store, null, null, 3).fit(train, val, 16, null);
            wholeWeights = store.latestLast().weights(); // after epoch 3 (the graph may hold the restored best)
        }
        Checkpoint c = interrupted;
        Trainer.Resume resume = new Trainer.Resume(c.epoch(), c.meta().get("batches_done").getAsInt(), c.weights(), c.optimizer(),
            Trainer.doubles(c.meta().getAsJsonArray("schedule_state")),
            Trainer.doubles(c.meta().getAsJsonObject("monitor").getAsJsonArray("state")), null, c.meta().get(Trainer.STEPS_DONE).getAsLong());
        try (TrainGraph g = Fixtures.graph(s.c(), 1);
             BatchFeeder train = new BatchFeeder(s.splits().train(), s.data().labels(), null, null, 16);
             BatchFeeder val = new BatchFeeder(s.splits().val(), s.data().labels(), null, null, 256)) {
            MemoryStore store = new MemoryStore();
            resumed = trainer(g, s.t(), store, null, null, 3).fit(train, val, 16, resume);
            resumedWeights = store.latestLast().weights();
        }
        assertEquals(2, resumed.epochs().get(0).epoch());
        assertEquals(whole.epochs().get(1).val(), resumed.epochs().get(0).val(), "epoch 2 ends where it would have");
        assertEquals(whole.epochs().get(2).train(), resumed.epochs().get(1).train(), "epoch 3 is the same epoch");
        for (String name : wholeWeights.keySet()) assertArrayEquals(wholeWeights.get(name), resumedWeights.get(name), name);
    }
}
