package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dlx.compiler.Compilation;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.data.Samples;
import dev.dlx.runtime.train.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scores of metric learning against hand-made embeddings, and a triplet model trained by `dlxc run` on the digits. */
class MetricLearningTest {
    @TempDir Path dir;

    @Test
    void theThresholdIsMostAccurateOnThePairsItIsChosenOn() {
        // same-class pairs at 1, 2, 4 and different ones at 3, 5, 6: below 3.5 or 2.5, five of six are right
        MetricLearning.Pairs p = new MetricLearning.Pairs(new double[] {1, 2, 4, 3, 5, 6}, new boolean[] {true, true, true, false, false, false});
        double t = MetricLearning.bestThreshold(p);
        assertEquals(5.0 / 6, MetricLearning.accuracy(p, t), 1e-12);
        assertEquals(2.5, t, 1e-12, "midway between 2 and 3, the first best");
        MetricLearning.Pairs separable = new MetricLearning.Pairs(new double[] {0.1, 0.2, 0.9, 1.2}, new boolean[] {true, true, false, false});
        assertEquals(1.0, MetricLearning.accuracy(separable, MetricLearning.bestThreshold(separable)), 1e-12);
    }

    @Test
    void tiedDistancesAreNeverSplitByTheThreshold() {
        // three pairs at distance 0 (two of one class, one not) and one different pair at 1: below 0.5, three of four are right
        MetricLearning.Pairs p = new MetricLearning.Pairs(new double[] {0, 0, 0, 1}, new boolean[] {true, false, true, false});
        double t = MetricLearning.bestThreshold(p);
        assertEquals(0.5, t, 1e-12);
        assertEquals(0.75, MetricLearning.accuracy(p, t), 1e-12);
    }

    @Test
    void heldOutClassesStayOutOfTrainingEvenWithoutASplit() throws Exception {
        Compilation c = Fixtures.compile(dir, """
            dataset digits {
                source csv "%s" { features 0..63, label 64 }
                labels classes 10 sparse
                triplets holdout 8..9
            }
            """.formatted(Fixtures.repo().resolve("samples/data/digits.csv.gz")), Map.of());
        dev.dlx.runtime.data.LoadedData data = dev.dlx.runtime.data.LoadedData.load(c.datasets().get("digits"), 1);
        dev.dlx.runtime.data.Splitter.Splits s = dev.dlx.runtime.data.Splitter.split(data, 1);
        for (int j = 0; j < s.train().size(); j++) assertTrue(s.train().classOf(j) < 8, "class " + s.train().classOf(j) + " trains");
        SampleSet unseen = dev.dlx.runtime.data.Splitter.unseen(data);
        assertEquals(data.samples().count(), s.train().size() + unseen.size(), "every sample is in one of the two");
        for (int j = 0; j < unseen.size(); j++) assertTrue(unseen.classOf(j) >= 8);
    }

    @Test
    void oneShotIsPerfectOnSeparatedClassesAndChanceOnNoise() {
        // 6 classes of 10 samples: embeddings at their class's corner, or all at one point
        int n = 60;
        int[] classes = new int[n];
        float[][] apart = new float[n][], together = new float[n][];
        for (int i = 0; i < n; i++) {
            classes[i] = i / 10;
            apart[i] = new float[] {classes[i] * 10f, (i % 10) * 0.01f};
            together[i] = new float[] {0, 0};
        }
        SampleSet set = new Samples(new float[n], n, new int[] {1}, classes, null, 0).all();
        assertEquals(1.0, MetricLearning.oneShot(set, apart, 5, 3), 1e-12);
        // ties go to the first example: the query's class is first in 1 of 5 trials
        double chance = MetricLearning.oneShot(set, together, 5, 3);
        assertTrue(Math.abs(chance - 0.2) < 0.05, "chance in 5-way: " + chance);
    }

    @Test
    void aTripletModelOnTheDigitsIsScoredAfterTraining() throws Exception {
        String program = """
            dataset digits {
                source csv "%s" { features 0..63, label 64 }
                features scale 1/16
                labels classes 10 sparse
                split train 70%%, val 15%%, test 15%% shuffle seed 42
                triplets holdout 5..9
                batch 32
            }
            model Encoder(x [64]) -> [16] {
                dense 64 -> relu
                dense 16
            }
            model Triplet(anchor [64], positive [64], negative [64]) {
                let ea = anchor -> Encoder
                let ep = positive -> Encoder
                let en = negative -> Encoder
                return ea, ep, en
            }
            train Triplet on digits {
                loss relu(sqdist(ea, ep) - sqdist(ea, en) + 0.2)
                optimizer adam lr 1e-3
                epochs 8
            }
            """.formatted(Fixtures.repo().resolve("samples/data/digits.csv.gz"));
        Compilation c = Fixtures.compile(dir, program, Map.of());
        assertEquals("ea", MetricLearning.embedding(Fixtures.model(c)).name(), "the encoder's output for the anchor");
        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        int code = r.run(dir.resolve("main.dlx"), RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN)
            .withSeed(1L));
        assertEquals(Runner.OK, code, out.toString());
        String text = out.out.toString();
        assertTrue(text.contains("verification: same below squared distance") && text.contains("recognition: nearest of")
            && text.contains("one-shot 5-way on the 5 held-out classes"), text);
        JsonObject scores = JsonParser.parseString(Files.readString(r.results().get(0).folder().resolve(RunFolder.METRIC_LEARNING)))
            .getAsJsonObject();
        // digits 0-4 only: the test split's pairs are told apart far above chance, and its samples recognized
        assertTrue(scores.get("test_verification_accuracy").getAsDouble() > 0.85, scores.toString());
        assertTrue(scores.get("test_recognition_accuracy").getAsDouble() > 0.9, scores.toString());
        double oneShot = scores.get("one_shot_5_way_accuracy").getAsDouble();
        assertTrue(oneShot > 0.3 && oneShot <= 1, "above 5-way chance on classes never trained on: " + scores);
    }
}
