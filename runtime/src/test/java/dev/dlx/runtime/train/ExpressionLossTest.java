package dev.dlx.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Splitter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An expression loss equal to a built-in one trains to the same numbers, and an expression's
 * gradient reaches only the layers it depends on. A few steps of a tiny model on 48 samples.
 */
class ExpressionLossTest {
    @TempDir Path dir;

    private static String program(String loss) {
        return """
            dataset d {
                source csv "data.csv" { features 0..5, label 6 }
                labels classes 3 onehot
                split train 100%%
            }
            model M(x [6]) -> [3] {
                let h = dense 8 -> tanh
                h -> dense 3 -> softmax
            }
            train M on d {
                loss %s
                optimizer sgd lr 0.1
            }
            """.formatted(loss);
    }

    private record Trained(List<Double> losses, Map<String, float[]> weights) {}

    /** Six steps of 16 samples, the same batches for every loss, from the same initial weights. */
    private Trained train(String loss) throws Exception {
        Compilation c = Fixtures.compile(dir, program(loss), Map.of("data.csv", Fixtures.classesCsv(48, 1.5, 7)));
        var train = Splitter.split(LoadedData.load(Fixtures.dataset(c)), 1).train();
        List<Double> losses = new ArrayList<>();
        try (TrainGraph g = Fixtures.graph(c, 3); BatchFeeder feed = new BatchFeeder(train, Fixtures.dataset(c).labels(), null, null, 16)) {
            int[] order = new int[train.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            for (int step = 0; step < 6; step++) {
                BatchFeeder.Batch b = feed.batch(order, (step % 3) * 16, 16, new Random(step));
                TrainGraph.StepLoss l = g.step(b, false);
                losses.add(l.data());
            }
            return new Trained(losses, g.readWeights());
        }
    }

    @Test
    void anExpressionEqualToTheBuiltInTrainsToTheSameNumbers() throws Exception {
        Trained builtin = train("categorical_crossentropy");
        // the same loss written as a call takes the same (fused) path: bit-equal
        Trained call = train("categorical_crossentropy(output, label)");
        assertEquals(builtin.losses(), call.losses());
        // a sum of halves is lowered as an expression (per-sample cross-entropy from the probabilities)
        Trained halves = train("0.5 * categorical_crossentropy(output, label) + categorical_crossentropy(output, label) / 2");
        for (int i = 0; i < builtin.losses().size(); i++) {
            assertEquals(builtin.losses().get(i), halves.losses().get(i), 1e-6, "loss of step " + (i + 1));
        }
        for (String w : builtin.weights().keySet()) {
            assertArrayEquals(builtin.weights().get(w), halves.weights().get(w), 1e-6f, w);
        }
        assertFalse(builtin.losses().get(5) >= builtin.losses().get(0), "the loss falls: " + builtin.losses());
    }

    @Test
    void anExpressionOverAnIntermediateTensorTrainsOnlyWhatItReaches() throws Exception {
        Trained start = train("mean(square(h)) + 0 * mean(output)");
        Trained onlyH = train("mean(square(h))");
        Trained untrained = train("0 * mean(output)");
        assertEquals(java.util.Set.of("dense_1/kernel", "dense_1/bias", "dense_2/kernel", "dense_2/bias"), onlyH.weights().keySet());
        // the head (dense_2) is not reached by mean(square(h)): its weights stay as initialized
        assertArrayEquals(untrained.weights().get("dense_2/kernel"), onlyH.weights().get("dense_2/kernel"));
        // the first layer moves to shrink h, exactly as when the head is in the graph with a zero weight
        assertArrayEquals(start.weights().get("dense_1/kernel"), onlyH.weights().get("dense_1/kernel"), 1e-6f);
        assertFalse(java.util.Arrays.equals(untrained.weights().get("dense_1/kernel"), onlyH.weights().get("dense_1/kernel")));
        assertFalse(onlyH.losses().get(5) >= onlyH.losses().get(0), "mean(h^2) falls: " + onlyH.losses());
    }

    /** `metric NAME = ...` is reported per epoch, on training and validation data, as the batch-weighted mean of its expression. */
    @Test
    void expressionMetricsAreReportedPerEpoch() throws Exception {
        String program = program("categorical_crossentropy").replace("split train 100%", "split train 75%, val 25%")
            .replace("optimizer sgd lr 0.1", "optimizer sgd lr 0.1\n    epochs 2\n    metric half = 0.5 * categorical_crossentropy(output, label)"
                + "\n    metric peak = max(output)");
        Compilation c = Fixtures.compile(dir, program, Map.of("data.csv", Fixtures.classesCsv(48, 1.5, 7)));
        var t = Fixtures.training(c);
        var split = Splitter.split(LoadedData.load(Fixtures.dataset(c)), 1);
        try (TrainGraph g = Fixtures.graph(c, 3);
             BatchFeeder train = new BatchFeeder(split.train(), Fixtures.dataset(c).labels(), null, null, 16);
             BatchFeeder val = new BatchFeeder(split.val(), Fixtures.dataset(c).labels(), null, null, 16)) {
            Trainer.Settings s = new Trainer.Settings(t.epochs(), t.metrics(), null, "loss", false, 0, false, 1,
                dev.dlx.runtime.metrics.MetricAccumulator.Task.MULTICLASS, false);
            History h = new Trainer(g, new dev.dlx.runtime.optim.LearningRate(null, 0.1, 2), s, null, null, null, null).fit(train, val, 16, null);
            assertEquals(2, h.epochs().size());
            for (EpochRecord r : h.epochs()) {
                assertEquals(List.of("loss", "accuracy", "half", "peak"), new ArrayList<>(r.train().keySet()));
                // the cross-entropy of the same batches before each update, halved
                assertEquals(0.5 * r.get("loss"), r.get("half"), 1e-6);
                assertEquals(0.5 * r.get("val_loss"), r.get("val_half"), 1e-6);
                // the largest of three probabilities lies in [1/3, 1]
                assertTrue(r.get("val_peak") >= 1.0 / 3 && r.get("val_peak") <= 1, "val_peak " + r.get("val_peak"));
            }
        }
    }
}
