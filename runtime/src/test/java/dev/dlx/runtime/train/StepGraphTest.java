package dev.dlx.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.diag.TextRenderer;
import dev.dlx.compiler.train.Noise;
import dev.dlx.compiler.train.TrainFeed;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.Samples;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A training with two update steps: each step changes its own weights only; the noise repeats by seed. */
class StepGraphTest {
    static final String GAN = """
        dataset points {
            source csv "%s" { features x 0..63 }
            features x reshape [8, 8, 1] scale 1/16
            split train 80%%, val 20%%
            batch 16
        }
        model G(z [4]) -> [8, 8, 1] {
            dense 64 -> sigmoid
            reshape [8, 8, 1]
        }
        model D(x [8, 8, 1]) -> [1] {
            flatten
            dense 8 -> relu
            dense 1
        }
        model GAN(z [4], x [8, 8, 1]) {
            let fake = z -> G
            let d_fake = fake -> D
            let d_real = x -> D
            return d_real, d_fake
        }
        train GAN on points {
            noise z normal
            step Dstep {
                loss binary_crossentropy(d_real, 1, from_logits = true) + binary_crossentropy(d_fake, 0, from_logits = true)
                updates D
                optimizer adam lr 1e-2
            }
            step Gstep {
                loss binary_crossentropy(d_fake, 1, from_logits = true)
                updates G
                optimizer sgd lr 0.1
            }
            alternate Dstep * 2, Gstep
        }
        """;

    static Compilation compile() {
        String csv = Fixtures.repo().resolve("samples/data/digits.csv.gz").toString();
        Compilation c = new Compiler().compile(Path.of("gan.dlx"), GAN.formatted(csv));
        if (!c.ok()) throw new AssertionError(new TextRenderer(false).renderAll(c.diagnostics().sorted()));
        return c;
    }

    private static StepGraph graph(Compilation c, long seed) {
        TrainIR t = c.trainings().get(0);
        return StepGraph.build(c.models().get("GAN"), t, TrainFeed.of(c.models().get("GAN"), t, c.datasets().get("points")), seed,
            TrainGraph.Threads.of(1));
    }

    private static BatchFeeder feeder(int n) {
        Random r = new Random(3);
        float[] x = new float[n * 64];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat();
        return new BatchFeeder(new Samples(x, n, new int[] {8, 8, 1}, null, null, 0).all(), null, null, null, n);
    }

    private static Map<String, float[]> only(Map<String, float[]> weights, String prefix, boolean with) {
        Map<String, float[]> out = new java.util.TreeMap<>();
        weights.forEach((k, v) -> { if (k.startsWith(prefix) == with) out.put(k, v); });
        return out;
    }

    private static void assertSame(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            float[] x = a.get(k), y = b.get(k);
            assertEquals(x.length, y.length, k);
            for (int i = 0; i < x.length; i++) assertEquals(Float.floatToIntBits(x[i]), Float.floatToIntBits(y[i]), k + "[" + i + "]");
        }
    }

    private static boolean changed(Map<String, float[]> a, Map<String, float[]> b) {
        for (String k : a.keySet()) if (!Arrays.equals(a.get(k), b.get(k))) return true;
        return false;
    }

    /** Batch norm's moving statistics move with the step that updates their layer, once per use of the shared model. */
    @Test
    void aStepUpdatesTheMovingStatisticsOfItsOwnLayersOnly() {
        String csv = Fixtures.repo().resolve("samples/data/digits.csv.gz").toString();
        Compilation c = new Compiler().compile(Path.of("gan.dlx"), GAN.replace("dense 8 -> relu", "dense 8 -> batchnorm -> relu").formatted(csv));
        assertTrue(c.ok(), () -> new TextRenderer(false).renderAll(c.diagnostics().sorted()));
        try (StepGraph g = graph(c, 5); BatchFeeder data = feeder(16)) {
            BatchFeeder.Batch batch = data.batch(null, 0, 16, null);
            Map<String, float[]> before = g.readWeights();
            assertTrue(before.containsKey("D/batchnorm_1/moving_mean"), before.keySet().toString());
            g.step(1, batch, 0, 0, 0, 0);
            Map<String, float[]> afterG = g.readWeights();
            assertSame(only(before, "D/", true), only(afterG, "D/", true));
            g.step(0, batch, 0, 0, 1, 1);
            Map<String, float[]> afterD = g.readWeights();
            assertFalse(Arrays.equals(afterG.get("D/batchnorm_1/moving_mean"), afterD.get("D/batchnorm_1/moving_mean")),
                "the D step moves D's moving mean");
            assertFalse(Arrays.equals(afterG.get("D/batchnorm_1/moving_variance"), afterD.get("D/batchnorm_1/moving_variance")));
        }
    }

    @Test
    void eachStepUpdatesOnlyItsOwnWeights() {
        Compilation c = compile();
        TrainIR t = c.trainings().get(0);
        assertEquals(2, t.steps().get(0).repeat());
        assertEquals("fake", t.generated());
        try (StepGraph g = graph(c, 5); BatchFeeder data = feeder(16)) {
            assertEquals(4, g.trained(0).size()); // D's two dense layers, shared by both uses
            assertEquals(2, g.trained(1).size());
            BatchFeeder.Batch batch = data.batch(null, 0, 16, null);
            Map<String, float[]> before = g.readWeights();
            double dLoss = g.step(0, batch, 0, 0, 0, 0);
            assertTrue(Double.isFinite(dLoss) && dLoss > 0, "bce of two terms is positive: " + dLoss);
            Map<String, float[]> afterD = g.readWeights();
            assertSame(only(before, "G/", true), only(afterD, "G/", true));
            assertTrue(changed(only(before, "D/", true), only(afterD, "D/", true)), "the D step moves D");
            g.step(1, batch, 0, 0, 2, 2);
            Map<String, float[]> afterG = g.readWeights();
            assertSame(only(afterD, "D/", true), only(afterG, "D/", true));
            assertTrue(changed(only(afterD, "G/", true), only(afterG, "G/", true)), "the G step moves G");
        }
    }

    @Test
    void theGeneratorStepLowersItsOwnLoss() {
        // a few sgd steps of G alone against a fixed D: its loss, on the same noise, falls
        Compilation c = compile();
        try (StepGraph g = graph(c, 5); BatchFeeder data = feeder(16)) {
            BatchFeeder.Batch batch = data.batch(null, 0, 16, null);
            double first = g.loss(1, batch, 0, 0, 0);
            for (int i = 0; i < 20; i++) g.step(1, batch, 0, 0, 0, i);
            double last = g.loss(1, batch, 0, 0, 0);
            assertTrue(last < first, "G's loss " + first + " -> " + last);
        }
    }

    @Test
    void noiseRepeatsBySeed() {
        Noise normal = new Noise("z", Noise.Kind.NORMAL, 0, 1, java.util.OptionalInt.empty(), null);
        float[] a = StepGraph.draw(normal, 4000, Trainer.random(9, 1, 2, 3));
        assertArrayEquals(a, StepGraph.draw(normal, 4000, Trainer.random(9, 1, 2, 3)));
        assertFalse(Arrays.equals(a, StepGraph.draw(normal, 4000, Trainer.random(10, 1, 2, 3))));
        double mean = 0, sq = 0;
        for (float v : a) { mean += v; sq += v * v; }
        mean /= a.length;
        double std = Math.sqrt(sq / a.length - mean * mean);
        assertEquals(0, mean, 0.05);  // 4 standard errors of 1/sqrt(4000)
        assertEquals(1, std, 0.05);
        Noise uniform = new Noise("z", Noise.Kind.UNIFORM, -1, 3, java.util.OptionalInt.empty(), null);
        for (float v : StepGraph.draw(uniform, 1000, new Random(1))) assertTrue(v >= -1 && v < 3);
        Compilation c = compile();
        try (StepGraph g1 = graph(c, 5); StepGraph g2 = graph(c, 5)) {
            assertArrayEquals(g1.generate(8, 3), g2.generate(8, 3));
            assertFalse(Arrays.equals(g1.generate(8, 3), g1.generate(8, 4)));
        }
    }
}
