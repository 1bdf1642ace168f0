package dev.dlx.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.train.Metric;
import dev.dlx.compiler.train.Precision;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.optim.LearningRate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.GraphOperation;
import org.tensorflow.proto.DataType;

/**
 * `precision bf16`: the convolutions and dense layers multiply in bfloat16 while the weights, the
 * optimizer and the loss stay float32, and a small CNN trained so on the digits learns as well as
 * in float32 (test accuracy counted on held-out digits, not timed).
 */
class Bf16TrainingTest {
    @TempDir Path dir;

    private static String program(String precision) {
        String csv = Fixtures.repo().resolve("samples/data/digits.csv.gz").toString();
        return """
            dataset digits {
                source csv "%s" { features 0..63, label 64 }
                features reshape [8, 8, 1] scale 1/16
                labels classes 10 sparse
                split train 75%%, test 25%% shuffle seed 3 stratify
                batch 32
            }
            model C(image [8, 8, 1]) -> [10] {
                conv 8 3 padding same -> relu
                maxpool 2
                flatten
                dense 32 -> relu
                dense 10 -> softmax
            }
            train C on digits {
                loss sparse_categorical_crossentropy
                optimizer adam lr 3e-3
                init glorot_uniform seed 1
                epochs 6
                metrics accuracy
                %s
            }
            """.formatted(csv, precision);
    }

    private record Trained(double testAccuracy, double firstLoss, double lastLoss, Map<String, float[]> weights) {}

    private Trained train(String precision, List<DataType> products) throws Exception {
        Compilation c = Fixtures.compile(dir, program(precision), Map.of());
        TrainIR t = Fixtures.training(c);
        var ds = Fixtures.dataset(c);
        Splitter.Splits splits = Splitter.split(LoadedData.load(ds), 1);
        try (TrainGraph g = TrainGraph.build(Fixtures.model(c), t, ds.labels(), 5, TrainGraph.Threads.of(1), false);
             BatchFeeder feed = new BatchFeeder(splits.train(), ds.labels(), null, null, 32);
             BatchFeeder test = new BatchFeeder(splits.test(), ds.labels(), null, null, 256)) {
            for (Iterator<GraphOperation> it = g.model().graph().operations(); it.hasNext(); ) {
                GraphOperation op = it.next();
                if (Set.of("Conv2D", "MatMul").contains(op.type())) products.add(op.output(0).dataType());
            }
            Trainer.Settings s = new Trainer.Settings(t.epochs(), t.metrics(), null, "loss", false, 0, true, 1,
                MetricAccumulator.Task.MULTICLASS, false);
            History h = new Trainer(g, new LearningRate(null, t.optimizer().lr(), t.epochs()), s, null, null, null, null).fit(feed, null, 32, null);
            assertEquals(History.Stop.COMPLETED, h.stop());
            Map<String, Double> m = Trainer.evaluate(g, test, List.of(Metric.ACCURACY),
                new MetricAccumulator(MetricAccumulator.Task.MULTICLASS, g.outputWidth(), false));
            return new Trained(m.get("accuracy"), h.epochs().get(0).get("loss"), h.last().get("loss"), g.readWeights());
        }
    }

    @Test
    void bf16TrainsTheDigitsCnnAsWellAsFloat32() throws Exception {
        List<DataType> f32Products = new ArrayList<>(), bf16Products = new ArrayList<>();
        Trained f32 = train("", f32Products);
        Trained bf16 = train("precision bf16", bf16Products);

        // the forward products (one convolution, two dense layers) and their gradients' products
        assertFalse(f32Products.isEmpty());
        assertEquals(f32Products.size(), bf16Products.size());
        assertTrue(f32Products.stream().allMatch(type -> type == DataType.DT_FLOAT), "float32 multiplies in float32");
        long bf16Count = bf16Products.stream().filter(type -> type == DataType.DT_BFLOAT16).count();
        assertEquals(bf16Products.size(), bf16Count, "every product of the bf16 graph multiplies in bfloat16");
        // master weights: float32, one value per weight, as in the float32 training
        assertEquals(f32.weights().keySet(), bf16.weights().keySet());
        for (String w : f32.weights().keySet()) assertEquals(f32.weights().get(w).length, bf16.weights().get(w).length, w);

        // both learn the digits: the loss falls and the held-out accuracy is high
        assertTrue(f32.lastLoss() < f32.firstLoss() / 2, "float32 loss " + f32.firstLoss() + " -> " + f32.lastLoss());
        assertTrue(bf16.lastLoss() < bf16.firstLoss() / 2, "bf16 loss " + bf16.firstLoss() + " -> " + bf16.lastLoss());
        assertTrue(f32.testAccuracy() > 0.9, "float32 test accuracy " + f32.testAccuracy());
        // bfloat16 keeps 8 bits of mantissa: the weights differ, the accuracy within 3 points (of 450 test digits, 13)
        assertTrue(Math.abs(bf16.testAccuracy() - f32.testAccuracy()) <= 0.03,
            "bf16 test accuracy " + bf16.testAccuracy() + " against float32's " + f32.testAccuracy());
        boolean differ = false;
        for (String w : f32.weights().keySet()) differ |= !java.util.Arrays.equals(f32.weights().get(w), bf16.weights().get(w));
        assertTrue(differ, "the bf16 training computed differently (its products are rounded)");
    }

    /**
     * Between bfloat16 products, the layers that compute exactly in any format (relu, max pooling,
     * flatten) take the bfloat16 value as it is: the forward pass from the image to the softmax casts
     * the image, each weight and the logits only (8 casts; casting every activation down and up again
     * around each product took 12), and those layers run in bfloat16.
     */
    @Test
    void reluPoolingAndFlattenStayInBfloat16BetweenProducts() throws Exception {
        Compilation c = Fixtures.compile(dir, program("precision bf16"), Map.of());
        TrainIR t = Fixtures.training(c);
        try (TrainGraph g = TrainGraph.build(Fixtures.model(c), t, Fixtures.dataset(c).labels(), 5, TrainGraph.Threads.of(1), false)) {
            Map<String, List<DataType>> forward = new java.util.TreeMap<>();
            java.util.Deque<GraphOperation> todo = new java.util.ArrayDeque<>(List.of((GraphOperation) g.model().output().op()));
            Set<String> seen = new java.util.HashSet<>();
            while (!todo.isEmpty()) {
                GraphOperation op = todo.pop();
                if (!seen.add(op.name())) continue;
                forward.computeIfAbsent(op.type(), k -> new ArrayList<>()).add(op.numOutputs() > 0 ? op.output(0).dataType() : null);
                for (int i = 0; i < op.numInputs(); i++) todo.push((GraphOperation) op.input(i).op());
            }
            assertEquals(8, forward.get("Cast").size(), "casts on the forward path: " + forward.keySet());
            assertEquals(List.of(DataType.DT_BFLOAT16, DataType.DT_BFLOAT16), forward.get("Relu"), "the two relus");
            assertEquals(List.of(DataType.DT_BFLOAT16), forward.get("MaxPool"));
            assertTrue(forward.get("Conv2D").stream().allMatch(type -> type == DataType.DT_BFLOAT16));
            assertEquals(DataType.DT_FLOAT, g.model().output().asOutput().dataType(), "the model's output is float32");
        }
    }

    @Test
    void theDefaultIsFloat32() throws Exception {
        Compilation c = Fixtures.compile(dir, program(""), Map.of());
        assertEquals(Precision.FLOAT32, Fixtures.training(c).precision());
        Compilation b = Fixtures.compile(dir, program("precision bf16"), Map.of());
        assertEquals(Precision.BF16, Fixtures.training(b).precision());
    }
}
