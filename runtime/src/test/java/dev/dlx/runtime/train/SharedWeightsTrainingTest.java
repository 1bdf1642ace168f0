package dev.dlx.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import dev.dlx.compiler.Compilation;
import dev.dlx.runtime.data.BatchFeeder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model used twice in a row (`x -> Mix -> Mix`) trains one set of weights: the checkpoint holds
 * them once, a step moves them by the gradient of both uses together, and `freeze` and
 * `regularize` take them once.
 */
class SharedWeightsTrainingTest {
    @TempDir Path dir;

    private static final float[] X = {1, -2, 0.5f, 0.3f, 0.8f, -1};
    private static final float[] Y = {0.7f, -0.4f};

    private Compilation compile(String rules) throws Exception {
        String program = """
            dataset d {
                source csv "d.csv" { features 0..2, label 3 }
                labels regression
            }
            model Mix(v [3]) -> [3] {
                dense 3 -> tanh
            }
            model M(x [3]) -> [1] {
                x -> Mix -> Mix
                dense 1
            }
            train M on d {
                loss mse
                optimizer sgd lr 0.1
                %s
            }
            """.formatted(rules);
        return Fixtures.compile(dir, program, Map.of("d.csv", "1,-2,0.5,0.7\n0.3,0.8,-1,-0.4\n"));
    }

    private static BatchFeeder.Batch batch(BatchFeeder f) { return f.batch(null, 0, 2, null); }

    @Test
    void afterTrainingTheCheckpointHoldsTheSharedWeightsOnce() throws Exception {
        Compilation c = compile("");
        // Mix: dense 3 on [3]: 9 + 3 = 12, counted once; dense 1 on [3]: 4. Total 16
        assertEquals(16, Fixtures.model(c).totalParams());
        Path file = dir.resolve("last.npz");
        Map<String, float[]> before;
        try (TrainGraph g = Fixtures.graph(c, 1); BatchFeeder f = Fixtures.regressionFeeder(c, X, 3, Y)) {
            before = g.readWeights();
            for (int i = 0; i < 3; i++) g.step(batch(f), true);
            new Checkpoint(g.readWeights(), g.shapes(), g.readOptimizerState(), new JsonObject()).write(file);
        }
        Checkpoint saved = Checkpoint.read(file);
        assertEquals(List.of("Mix/dense_1/kernel", "Mix/dense_1/bias", "dense_1/kernel", "dense_1/bias"), List.copyOf(saved.weights().keySet()));
        assertEquals(16, saved.weights().values().stream().mapToInt(v -> v.length).sum());
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertEquals(1, zip.stream().filter(e -> e.getName().endsWith("kernel.npy") && e.getName().contains("Mix")).count());
        }
        assertFalse(Arrays.equals(before.get("Mix/dense_1/kernel"), saved.weights().get("Mix/dense_1/kernel")), "the shared weights trained");
    }

    @Test
    void aStepMovesTheSharedWeightsByTheGradientOfBothUses() throws Exception {
        Compilation c = compile("");
        try (TrainGraph g = Fixtures.graph(c, 1); BatchFeeder f = Fixtures.regressionFeeder(c, X, 3, Y)) {
            Map<String, float[]> start = g.readWeights();
            float[] k = start.get("Mix/dense_1/kernel").clone();
            // central differences of the loss: perturbing the one kernel perturbs both uses
            double h = 1e-2;
            float[] expected = new float[k.length];
            for (int i = 0; i < k.length; i++) {
                float[] p = k.clone(), m = k.clone();
                p[i] += (float) h;
                m[i] -= (float) h;
                g.writeWeights(Map.of("Mix/dense_1/kernel", p));
                double plus = g.evaluate(batch(f)).data();
                g.writeWeights(Map.of("Mix/dense_1/kernel", m));
                double minus = g.evaluate(batch(f)).data();
                expected[i] = (float) (k[i] - 0.1 * (plus - minus) / (2 * h));
            }
            g.writeWeights(Map.of("Mix/dense_1/kernel", k));
            g.step(batch(f), true);
            assertArrayEquals(expected, g.readWeights().get("Mix/dense_1/kernel"), 2e-4f);
        }
    }

    @Test
    void freezingAnyUseFreezesTheSharedWeights() throws Exception {
        // each layer of a use by its name, and by its weights' name when it has weights of a used model
        List<String> whole = List.of("Mix_1/dense_1", "Mix/dense_1", "Mix_1/tanh_1", "Mix/tanh_1", "Mix_2/dense_1", "Mix_2/tanh_1");
        Map<String, List<String>> rules = Map.of("freeze Mix", whole, "freeze Mix_2", whole,
            "freeze Mix.dense_1", List.of("Mix_1/dense_1", "Mix/dense_1", "Mix_2/dense_1"));
        for (String rule : rules.keySet()) {
            Compilation c = compile(rule);
            assertEquals(rules.get(rule), Fixtures.training(c).frozen(), rule);
            try (TrainGraph g = Fixtures.graph(c, 1); BatchFeeder f = Fixtures.regressionFeeder(c, X, 3, Y)) {
                Map<String, float[]> before = g.readWeights();
                g.step(batch(f), true);
                Map<String, float[]> after = g.readWeights();
                assertArrayEquals(before.get("Mix/dense_1/kernel"), after.get("Mix/dense_1/kernel"), rule);
                assertFalse(Arrays.equals(before.get("dense_1/kernel"), after.get("dense_1/kernel")), rule + ": the head trains");
            }
        }
    }

    @Test
    void aPenaltyOnTheSharedKernelCountsItOnce() throws Exception {
        Compilation c = compile("regularize l2 0.5 on Mix");
        float[] k = {1, 2, 0, -1, 0.5f, 0, 0, 0, 3};
        try (TrainGraph g = Fixtures.graph(c, 1); BatchFeeder f = Fixtures.regressionFeeder(c, X, 3, Y)) {
            g.writeWeights(Map.of("Mix/dense_1/kernel", k));
            TrainGraph.StepLoss l = g.evaluate(batch(f));
            assertEquals(0.5 * (1 + 4 + 1 + 0.25 + 9), l.objective() - l.data(), 1e-4);
        }
    }
}
