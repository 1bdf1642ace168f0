package dev.dlx.compiler.layers;

import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/**
 * Everything the compiler knows about one kind of layer, in one place: its attributes with
 * defaults and docs, shape inference with validation, parameter specs and its step of the
 * receptive field. Registered once in {@link Layers}; the runtime attaches its lowering to
 * {@link #name()}.
 */
public interface LayerKind {
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
     * The output shape. Called only with known input shapes and complete attributes; reports
     * problems through the context and returns {@link Shape#UNKNOWN} when there is no answer.
     */
    Shape infer(LayerContext ctx);

    /** Weights, given valid inputs and the inferred output. */
    default List<ParamSpec> params(Attrs attrs, List<Shape> inputs, Shape output) { return List.of(); }

    /** The receptive field after this layer; identity by default, merged across inputs. */
    default ReceptiveField receptiveField(Attrs attrs, List<ReceptiveField> inputs, List<Shape> inputShapes) {
        return ReceptiveField.merge(inputs);
    }

    /** For an alias that fixes the spatial rank (`conv2d` = 2), that rank; otherwise -1. */
    default int spellingRank(String spelling) { return -1; }
}
