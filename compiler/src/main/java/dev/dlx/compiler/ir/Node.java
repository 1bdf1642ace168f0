package dev.dlx.compiler.ir;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.layers.LayerSettings;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/**
 * One layer of a checked model, fully shaped. {@code kind} (and {@code settings}, the kind's typed
 * attributes) are null for model inputs; {@code attrs} keeps where each attribute was written.
 * {@code inputs} are ids of earlier nodes (the list is in topological order). {@code shared} is
 * null for the model's own layers; for a layer instantiated from a use of another model it names
 * the use and the layer whose weights every use of that model shares ({@code params} are then that
 * layer's specs, held once by the model: see {@link ModelIR#holdsWeights}).
 */
public record Node(int id, String name, LayerKind<?> kind, String spelling, LayerSettings settings, Attrs attrs,
                   List<Integer> inputs,
                   Shape shape, List<ParamSpec> params, ReceptiveField receptiveField, Span span, Shared shared) {

    /**
     * Where a layer of a used model keeps its weights.
     *
     * @param use   index of the use in {@link ModelIR#uses()}
     * @param model the model that declares the layer (the innermost one when models use models)
     * @param layer the layer's name in that model
     */
    public record Shared(int use, String model, String layer) {
        /** The weights' layer name, `Encoder/dense_1`: the same for every use. */
        public String owner() { return model + "/" + layer; }
    }

    public Node { inputs = List.copyOf(inputs); params = List.copyOf(params); }

    /** A layer with its own weights. */
    public Node(int id, String name, LayerKind<?> kind, String spelling, LayerSettings settings, Attrs attrs,
                List<Integer> inputs, Shape shape, List<ParamSpec> params, ReceptiveField receptiveField, Span span) {
        this(id, name, kind, spelling, settings, attrs, inputs, shape, params, receptiveField, span, null);
    }

    /** The same node with every span where {@code move} puts it (the text moved in a newer version of its file). */
    public Node relocated(java.util.function.UnaryOperator<Span> move) {
        return new Node(id, name, kind, spelling, settings, attrs == null ? null : attrs.relocated(move), inputs, shape, params,
            receptiveField, span == null ? null : move.apply(span), shared);
    }

    /** The settings as the kind's record, e.g. {@code node.settings(Conv.Settings.class)}. */
    public <S extends LayerSettings> S settings(Class<S> type) {
        if (!type.isInstance(settings)) {
            throw new IllegalStateException("layer `" + name + "` (" + kindName() + ") has settings " + settings + ", not " + type.getSimpleName());
        }
        return type.cast(settings);
    }

    /** The layer name its weights are known by (checkpoints, `freeze`): its own name, or the shared owner's. */
    public String weightOwner() { return shared == null ? name : shared.owner(); }

    public boolean isInput() { return kind == null; }

    public long paramCount() { return params.stream().mapToLong(ParamSpec::count).sum(); }
    public long trainableCount() { return params.stream().filter(ParamSpec::trainable).mapToLong(ParamSpec::count).sum(); }
    public long nonTrainableCount() { return paramCount() - trainableCount(); }

    /** The kind's registry name (`conv`), or `input`. */
    public String kindName() { return kind == null ? "input" : kind.name(); }
}
