package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;

/** Reshapes each sample, keeping its elements; one dimension may be `?` and is then inferred. */
public final class Reshape implements LayerKind<Reshape.Settings> {
    /** `reshape [d, ...]`; a negative size stands for the one `?` to infer. */
    public record Settings(List<Long> shape) implements LayerSettings {
        public Settings { shape = List.copyOf(shape); }
    }

    private static final Schema SCHEMA = Schema.of(
        Attr.of("shape", Type.SHAPE, "the new shape without the batch dimension; one `?` is inferred")
            .positional().required());

    @Override public String name() { return "reshape"; }
    @Override public String doc() { return "reshapes each sample; the number of elements stays the same"; }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.RESHAPE; }

    @Override public Settings settings(Attrs a) { return new Settings(a.as("shape")); }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        List<Long> target = ctx.settings().shape();
        long in = ctx.input().elements();
        int unknown = 0;
        long known = 1;
        for (long d : target) {
            if (d < 0) unknown++;
            else known = Shape.saturatingMultiply(known, d);
        }
        if (unknown > 1) {
            return ctx.fail(dev.dlx.compiler.diag.Diagnostic.error(Code.BAD_SHAPE, ctx.spanOf("shape"),
                    "`reshape` can infer only one dimension, found " + unknown + " `?`")
                .label("several unknown dimensions"));
        }
        List<Dim> dims = new ArrayList<>();
        for (long d : target) {
            if (d >= 0) dims.add(Dim.of(d));
            else if (in >= 0 && known > 0 && in % known == 0) dims.add(Dim.of(in / known));
            else if (in < 0) dims.add(Dim.UNKNOWN);
            else dims.add(null);
        }
        boolean fits = in < 0 || (unknown == 0 ? known == in : known > 0 && in % known == 0);
        if (!fits) {
            return ctx.fail(dev.dlx.compiler.diag.Diagnostic.error(Code.RESHAPE_SIZE, ctx.spanOf("shape"),
                    "`reshape` to " + shapeText(target) + " needs " + (unknown == 0 ? known + " elements" : "a multiple of " + known
                    + " elements") + ", but its input " + ctx.input() + " has " + in)
                .label(unknown == 0 ? known + " elements" : "does not divide " + in)
                .secondary(ctx.inputSpans().get(0), "this produces " + ctx.input() + " = " + in + " elements"));
        }
        return Shape.of(dims);
    }

    private static String shapeText(List<Long> dims) {
        return dims.stream().map(d -> d < 0 ? "?" : String.valueOf(d)).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }
}
