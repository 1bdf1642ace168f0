package dev.dlx.compiler.layers;

import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;

/** Pads every spatial axis with `amount` zeros on each side. No weights. */
public final class ZeroPad implements LayerKind<ZeroPad.Settings> {
    /** `zeropad [AMOUNT]`. */
    public record Settings(Sizes amount) implements LayerSettings {}

    private static final Schema SCHEMA = Schema.of(
        Attr.of("amount", Type.SIZES, "zeros added before and after, per spatial axis").positional().defaults(List.of(1))
            .atLeast(0));

    @Override public String name() { return "zeropad"; }
    @Override public List<String> aliases() { return List.of("zero_padding"); }
    @Override public String doc() { return "adds `amount` zeros on both sides of every spatial axis"; }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.RESHAPE; }

    @Override public Settings settings(Attrs a) { return new Settings(new Sizes(a.sizes("amount"))); }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        int axes = Spatial.axes(ctx, this);
        if (axes < 0) return Shape.UNKNOWN;
        List<Integer> p = Spatial.perAxis(ctx, "amount", ctx.settings().amount(), axes);
        if (p == null) return Shape.UNKNOWN;
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < axes; i++) {
            Dim d = ctx.input().dim(i);
            out.add(d.known() ? Dim.of(d.size() + 2L * p.get(i)) : Dim.UNKNOWN);
        }
        return Spatial.withChannels(out, ctx.input().last());
    }
}
