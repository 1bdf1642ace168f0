package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.layers.Layers;
import dev.dlx.runtime.graph.GraphOptions;
import dev.dlx.runtime.graph.ModelGraph;
import dev.dlx.runtime.graph.Weight;
import dev.dlx.runtime.testing.Catalog;
import dev.dlx.runtime.testing.Dlx;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

class LoweringsTest {

    @Test
    void everyLayerKindHasALowering() {
        List<String> missing = Layers.all().stream().map(LayerKind::name).filter(n -> Lowerings.find(n).isEmpty()).toList();
        assertTrue(missing.isEmpty(), "layer kinds without a lowering: " + missing);
        Set<String> registered = new TreeSet<>(Lowerings.kinds());
        Layers.all().forEach(k -> registered.remove(k.name()));
        assertTrue(registered.isEmpty(), "lowerings for kinds the compiler does not have: " + registered);
    }

    @Test
    void theCatalogCoversEveryLayerKind() {
        Set<String> covered = new TreeSet<>();
        for (Catalog.Case c : Catalog.CASES) Dlx.model(c.source()).layers().forEach(n -> covered.add(n.kindName()));
        List<String> uncovered = Layers.all().stream().map(LayerKind::name).filter(n -> !covered.contains(n)).toList();
        assertTrue(uncovered.isEmpty(), "layer kinds no test model uses: " + uncovered);
    }

    static Stream<Catalog.Case> cases() { return Catalog.CASES.stream(); }

    /** Building asserts TensorFlow's shape of every node against the checker's; the weights must be the specs. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lowersToTheCheckersShapesAndWeights(Catalog.Case c) {
        ModelIR model = Dlx.model(c.source());
        try (ModelGraph<TFloat32> graph = ModelGraph.build(model, GraphOptions.seeded(1))) {
            List<String> expected = new ArrayList<>();
            for (Node n : model.layers()) for (ParamSpec p : n.params()) expected.add(n.name() + "/" + p.name() + p.shape() + p.trainable());
            List<String> actual = new ArrayList<>();
            for (Weight w : graph.weights()) {
                actual.add(w.name() + w.spec().shape() + w.trainable());
                assertEquals(org.tensorflow.ndarray.Shape.of(w.shape()), w.variable().shape(), w.name());
            }
            assertEquals(expected, actual);
            for (int i = 0; i < model.outputIds().size(); i++) {
                Operand<TFloat32> out = graph.outputs().get(i);
                assertEquals(model.outputShapes().get(i).rank() + 1, out.shape().numDimensions());
            }
        }
    }
}
