package dev.dlx.runtime.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.compiler.train.Init;
import dev.dlx.runtime.lower.LoweringException;
import dev.dlx.runtime.testing.Dlx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

class ModelGraphTest {
    static final String MODEL = "model Net(image [6, 6, 2]) { conv 8 3 -> batchnorm -> relu -> flatten -> dense 16 -> relu"
        + " -> reshape [4, 4] -> gru 3 -> dense 10 -> softmax }";

    static Map<String, float[]> initialWeights(ModelIR model, GraphOptions options) {
        try (ModelGraph<TFloat32> g = ModelGraph.build(model, options); Session s = new Session(g.graph())) {
            g.initialize(s);
            return g.readWeights(s);
        }
    }

    @Test
    void aSeedGivesTheSameWeights() {
        ModelIR model = Dlx.model(MODEL);
        Map<String, float[]> a = initialWeights(model, GraphOptions.seeded(42));
        Map<String, float[]> b = initialWeights(model, GraphOptions.seeded(42));
        Map<String, float[]> c = initialWeights(model, GraphOptions.seeded(43));
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) assertArrayEquals(a.get(name), b.get(name), 0, name);
        assertFalse(java.util.Arrays.equals(a.get("conv_1/kernel"), c.get("conv_1/kernel")));
        // two kernels of one model do not share a stream
        assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOf(a.get("gru_1/kernel"), 16),
            java.util.Arrays.copyOf(a.get("gru_1/recurrent_kernel"), 16)));
    }

    @Test
    void glorotUniformStaysWithinItsLimitAndOtherWeightsStartAtKerasValues() {
        Map<String, float[]> w = initialWeights(Dlx.model(MODEL), GraphOptions.seeded(7));
        double convLimit = Math.sqrt(6.0 / (3 * 3 * 2 + 3 * 3 * 8));   // fan_in 18, fan_out 72
        double denseLimit = Math.sqrt(6.0 / (4 * 4 * 8 + 16));   // valid 3x3 conv: 6x6 -> 4x4
        checkUniform(w.get("conv_1/kernel"), convLimit);
        checkUniform(w.get("dense_1/kernel"), denseLimit);
        checkUniform(w.get("gru_1/recurrent_kernel"), Math.sqrt(6.0 / (3 + 9)));
        for (String zero : List.of("conv_1/bias", "batchnorm_1/beta", "batchnorm_1/moving_mean", "dense_1/bias", "gru_1/bias")) {
            for (float v : w.get(zero)) assertEquals(0f, v, zero);
        }
        for (String one : List.of("batchnorm_1/gamma", "batchnorm_1/moving_variance")) {
            for (float v : w.get(one)) assertEquals(1f, v, one);
        }
    }

    private static void checkUniform(float[] values, double limit) {
        double max = 0;
        double sum = 0;
        for (float v : values) {
            assertTrue(Math.abs(v) <= limit, v + " outside ±" + limit);
            max = Math.max(max, Math.abs(v));
            sum += v;
        }
        assertTrue(max > 0.8 * limit, "draws should span the interval: largest " + max + " of " + limit);
        assertEquals(0, sum / values.length, limit / 4, "centered");
    }

    @Test
    void theTrainBlocksInitializersAndTheirSeeds() {
        ModelIR model = Dlx.model("model M(x [50]) { dense 40 }");
        double fanIn = 50;
        Map<String, float[]> he = initialWeights(model, GraphOptions.seeded(1).withInit(init(Init.Kind.HE_UNIFORM, 0, 0, 5)));
        checkUniform(he.get("dense_1/kernel"), Math.sqrt(6 / fanIn));
        Map<String, float[]> heAgain = initialWeights(model, GraphOptions.seeded(2).withInit(init(Init.Kind.HE_UNIFORM, 0, 0, 5)));
        assertArrayEquals(he.get("dense_1/kernel"), heAgain.get("dense_1/kernel"), 0, "the init's own seed wins");

        float[] normal = initialWeights(model, GraphOptions.seeded(1).withInit(init(Init.Kind.HE_NORMAL, 0, 0, -1))).get("dense_1/kernel");
        double std = Math.sqrt(2 / fanIn) / 0.87962566103423978;
        for (float v : normal) assertTrue(Math.abs(v) <= 2 * std + 1e-6, "truncated at two standard deviations");
        assertEquals(Math.sqrt(2 / fanIn), stdOf(normal), 0.1 * Math.sqrt(2 / fanIn));

        float[] glorotNormal = initialWeights(model, GraphOptions.seeded(1).withInit(init(Init.Kind.GLOROT_NORMAL, 0, 0, -1)))
            .get("dense_1/kernel");
        assertEquals(Math.sqrt(2 / 90.0), stdOf(glorotNormal), 0.1 * Math.sqrt(2 / 90.0));

        for (float v : initialWeights(model, GraphOptions.seeded(1).withInit(init(Init.Kind.CONSTANT, 0.25, 0, -1))).get("dense_1/kernel")) {
            assertEquals(0.25f, v);
        }
        for (float v : initialWeights(model, GraphOptions.seeded(1).withInit(init(Init.Kind.ZEROS, 0, 0, -1))).get("dense_1/kernel")) {
            assertEquals(0f, v);
        }
        float[] n = initialWeights(model, GraphOptions.seeded(1).withInit(
            new Init(Init.Kind.NORMAL, "normal", 0, 1, 0.02, 0, OptionalInt.empty(), null))).get("dense_1/kernel");
        assertEquals(0.02, stdOf(n), 0.002);
        float[] u = initialWeights(model, GraphOptions.seeded(1).withInit(
            new Init(Init.Kind.UNIFORM, "uniform", 0, 0, 0, 0.3, OptionalInt.empty(), null))).get("dense_1/kernel");
        checkUniform(u, 0.3);
    }

    private static Init init(Init.Kind kind, double value, double unused, int seed) {
        return new Init(kind, kind.name().toLowerCase(), value, 0, 0, 0, seed < 0 ? OptionalInt.empty() : OptionalInt.of(seed), null);
    }

    private static double stdOf(float[] v) {
        double mean = 0;
        for (float x : v) mean += x;
        mean /= v.length;
        double var = 0;
        for (float x : v) var += (x - mean) * (x - mean);
        return Math.sqrt(var / v.length);
    }

    @Test
    void weightsRoundTripAndCarryOverBetweenPrecisions() {
        ModelIR model = Dlx.model(MODEL);
        Map<String, float[]> original = initialWeights(model, GraphOptions.seeded(3));
        try (ModelGraph<TFloat64> g = ModelGraph.build(model, TFloat64.class, GraphOptions.seeded(99));
             Session s = new Session(g.graph())) {
            g.initialize(s);
            g.writeWeights(s, original);
            Map<String, float[]> back = g.readWeights(s);
            for (String name : original.keySet()) assertArrayEquals(original.get(name), back.get(name), 0, name);
            Weight bias = g.weight("dense_1/bias").orElseThrow();
            double[] values = new double[16];
            values[3] = 1.5;
            bias.write(s, values);
            assertArrayEquals(values, bias.readDoubles(s), 0);
            assertThrows(IllegalArgumentException.class, () -> g.writeWeights(s, Map.of("nope/kernel", new float[1])));
            assertThrows(IllegalArgumentException.class, () -> g.writeWeights(s, Map.of("dense_1/bias", new float[3])));
        }
    }

    @Test
    void exposesWhatTheTrainerNeeds() {
        ModelIR model = Dlx.model(MODEL);
        try (ModelGraph<TFloat32> g = ModelGraph.build(model, GraphOptions.seeded(1))) {
            assertEquals(1, g.inputs().size());
            assertArrayEquals(new long[] {-1, 6, 6, 2}, g.inputs().get(0).shape().asArray());
            assertArrayEquals(new long[] {-1, 10}, g.output().shape().asArray());
            assertEquals(2, g.updateOps().size(), "batch norm's moving mean and variance");
            assertEquals(model.trainableParams(), g.trainableWeights().stream().mapToLong(w -> w.spec().count()).sum());
            assertEquals(model.totalParams(), g.weights().stream().mapToLong(w -> w.spec().count()).sum());
            assertTrue(g.tensor("flatten_1").isPresent());
            assertEquals(TFloat32.class, g.type());
        }
    }

    @Test
    void aShapeDisagreementIsAnInternalErrorNamingTheNode() {
        ModelIR model = Dlx.model("model M(x [4]) { dense 3 }");
        Node dense = model.layer("dense_1").orElseThrow();
        Node wrong = new Node(dense.id(), dense.name(), dense.kind(), dense.spelling(), dense.settings(), dense.attrs(), dense.inputs(),
            Shape.of(5), dense.params(), dense.receptiveField(), dense.span());
        try (ModelGraph<TFloat32> g = ModelGraph.build(model, GraphOptions.seeded(1))) {
            ShapeCheck.verify(dense, g.output());
            LoweringException e = assertThrows(LoweringException.class, () -> ShapeCheck.verify(wrong, g.output()));
            assertTrue(e.internal());
            assertTrue(e.getMessage().contains("`dense_1`") && e.getMessage().contains("(None, 5)"), e.getMessage());
        }
    }

    @Test
    void aModelWithErrorsIsRefused() {
        ModelIR bad = new Compiler().compile(Path.of("bad.dlx"), "model M(x [4]) { conv 3 3 }").models().get("M");
        assertThrows(IllegalArgumentException.class, () -> ModelGraph.build(bad, GraphOptions.seeded(1)));
    }

    @Test
    void dlxNamesNeverCollideWithTheGraphsOwnOperations() {
        ModelIR model = Dlx.model("model M(training [3]) { let initialize = dense 2\n let dropout_active = initialize -> relu\n"
            + " let kernel = dropout_active -> dense 2 }");
        try (ModelGraph<TFloat32> g = ModelGraph.build(model, GraphOptions.seeded(1)); Session s = new Session(g.graph())) {
            g.initialize(s);
            assertEquals(List.of("initialize/kernel", "initialize/bias", "kernel/kernel", "kernel/bias"),
                g.weights().stream().map(Weight::name).toList());
        }
    }

    @Test
    void namesFromBlocksBecomeScopes() {
        ModelIR model = Dlx.model("block two(u) {\n dense u -> relu -> dense u\n}\nmodel M(x [4]) { two(3) -> two(2) }");
        try (ModelGraph<TFloat32> g = ModelGraph.build(model, GraphOptions.seeded(1))) {
            List<String> names = g.weights().stream().map(Weight::name).toList();
            assertEquals(model.layers().stream().flatMap(n -> n.params().stream().map(p -> n.name() + "/" + p.name())).toList(), names);
        }
    }
}
