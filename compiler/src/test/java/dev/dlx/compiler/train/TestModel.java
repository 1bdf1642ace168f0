package dev.dlx.compiler.train;

import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.layers.Layers;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hand-built checked model for the training tests: a chain of layers with given output shapes,
 * each written on its own line of a small source file so that spans point at real text.
 */
final class TestModel {
    private record Pending(String name, String kind, String text, Shape shape, Map<String, Object> attrs) {}

    private final String name;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, Integer> counters = new HashMap<>();

    private TestModel(String name) { this.name = name; }

    static TestModel named(String name) { return new TestModel(name); }

    TestModel input(long... shape) {
        pending.add(new Pending("input", null, "input " + Shape.of(shape), Shape.of(shape), Map.of()));
        return this;
    }

    /** A layer as written (`dense 10`), its kind and output shape. */
    TestModel layer(String text, Shape shape) {
        return layer(text, shape, Map.of());
    }

    TestModel layer(String text, Shape shape, Map<String, Object> attrs) {
        String kind = text.split(" ")[0];
        String layerName = kind + "_" + counters.merge(kind, 1, Integer::sum);
        pending.add(new Pending(layerName, kind, text, shape, attrs));
        return this;
    }

    /** dense N -> ACTIVATION after a flat input of {@code features}. */
    static ModelIR classifier(long[] input, int units, String activation) {
        TestModel m = named("Net").input(input);
        if (input.length > 1) m.layer("flatten", Shape.of(Shape.of(input).elements()));
        m.layer("dense " + units, Shape.of(units));
        if (activation != null) m.layer(activation, Shape.of(units));
        return m.build();
    }

    ModelIR build() {
        StringBuilder text = new StringBuilder("model " + name + "\n");
        List<int[]> offsets = new ArrayList<>();
        for (Pending p : pending) {
            int start = text.length();
            text.append(p.text()).append('\n');
            offsets.add(new int[] {start, start + p.text().length()});
        }
        SourceFile file = SourceFile.of("model.dlx", text.toString());
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            Span span = Span.of(file, offsets.get(i)[0], offsets.get(i)[1]);
            LayerKind<?> kind = p.kind() == null ? null
                : Layers.lookup(p.kind()).orElseThrow(() -> new IllegalArgumentException("no layer kind " + p.kind()));
            Map<String, Span> attrSpans = new LinkedHashMap<>();
            p.attrs().keySet().forEach(k -> attrSpans.put(k, span));
            Map<String, Object> values = new LinkedHashMap<>();
            if (kind != null) {
                for (dev.dlx.compiler.schema.Attr a : kind.schema().attrs()) if (a.defaultValue() != null) values.put(a.name(), a.defaultValue());
            }
            values.putAll(p.attrs());
            Attrs attrs = kind == null ? null : new Attrs(values, attrSpans, span, true);
            List<Integer> inputs = i == 0 ? List.of() : List.of(i - 1);
            // a layer written by its shape alone (`dense` without its units) has no settings
            boolean complete = kind != null && kind.schema().attrs().stream().allMatch(a -> values.containsKey(a.name()) || !a.isRequired());
            nodes.add(new Node(i, p.name(), kind, p.kind() == null ? "input" : p.kind(), complete ? kind.settings(attrs) : null, attrs,
                inputs, p.shape(), List.of(), null, span));
        }
        return new ModelIR(name, nodes, List.of(0), List.of(nodes.size() - 1), true, Span.of(file, 0, name.length() + 6));
    }
}
