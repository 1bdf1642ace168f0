package dev.dlx.compiler.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A model used twice: the IR marks whose weights each layer computes with; the JSON summary counts them once. */
class SharedSummaryJsonTest {
    static final String SOURCE = """
        model Encoder(x [10]) -> [4] {
            dense 6 -> relu
            dense 4
        }
        model Pair(a [10], b [10]) -> [4] {
            let ea = Encoder(a)
            let eb = Encoder(b)
            add(ea, eb)
        }
        """;
    // Encoder: dense 6 on [10]: 66; dense 4 on [6]: 28; 94 once. Pair adds no weights: 94.

    private static ModelIR pair() {
        Compilation c = new Compiler().compile(Path.of("pair.dlx"), SOURCE);
        assertFalse(c.diagnostics().hasErrors(), c.diagnostics().sorted().toString());
        return c.models().get("Pair");
    }

    @Test
    void theUsesShareTheEncodersLayers() {
        ModelIR ir = pair();
        assertEquals(2, ir.uses().size());
        assertEquals(List.of("ea", "eb"), ir.uses().stream().map(u -> u.name()).toList());
        List<Node> dense = ir.layers().stream().filter(n -> n.kindName().equals("dense")).toList();
        assertEquals(4, dense.size());
        assertEquals(List.of("Encoder/dense_1", "Encoder/dense_2", "Encoder/dense_1", "Encoder/dense_2"),
            dense.stream().map(Node::weightOwner).toList());
        assertEquals(List.of(true, true, false, false), dense.stream().map(ir::holdsWeights).toList());
        assertEquals(94, ir.totalParams());
        assertEquals(94, ir.trainableParams());
    }

    @Test
    void theJsonSummaryShowsEachUseOnceAndCountsTheWeightsOnce() {
        JsonObject o = SummaryJson.render(pair());
        JsonArray layers = o.getAsJsonArray("layers");
        JsonObject ea = layers.get(2).getAsJsonObject(), eb = layers.get(3).getAsJsonObject();
        assertEquals("ea", ea.get("name").getAsString());
        assertEquals("model", ea.get("kind").getAsString());
        assertEquals("Encoder", ea.get("model").getAsString());
        assertEquals(94, ea.get("params").getAsLong());
        assertFalse(ea.has("sharedWith"));
        assertEquals("eb", eb.get("name").getAsString());
        assertEquals("ea", eb.get("sharedWith").getAsString());
        assertEquals(0, eb.get("params").getAsLong());
        assertEquals("[4]", eb.get("shape").toString());
        assertEquals("[\"b\"]", eb.get("inputs").toString());
        assertEquals(5, layers.size(), "a, b, ea, eb, add");
        assertEquals(94, o.get("totalParams").getAsLong());
        long sum = 0;
        for (var l : layers) sum += l.getAsJsonObject().get("params").getAsLong();
        assertTrue(sum == 94, "the rows add up to the total");
    }
}
