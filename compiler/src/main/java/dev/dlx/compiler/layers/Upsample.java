package dev.dlx.compiler.layers;

import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;

/** Nearest-neighbour upsampling: each spatial axis grows by its factor. No weights. */
public final class Upsample implements LayerKind<Upsample.Settings> {
    /** `upsample [FACTOR]`. */
    public record Settings(Sizes factor) implements LayerSettings {}

    private static final Schema SCHEMA = Schema.of(
        Attr.of("factor", Type.SIZES, "growth per spatial axis").positional().defaults(List.of(2)).atLeast(1));

    @Override public String name() { return "upsample"; }
    @Override public String doc() { return "repeats each position `factor` times along every spatial axis"; }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.RESHAPE; }

    @Override public Settings settings(Attrs a) { return new Settings(new Sizes(a.sizes("factor"))); }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        int axes = Spatial.axes(ctx, this);
        if (axes < 0) return Shape.UNKNOWN;
        List<Integer> f = Spatial.perAxis(ctx, "factor", ctx.settings().factor(), axes);
        if (f == null) return Shape.UNKNOWN;
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < axes; i++) {
            Dim d = ctx.input().dim(i);
            out.add(d.known() ? Dim.of(d.size() * f.get(i)) : Dim.UNKNOWN);
        }
        return Spatial.withChannels(out, ctx.input().last());
    }

    @Override public ReceptiveField receptiveField(Settings s, List<ReceptiveField> in, List<Shape> shapes) {
        return in.get(0).upsample(s.factor().on(Spatial.axesOf(shapes)));
    }
}
