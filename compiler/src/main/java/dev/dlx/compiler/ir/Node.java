package dev.dlx.compiler.ir;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/**
 * One layer of a checked model, fully shaped. {@code kind} is null for model inputs.
 * {@code inputs} are ids of earlier nodes (the list is in topological order).
 */
public record Node(int id, String name, LayerKind kind, String spelling, Attrs attrs, List<Integer> inputs,
                   Shape shape, List<ParamSpec> params, ReceptiveField receptiveField, Span span) {

    public Node { inputs = List.copyOf(inputs); params = List.copyOf(params); }

    public boolean isInput() { return kind == null; }

    public long paramCount() { return params.stream().mapToLong(ParamSpec::count).sum(); }
    public long trainableCount() { return params.stream().filter(ParamSpec::trainable).mapToLong(ParamSpec::count).sum(); }
    public long nonTrainableCount() { return paramCount() - trainableCount(); }

    /** The kind's registry name (`conv`), or `input`. */
    public String kindName() { return kind == null ? "input" : kind.name(); }
}
