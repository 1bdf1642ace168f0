package dev.dlx.aot.freeze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.runtime.graph.GraphOptions;
import dev.dlx.runtime.graph.ModelGraph;
import dev.dlx.runtime.graph.Tensors;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/** A model that uses another model twice freezes with the shared weights once, computing as in training. */
class FrozenSharedWeightsTest {
    @Test
    void aFrozenModelWithASharedModelComputesAsTheTrainingGraph() throws Exception {
        String source = """
            model Mix(v [3]) -> [3] {
                dense 3 -> tanh
            }
            model M(x [3]) -> [2] {
                x -> Mix -> Mix
                dense 2
            }
            """;
        Compilation c = new Compiler().compile(Path.of("test.dlx"), source);
        assertEquals(false, c.diagnostics().hasErrors());
        ModelIR model = c.models().get("M");
        float[] x = {0.5f, -1, 2, 1, 0, -0.25f};
        float[] expected;
        Map<String, float[]> weights;
        try (ModelGraph<TFloat32> g = ModelGraph.build(model, GraphOptions.seeded(4)); Session s = new Session(g.graph());
             Tensor in = Tensors.of(TFloat32.class, new long[] {2, 3}, x)) {
            g.initialize(s);
            weights = g.readWeights(s);
            try (Result r = s.runner().feed(g.inputs().get(0), in).fetch(g.output()).run()) {
                expected = Tensors.floats(r.get(0));
            }
        }
        assertEquals(4, weights.size()); // Mix/dense_1/kernel and bias, once; dense_1/kernel and bias
        byte[] frozen = FrozenGraph.freeze(model, weights, null);
        try (Graph g = new Graph()) {
            g.importGraphDef(GraphDef.parseFrom(frozen));
            try (Session s = new Session(g); Tensor in = Tensors.of(TFloat32.class, new long[] {2, 3}, x);
                 Result r = s.runner().feed(FrozenGraph.INPUT_OP, in).fetch(FrozenGraph.OUTPUT_OP).run()) {
                assertArrayEquals(expected, Tensors.floats(r.get(0)), 1e-6f);
            }
        }
    }
}
