package dev.dlx.compiler.layers;

import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/**
 * Everything the compiler knows about one kind of layer, in one place: its attributes with
 * defaults and docs (the schema the binder checks), its typed settings built from them, shape
 * inference with validation, parameter specs (each weight with its role) and its step of the
 * receptive field. Registered once in {@link Layers}; the runtime attaches its lowering to
 * {@link #name()}.
 *
 * @param <S> the kind's settings record
 */
public interface LayerKind<S extends LayerSettings> {
    /** The registry name, e.g. `conv`. */
    String name();

    /** Other spellings, e.g. `conv2d`; {@link #spellingRank(String)} says what they fix. */
    default List<String> aliases() { return List.of(); }

    /** One line for hover text and `dlxc explain layers`. */
    String doc();

    Schema schema();

    Role role();

    default int minInputs() { return 1; }
    default int maxInputs() { return 1; }

    /**
     * The settings of complete, valid attributes: the one place this kind reads its attributes by
     * name and decides what a missing one means.
     */
    S settings(Attrs attrs);

    /**
     * The output shape. Called only with known input shapes and complete attributes; reports
     * problems through the context and returns {@link Shape#UNKNOWN} when there is no answer.
     */
    Shape infer(LayerContext<S> ctx);

    /** Weights, given valid inputs and the inferred output. */
    default List<ParamSpec> params(S settings, List<Shape> inputs, Shape output) { return List.of(); }

    /** The receptive field after this layer; identity by default, merged across inputs. */
    default ReceptiveField receptiveField(S settings, List<ReceptiveField> inputs, List<Shape> inputShapes) {
        return ReceptiveField.merge(inputs);
    }

    /** {@link #receptiveField} for settings this kind built (a checked node's). */
    @SuppressWarnings("unchecked")
    default ReceptiveField receptiveFieldOf(LayerSettings settings, List<ReceptiveField> inputs, List<Shape> inputShapes) {
        return receptiveField((S) settings, inputs, inputShapes);
    }

    /** For an alias that fixes the spatial rank (`conv2d` = 2), that rank; otherwise -1. */
    default int spellingRank(String spelling) { return -1; }
}
