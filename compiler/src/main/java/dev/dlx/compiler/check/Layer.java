package dev.dlx.compiler.check;

import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.layers.LayerContext;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.layers.LayerSettings;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/**
 * One written layer after shape inference: its kind with the settings it built from the bound
 * attributes (once, here), its input shapes and its output. Weights and the receptive field come
 * from the same settings.
 */
record Layer<S extends LayerSettings>(LayerKind<S> kind, S settings, List<Shape> inputs, Shape shape) {

    /** Binds the settings and infers the output shape; null after an error was reported. */
    static <S extends LayerSettings> Layer<S> of(LayerKind<S> kind, String spelling, Attrs attrs, List<Shape> inputs,
                                                 List<Span> inputSpans, Span span, Diagnostics sink) {
        S settings = kind.settings(attrs);
        Shape out = kind.infer(new LayerContext<>(spelling, settings, attrs, inputs, inputSpans, span, sink));
        return out.isUnknown() ? null : new Layer<>(kind, settings, inputs, out);
    }

    List<ParamSpec> params() { return kind.params(settings, inputs, shape); }

    ReceptiveField receptiveField(List<ReceptiveField> inputFields) { return kind.receptiveField(settings, inputFields, inputs); }
}
