package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.graph.GraphOptions;
import dev.dlx.runtime.graph.ModelGraph;
import dev.dlx.runtime.graph.Tensors;
import dev.dlx.runtime.testing.Dlx;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The costs of style transfer against hand-computed values, and their gradient with respect to the picture against a numerical one. */
class StyleTransferTest {

    /** A [1, 2, 2, 2] activation: positions (0,0) [1, 2], (0,1) [3, 0], (1,0) [0, 1], (1,1) [2, 2]. */
    private static final float[] A = {1, 2, 3, 0, 0, 1, 2, 2};

    private static float[] eval(java.util.function.Function<Ops, Operand<TFloat32>> f) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            try (var r = s.runner().fetch(f.apply(tf)).run()) {
                return Tensors.floats(r.get(0));
            }
        }
    }

    private static Operand<TFloat32> constant(Ops tf, float[] v, long... shape) {
        return tf.constant(Shape.of(shape), DataBuffers.of(v, true, false));
    }

    @Test
    void theGramMatrixSumsTheChannelsProductsOverThePositions() {
        // G_00 = 1 + 9 + 0 + 4, G_01 = 2 + 0 + 0 + 4, G_11 = 4 + 0 + 1 + 4
        assertArrayEquals(new float[] {14, 6, 6, 9}, eval(tf -> StyleCosts.gram(tf, constant(tf, A, 1, 2, 2, 2))), 0f);
        // one position: the outer product of the channels
        assertArrayEquals(new float[] {1, 2, 2, 4}, eval(tf -> StyleCosts.gram(tf, constant(tf, new float[] {1, 2}, 1, 2))), 0f);
    }

    @Test
    void theContentAndStyleCostsFollowTheCheatsheet() {
        // 1/2 ||a - 0||^2 = (1 + 4 + 9 + 0 + 0 + 1 + 4 + 4) / 2
        assertEquals(11.5f, eval(tf -> StyleCosts.content(tf, constant(tf, A, 1, 2, 2, 2), constant(tf, new float[8], 1, 2, 2, 2)))[0], 0f);
        float[] shifted = A.clone();
        shifted[3] += 2;   // one value 2 away
        assertEquals(2f, eval(tf -> StyleCosts.content(tf, constant(tf, A, 1, 2, 2, 2), constant(tf, shifted, 1, 2, 2, 2)))[0], 0f);
        // G - S = [[4, 0], [0, 1]]: 17 / (2 * 2 * 2 * 2)^2
        float[] s = {10, 6, 6, 8};
        assertEquals(17f / 256, eval(tf -> StyleCosts.style(tf, constant(tf, A, 1, 2, 2, 2), constant(tf, s, 2, 2)))[0], 1e-8f);
        assertEquals(0f, eval(tf -> StyleCosts.style(tf, constant(tf, A, 1, 2, 2, 2), constant(tf, new float[] {14, 6, 6, 9}, 2, 2)))[0], 0f);
    }

    /**
     * A small random network (smooth activations, so central differences apply), the total cost
     * with two style layers, pixels mapped to [0.5, 2.5] and normalized samplewise (gray) or
     * featurewise by channel (RGB): the gradient with respect to each pixel matches
     * (f(p + h) - f(p - h)) / 2h.
     */
    @Test
    void theTotalCostsGradientWithRespectToThePictureMatchesANumericalOne() {
        checkGradient(1, Normalizer.samplewise());
        com.google.gson.JsonObject featurewise = com.google.gson.JsonParser.parseString(
            "{\"mode\": \"featurewise\", \"groups\": 3, \"mean\": [1.0, 1.5, 2.0], \"std\": [0.5, 2.0, 1.0]}").getAsJsonObject();
        checkGradient(3, Normalizer.fromJson(featurewise));
    }

    private static void checkGradient(int channels, Normalizer normalizer) {
        ModelIR model = Dlx.model("model Tiny(x [5, 5, " + channels + "]) { conv 3 3 padding same -> tanh -> conv 2 2 -> sigmoid -> flatten -> dense 2 }");
        try (ModelGraph<TFloat32> g = ModelGraph.build(model, GraphOptions.seeded(11)); Session session = new Session(g.graph())) {
            g.initialize(session);
            Map<dev.dlx.compiler.ir.Node, Double> style = new LinkedHashMap<>();
            style.put(model.layer("tanh_1").orElseThrow(), 0.7);
            style.put(model.layer("sigmoid_1").orElseThrow(), 0.3);
            var layers = new StyleTransfer.Layers(model.layer("conv_2").orElseThrow(), style);
            PixelInput pixels = new PixelInput(new int[] {5, 5, channels}, 0.5, 2.5, normalizer);
            int n = pixels.size();
            Random random = new Random(4);
            float[] content = new float[n], styleImage = new float[n], p = new float[n];
            for (int i = 0; i < n; i++) {
                content[i] = random.nextFloat();
                styleImage[i] = (i / 5 + i % 5) % 2;
                p[i] = random.nextFloat();
            }
            InputObjective objective = StyleTransfer.objective(g, session, layers, pixels, content, styleImage, 1, 50);
            InputObjective.Value at = objective.at(pixels.input(p), pixels.shape());
            assertTrue(at.also()[0] > 0 && at.also()[1] > 0, "both costs are at work");
            assertEquals(at.also()[0] + 50 * at.also()[1], at.objective(), 1e-4 * at.objective(), "alpha J_content + beta J_style");
            assertEquals(0.7 * at.also()[2] + 0.3 * at.also()[3], at.also()[1], 1e-6 * at.also()[1], "the style layers weighted by lambda");
            float[] analytic = pixels.gradient(p, at.gradient());
            double h = 1e-2, worst = 0, scale = 0;
            for (float v : analytic) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < n; i++) {
                float[] up = p.clone(), down = p.clone();
                up[i] += (float) h;
                down[i] -= (float) h;
                double numeric = (objective.at(pixels.input(up), pixels.shape()).objective()
                    - objective.at(pixels.input(down), pixels.shape()).objective()) / (2 * h);
                worst = Math.max(worst, Math.abs(numeric - analytic[i]));
            }
            assertTrue(scale > 1e-3, "a gradient to compare: " + scale);
            assertTrue(worst < 2e-2 * scale, channels + " channels: largest difference " + worst + " against gradients up to " + scale);
        }
    }

    /** The content image's own activations cost nothing, and the style image's own Gram matrices neither. */
    @Test
    void eachImageMatchesItsOwnTarget() {
        ModelIR model = Dlx.model("model Tiny(x [6, 6, 1]) { conv 4 3 -> relu -> flatten -> dense 2 }");
        try (ModelGraph<TFloat32> g = ModelGraph.build(model, GraphOptions.seeded(3)); Session session = new Session(g.graph())) {
            g.initialize(session);
            var layers = new StyleTransfer.Layers(model.layer("relu_1").orElseThrow(), Map.of(model.layer("relu_1").orElseThrow(), 1.0));
            PixelInput pixels = new PixelInput(new int[] {6, 6, 1}, 0, 1, null);
            float[] content = new float[36], styleImage = new float[36];
            for (int i = 0; i < 36; i++) {
                content[i] = (i % 7) / 7f;
                styleImage[i] = i % 2;
            }
            InputObjective objective = StyleTransfer.objective(g, session, layers, pixels, content, styleImage, 1, 1);
            InputObjective.Value onContent = objective.at(pixels.input(content), pixels.shape());
            InputObjective.Value onStyle = objective.at(pixels.input(styleImage), pixels.shape());
            assertEquals(0, onContent.also()[0], 0, "content cost at the content image");
            assertTrue(onContent.also()[1] > 0, "but its style differs");
            assertEquals(0, onStyle.also()[1], 0, "style cost at the style image");
            assertTrue(onStyle.also()[0] > 0);
        }
    }
}
