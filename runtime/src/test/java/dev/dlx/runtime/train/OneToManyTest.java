package dev.dlx.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.data.Samples;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.optim.LearningRate;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-to-many model (`repeat 8` into a GRU) generates the 8 rows of a digit's image from its
 * class alone. No function of the class can do much better on the test split than the mean image
 * of each class over the training split, and the mean of all training images is the baseline: both
 * are computed here from the split, and the model's error must come near the first, far below the second.
 */
class OneToManyTest {
    @TempDir Path dir;

    @Test
    void aRepeatedClassCodeUnrollsIntoTheRowsOfItsDigit() throws Exception {
        Path digits = Fixtures.repo().resolve("samples/data/digits.csv.gz");
        String program = """
            dataset digit_images {
                source csv "%s" { features 64, label 0..63, categorical 64 }
                labels regression
                split train 70%%, val 15%%, test 15%% shuffle seed 42
                batch 32
            }
            model RowsOfDigit(digit [10]) -> [64] {
                dense 32 -> relu
                repeat 8
                gru 64 return_sequences
                dense 64 -> relu
                dense 8
                flatten
            }
            train RowsOfDigit on digit_images {
                loss mse
                optimizer adam lr 1e-2
                init glorot_uniform seed 3
                epochs 30
                metrics mse
            }
            """.formatted(digits.toString().replace("\\", "/"));
        Compilation c = Fixtures.compile(dir, program, Map.of());
        LoadedData data = LoadedData.load(Fixtures.dataset(c));
        Splitter.Splits splits = Splitter.split(data, 1);
        Samples s = data.samples();
        assertEquals(10, s.sampleSize(), "the class, one-hot");
        assertEquals(64, s.targetSize());

        // the mean image of each class, and of all digits, over the training split
        double[][] classMean = new double[10][64];
        double[] allMean = new double[64];
        int[] counts = new int[10];
        for (int i : splits.train().index()) {
            int k = classOf(s, i);
            counts[k]++;
            for (int j = 0; j < 64; j++) {
                classMean[k][j] += s.targets()[i * 64 + j];
                allMean[j] += s.targets()[i * 64 + j] / splits.train().size();
            }
        }
        for (int k = 0; k < 10; k++) for (int j = 0; j < 64; j++) classMean[k][j] /= counts[k];
        SampleSet test = splits.test();
        double byClass = 0, overall = 0;
        for (int i : test.index()) {
            for (int j = 0; j < 64; j++) {
                double y = s.targets()[i * 64 + j];
                byClass += Math.pow(y - classMean[classOf(s, i)][j], 2) / (64.0 * test.size());
                overall += Math.pow(y - allMean[j], 2) / (64.0 * test.size());
            }
        }
        assertTrue(byClass < 0.7 * overall, "class means " + byClass + ", overall mean " + overall);

        TrainIR t = Fixtures.training(c);
        try (TrainGraph g = TrainGraph.build(Fixtures.model(c), t, data.labels(), 1, TrainGraph.Threads.of(2));
             BatchFeeder train = new BatchFeeder(splits.train(), data.labels(), null, null, 32);
             BatchFeeder val = new BatchFeeder(splits.val(), data.labels(), null, null, 300);
             BatchFeeder eval = new BatchFeeder(test, data.labels(), null, null, 300)) {
            Trainer.Settings settings = new Trainer.Settings(t.epochs(), t.metrics(), null, "val_loss", false, 0, true, 1,
                MetricAccumulator.Task.REGRESSION, false);
            new Trainer(g, new LearningRate(null, t.optimizer().lr(), t.epochs()), settings, null, new MemoryStore(), null, null)
                .fit(train, val, 32, null);
            double mse = Trainer.evaluate(g, eval, t.metrics(), new MetricAccumulator(MetricAccumulator.Task.REGRESSION, 64, false)).get("mse");
            System.out.printf(java.util.Locale.ROOT, "digit rows from the class: test mse %.3f; class means %.3f, mean image %.3f%n",
                mse, byClass, overall);
            assertTrue(mse < 1.2 * byClass, "mse " + mse + " vs the class means' " + byClass);
            assertTrue(mse > 0.9 * byClass, "no function of the class beats the class means by much: " + mse + " vs " + byClass);
        }
    }

    private static int classOf(Samples s, int i) {
        int best = 0;
        for (int k = 1; k < 10; k++) if (s.x()[i * 10 + k] > s.x()[i * 10 + best]) best = k;
        return best;
    }
}
