package dev.dlx.runtime.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.runtime.testing.Dlx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

/** A model used twice inside another is one set of variables: both uses compute with it and both feed its gradient. */
class SharedModelTest {
    static final String ENCODER = """
        model Encoder(x [6, 6, 1]) -> [4] {
            conv 2 3 -> relu
            flatten
            dense 4 -> tanh
        }
        """;
    // conv 2 3 on [6, 6, 1]: 3*3*1*2 + 2 = 20 -> [4, 4, 2]; flatten 32; dense 4: 32*4 + 4 = 132. Encoder: 152
    // Siamese: the encoder once (152) + dense 1 on [4]: 5. Total 157
    static final String SIAMESE = ENCODER + """
        model Siamese(a [6, 6, 1], b [6, 6, 1]) -> [1] {
            let ea = Encoder(a)
            let eb = Encoder(b)
            subtract(ea, eb) -> dense 1
        }
        """;

    private static ModelIR model(String source, String name) {
        Compilation c = new Compiler().compile(Path.of("test.dlx"), source);
        Dlx.model(source); // checks clean
        return c.models().get(name);
    }

    @Test
    void theEncodersWeightsAreMadeOnceAndCountedOnce() {
        ModelIR siamese = model(SIAMESE, "Siamese");
        assertEquals(157, siamese.totalParams());
        try (ModelGraph<TFloat32> g = ModelGraph.build(siamese, GraphOptions.seeded(3))) {
            List<String> names = g.weights().stream().map(Weight::name).toList();
            assertEquals(List.of("Encoder/conv_1/kernel", "Encoder/conv_1/bias", "Encoder/dense_1/kernel", "Encoder/dense_1/bias",
                "dense_1/kernel", "dense_1/bias"), names);
            assertEquals(157, g.weights().stream().mapToLong(w -> w.spec().count()).sum());
        }
    }

    @Test
    void bothUsesComputeWhatTheEncoderComputesWithTheSameWeights() {
        ModelIR siamese = model(SIAMESE, "Siamese");
        ModelIR encoder = model(SIAMESE, "Encoder");
        float[] x = random(36, 1), y = random(36, 2);
        float[] ea, eb, eaOther, alone;
        Map<String, float[]> weights;
        try (ModelGraph<TFloat32> g = ModelGraph.build(siamese, GraphOptions.seeded(5)); Session s = new Session(g.graph())) {
            g.initialize(s);
            weights = g.readWeights(s);
            float[][] same = run(g, s, List.of(x, x), g.tensor("ea").orElseThrow(), g.tensor("eb").orElseThrow());
            ea = same[0];
            eb = same[1];
            eaOther = run(g, s, List.of(x, y), g.tensor("ea").orElseThrow(), g.tensor("eb").orElseThrow())[1];
        }
        assertArrayEquals(ea, eb, 0f, "identical inputs give identical embeddings");
        assertFalse(java.util.Arrays.equals(ea, eaOther), "another input gives another embedding");
        // The encoder alone, given the shared weights under its own layer names, computes the same embedding.
        Map<String, float[]> own = new LinkedHashMap<>();
        weights.forEach((k, v) -> { if (k.startsWith("Encoder/")) own.put(k.substring("Encoder/".length()), v); });
        try (ModelGraph<TFloat32> g = ModelGraph.build(encoder, GraphOptions.seeded(9)); Session s = new Session(g.graph())) {
            g.initialize(s);
            g.writeWeights(s, own);
            alone = run(g, s, List.of(x), g.output())[0];
        }
        assertArrayEquals(alone, ea, 1e-6f);
    }

    @Test
    void theGradientOfASharedWeightSumsBothUses() {
        // Lin is affine: e = x K + c. For loss = sum(Lin(a) + Lin(b)) over one sample,
        // d loss / d K[i][j] = a[i] + b[i] and d loss / d c[j] = 2: both uses add into one gradient.
        String source = """
            model Lin(x [3]) -> [2] {
                dense 2
            }
            model Pair(a [3], b [3]) -> [2] {
                let ea = Lin(a)
                let eb = Lin(b)
                add(ea, eb)
            }
            """;
        ModelIR pair = model(source, "Pair");
        float[] a = {1, 2, 3}, b = {0.5f, -4, 10};
        try (ModelGraph<TFloat32> g = ModelGraph.build(pair, GraphOptions.seeded(1)); Session s = new Session(g.graph())) {
            g.initialize(s);
            assertEquals(2, g.weights().size());
            Operand<TFloat32> loss = g.tf().sum(g.output(), g.tf().constant(new int[] {0, 1}));
            Output<?>[] xs = g.weights().stream().map(w -> w.variable().asOutput()).toArray(Output<?>[]::new);
            Output<?>[] grads = g.graph().addGradients(loss.asOutput(), xs);
            @SuppressWarnings("unchecked") Operand<TFloat32> dk = (Operand<TFloat32>) grads[0];
            @SuppressWarnings("unchecked") Operand<TFloat32> dc = (Operand<TFloat32>) grads[1];
            float[][] out = run(g, s, List.of(a, b), dk, dc);
            float[] expected = new float[6];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) expected[i * 2 + j] = a[i] + b[i];
            assertArrayEquals(expected, out[0], 1e-6f);
            assertArrayEquals(new float[] {2, 2}, out[1], 1e-6f);
        }
    }

    static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    /** Feeds one sample to each input and fetches {@code fetches}. */
    @SafeVarargs
    static float[][] run(ModelGraph<TFloat32> g, Session s, List<float[]> samples, Operand<TFloat32>... fetches) {
        List<Tensor> fed = new ArrayList<>();
        try {
            Session.Runner runner = s.runner();
            for (int i = 0; i < samples.size(); i++) {
                long[] shape = g.model().inputs().get(i).shape().dims().stream().mapToLong(d -> d.size()).toArray();
                long[] batch = new long[shape.length + 1];
                batch[0] = 1;
                System.arraycopy(shape, 0, batch, 1, shape.length);
                Tensor t = Tensors.of(TFloat32.class, batch, samples.get(i));
                fed.add(t);
                runner.feed(g.inputs().get(i), t);
            }
            for (Operand<TFloat32> f : fetches) runner.fetch(f);
            float[][] out = new float[fetches.length][];
            try (Result r = runner.run()) {
                for (int i = 0; i < fetches.length; i++) out[i] = Tensors.floats(r.get(i));
            }
            return out;
        } finally {
            fed.forEach(Tensor::close);
        }
    }
}
