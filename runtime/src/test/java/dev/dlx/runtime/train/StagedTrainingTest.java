package dev.dlx.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * A training split staged in the graph trains exactly as fed batches do (same batches, same
 * order, same weights after several epochs), and the fused cross-entropy of a softmax output is
 * the cross-entropy computed by hand from its probabilities.
 */
class StagedTrainingTest {
    @TempDir Path dir;

    /** 75 samples (batches of 16: a last batch of 11) of 6 features, 3 classes. */
    private static String csv() { return Fixtures.classesCsv(75, 1.5, 5); }

    private static String program(String encoding, String loss, String extra) {
        return """
            dataset d {
                source csv "data.csv" { features 0..5, label 6 }
                labels classes 3 %s
                split train 100%% shuffle seed 1
                normalize featurewise
                batch 16
            }
            model M(x [6]) -> [3] {
                dense 8 -> tanh
                dense 3 -> softmax
            }
            train M on d {
                loss %s%s
                optimizer adam lr 1e-2
                epochs 4
                metrics accuracy
            }
            """.formatted(encoding, loss, extra);
    }

    private record Trained(Map<String, float[]> weights, History history) {}

    private Trained train(Compilation c, boolean staged) {
        TrainIR t = Fixtures.training(c);
        LoadedData data;
        try {
            data = LoadedData.load(Fixtures.dataset(c));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        var train = Splitter.split(data, 1).train();
        var normalizer = dev.dlx.runtime.data.Normalizer.fit(Fixtures.dataset(c).normalize(), train);
        try (TrainGraph g = TrainGraph.build(Fixtures.model(c), t, Fixtures.dataset(c).labels(), 3, TrainGraph.Threads.of(1), staged);
             BatchFeeder feed = new BatchFeeder(train, Fixtures.dataset(c).labels(), normalizer, null, 16)) {
            assertEquals(staged, g.stageable());
            Trainer.Settings s = new Trainer.Settings(t.epochs(), t.metrics(), null, "loss", false, 0, true, 1,
                MetricAccumulator.Task.MULTICLASS, false);
            History h = new Trainer(g, new LearningRate(null, t.optimizer().lr(), t.epochs()), s, null, null, null, null).fit(feed, null, 16, null);
            return new Trained(g.readWeights(), h);
        }
    }

    private void stagedEqualsFed(String encoding, String loss) throws Exception {
        Compilation c = Fixtures.compile(dir, program(encoding, loss, ""), Map.of("data.csv", csv()));
        Trained fed = train(c, false), staged = train(c, true);
        assertEquals(4, staged.history().epochs().size());
        for (int e = 0; e < 4; e++) {
            assertEquals(fed.history().epochs().get(e).get("loss"), staged.history().epochs().get(e).get("loss"), 1e-6, "loss of epoch " + (e + 1));
            assertEquals(fed.history().epochs().get(e).get("accuracy"), staged.history().epochs().get(e).get("accuracy"), 1e-12);
        }
        for (Map.Entry<String, float[]> w : fed.weights().entrySet()) {
            float[] a = w.getValue(), b = staged.weights().get(w.getKey());
            for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5, w.getKey() + "[" + i + "]");
        }
        // and training did something: the loss fell
        assertTrue(staged.history().epochs().get(3).get("loss") < staged.history().epochs().get(0).get("loss"));
    }

    @Test
    void aStagedSplitTrainsExactlyAsFedBatchesWithClassIndices() throws Exception {
        stagedEqualsFed("sparse", "sparse_categorical_crossentropy");
    }

    @Test
    void aStagedSplitTrainsExactlyAsFedBatchesWithOneHotRows() throws Exception {
        stagedEqualsFed("onehot", "categorical_crossentropy");
    }

    /** The loss a step reports is -mean(log p[label]) of the softmax probabilities it returns (with smoothing: the smoothed targets). */
    private void fusedLossMatchesHand(String encoding, String loss, double smoothing) throws Exception {
        String extra = smoothing == 0 ? "" : " label_smoothing " + smoothing;
        Compilation c = Fixtures.compile(dir, program(encoding, loss, extra), Map.of("data.csv", csv()));
        LoadedData data = LoadedData.load(Fixtures.dataset(c));
        var train = Splitter.split(data, 1).train();
        try (TrainGraph g = Fixtures.graph(c, 9);
             BatchFeeder feed = new BatchFeeder(train, Fixtures.dataset(c).labels(), null, null, 32)) {
            BatchFeeder.Batch b = feed.batch(null, 0, 32, null);
            TrainGraph.StepLoss l = g.evaluate(b);
            float[] p = g.predictions();
            double sum = 0;
            for (int i = 0; i < 32; i++) {
                for (int k = 0; k < 3; k++) {
                    double y = (b.classes[i] == k ? 1 : 0) * (1 - smoothing) + smoothing / 3;
                    sum -= y * Math.log(p[i * 3 + k]);
                }
            }
            assertEquals(sum / 32, l.data(), 1e-5);
        }
    }

    @Test
    void theFusedCrossEntropyOfASoftmaxOutputIsTheCrossEntropyOfItsProbabilities() throws Exception {
        fusedLossMatchesHand("sparse", "sparse_categorical_crossentropy", 0);
        fusedLossMatchesHand("onehot", "categorical_crossentropy", 0);
        fusedLossMatchesHand("onehot", "categorical_crossentropy", 0.1);
    }

    /**
     * The step's gradients, taken from the logits on with the fused kernel's own gradient there, are
     * those TensorFlow derives from the whole objective (mean, kernel, penalties) for the same batch.
     */
    private void fusedGradientsMatchTensorFlows(String encoding, String loss, String extra, double tolerance) throws Exception {
        Compilation c = Fixtures.compile(dir, program(encoding, loss, extra), Map.of("data.csv", csv()));
        LoadedData data = LoadedData.load(Fixtures.dataset(c));
        var train = Splitter.split(data, 1).train();
        try (TrainGraph g = Fixtures.graph(c, 9);
             BatchFeeder feed = new BatchFeeder(train, Fixtures.dataset(c).labels(), null, null, 32);
             org.tensorflow.types.TBool yes = org.tensorflow.types.TBool.scalarOf(true)) {
            var xs = g.trained().stream().map(w -> w.variable().asOutput()).toArray(org.tensorflow.Output<?>[]::new);
            var reference = g.model().graph().addGradients("reference", new org.tensorflow.Output<?>[] {g.objective().asOutput()}, xs, null);
            BatchFeeder.Batch b = feed.batch(null, 5, 27, null);
            var runner = g.session().runner().feed(g.model().inputs().get(0), b.x).feed(g.target(), b.y).feed(g.model().training(), yes);
            g.gradients().forEach(runner::fetch);
            for (var r : reference) runner.fetch(r);
            try (org.tensorflow.Result r = runner.run()) {
                int n = xs.length;
                assertEquals(4, n);
                for (int i = 0; i < n; i++) {
                    float[] ours = dev.dlx.runtime.graph.Tensors.floats(r.get(i)), theirs = dev.dlx.runtime.graph.Tensors.floats(r.get(n + i));
                    String name = g.trained().get(i).name() + " (" + loss + extra + ")";
                    if (tolerance == 0) org.junit.jupiter.api.Assertions.assertArrayEquals(theirs, ours, name);
                    else for (int k = 0; k < ours.length; k++) assertEquals(theirs[k], ours[k], tolerance * Math.max(1, Math.abs(theirs[k])), name);
                    double norm = 0;
                    for (float v : ours) norm += v * v;
                    assertTrue(norm > 0, name + " is not zero");
                }
            }
        }
    }

    @Test
    void theGradientsOfAFusedCrossEntropyAreThoseOfTheWholeObjective() throws Exception {
        fusedGradientsMatchTensorFlows("sparse", "sparse_categorical_crossentropy", "", 0);
        fusedGradientsMatchTensorFlows("onehot", "categorical_crossentropy", "", 0);
        fusedGradientsMatchTensorFlows("onehot", "categorical_crossentropy", " label_smoothing 0.1", 0);
        fusedGradientsMatchTensorFlows("sparse", "sparse_categorical_crossentropy", "\n    regularize l2 0.01", 1e-6);
    }

    @Test
    void augmentedOrOversizedSplitsAreNotStagedAndPositionsNeedAStagedSplit() throws Exception {
        assertTrue(TrainGraph.worthStaging(60_000, 784, false));
        assertFalse(TrainGraph.worthStaging(60_000, 784, true));
        assertFalse(TrainGraph.worthStaging(1_000_000, 32 * 32 * 3, false));
        Compilation c = Fixtures.compile(dir, program("sparse", "sparse_categorical_crossentropy", ""), Map.of("data.csv", csv()));
        LoadedData data = LoadedData.load(Fixtures.dataset(c));
        try (TrainGraph g = TrainGraph.build(Fixtures.model(c), Fixtures.training(c), Fixtures.dataset(c).labels(), 1, TrainGraph.Threads.of(1), true);
             BatchFeeder feed = new BatchFeeder(Splitter.split(data, 1).train(), Fixtures.dataset(c).labels(), null, null, 16)) {
            BatchFeeder.Batch b = feed.positions(null, 0, 16);
            assertThrows(IllegalStateException.class, () -> g.step(b, true));
        }
    }

    @Test
    void aStepThatIsNotFiniteChangesNeitherTheWeightsNorTheOptimizerState() throws Exception {
        Compilation c = Fixtures.compile(dir, program("sparse", "sparse_categorical_crossentropy", ""), Map.of("data.csv", csv()));
        LoadedData data = LoadedData.load(Fixtures.dataset(c));
        try (TrainGraph g = Fixtures.graph(c, 2);
             BatchFeeder feed = new BatchFeeder(Splitter.split(data, 1).train(), Fixtures.dataset(c).labels(), null, null, 16)) {
            TrainGraph.StepLoss ok = g.step(feed.batch(null, 0, 16, null), true);
            assertTrue(ok.finite());
            Map<String, float[]> weights = g.readWeights(), state = g.readOptimizerState();
            BatchFeeder.Batch bad = feed.batch(null, 16, 16, null);
            float[] x = new float[16 * 6];
            bad.x.asRawTensor().data().asFloats().read(x);
            x[7] = Float.NaN;
            bad.x.asRawTensor().data().asFloats().write(x);
            TrainGraph.StepLoss nan = g.step(bad, true);
            assertFalse(nan.finite());
            assertTrue(Double.isNaN(nan.objective()));
            for (Map.Entry<String, float[]> e : weights.entrySet()) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(e.getValue(), g.readWeights().get(e.getKey()), e.getKey());
            }
            for (Map.Entry<String, float[]> e : state.entrySet()) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(e.getValue(), g.readOptimizerState().get(e.getKey()), e.getKey());
            }
            // and the next finite step trains on
            assertTrue(g.step(feed.batch(null, 32, 16, null), true).finite());
            assertFalse(java.util.Arrays.equals(weights.get("dense_1/kernel"), g.readWeights().get("dense_1/kernel")));
        }
    }
}
