package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/**
 * What a layer kind sees while inferring its output: its settings (the typed attributes), its
 * bound attributes (only for where each was written: {@link Attrs#span}), its input shapes (and
 * where those inputs came from), the name it was written with (`conv2d` for the `conv` kind), and
 * the sink for diagnostics.
 */
public record LayerContext<S extends LayerSettings>(String spelling, S settings, Attrs attrs, List<Shape> inputs,
                                                   List<Span> inputSpans, Span span, Diagnostics sink) {

    public Shape input() { return inputs.get(0); }

    /** Where attribute {@code name} was written, or the layer's span for a default. */
    public Span spanOf(String name) { return attrs.span(name); }

    /** Starts an error at this layer's span. */
    public Diagnostic.Builder error(Code code, String message) { return Diagnostic.error(code, span, message); }

    public Shape fail(Diagnostic.Builder b) {
        sink.report(b);
        return Shape.UNKNOWN;
    }
}
