package dev.dlx.compiler.layers;

import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/** Flattens a sample into a vector: `[4, 4, 16]` to `[256]`. No weights. */
public final class Flatten implements LayerKind<Flatten.Settings> {
    /** No attributes. */
    public record Settings() implements LayerSettings {}

    @Override public String name() { return "flatten"; }
    @Override public String doc() { return "flattens each sample into a vector: [4, 4, 16] to [256]"; }
    @Override public Schema schema() { return Schema.of(); }
    @Override public Role role() { return Role.RESHAPE; }

    @Override public Settings settings(Attrs a) { return new Settings(); }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        long n = ctx.input().elements();
        return Shape.of(List.of(n < 0 ? Dim.UNKNOWN : Dim.of(n)));
    }

    @Override public ReceptiveField receptiveField(Settings s, List<ReceptiveField> in, List<Shape> shapes) {
        return in.get(0).spatial() ? ReceptiveField.WHOLE : in.get(0);
    }
}
