package dev.dlx.compiler.layers;

import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Padding;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/** Max or average pooling over 1, 2 or 3 spatial axes; the stride defaults to the window size. No weights. */
public final class Pool implements LayerKind<Pool.Settings> {
    public enum Op { MAX, AVG }

    /** `maxpool|avgpool [SIZE] [stride S] [padding valid|same]`; the stride is the size when not written. */
    public record Settings(Op op, Sizes size, Sizes stride, Padding padding) implements LayerSettings {}

    private static final Schema SCHEMA = Schema.of(
        Attr.of("size", Type.SIZES, "window size per spatial axis").positional().defaults(List.of(2)).atLeast(1),
        Attr.of("stride", Type.SIZES, "step between windows (default: the window size)").atLeast(1),
        Attr.of("padding", Type.choice("valid", "same"), "`valid` drops the last partial window; `same` keeps ceil(I/S)")
            .defaults("valid"));

    private final Op op;

    public Pool(Op op) { this.op = op; }

    public Op op() { return op; }

    @Override public String name() { return op == Op.MAX ? "maxpool" : "avgpool"; }
    @Override public List<String> aliases() {
        String n = name();
        return List.of(n + "1d", n + "2d", n + "3d");
    }
    @Override public String doc() {
        return (op == Op.MAX ? "maximum" : "average") + " over each window of `size`; keeps the channels";
    }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.POOL; }

    @Override public int spellingRank(String spelling) {
        if (spelling.endsWith("1d")) return 1;
        if (spelling.endsWith("2d")) return 2;
        if (spelling.endsWith("3d")) return 3;
        return -1;
    }

    @Override public Settings settings(Attrs a) {
        Sizes size = new Sizes(a.sizes("size"));
        return new Settings(op, size, a.given("stride") ? new Sizes(a.sizes("stride")) : size,
            "same".equals(a.word("padding")) ? Padding.SAME : Padding.VALID);
    }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        int axes = Spatial.axes(ctx, this);
        if (axes < 0) return Shape.UNKNOWN;
        List<Integer> k = Spatial.perAxis(ctx, "size", ctx.settings().size(), axes);
        List<Integer> s = k == null ? null : Spatial.perAxis(ctx, "stride", ctx.settings().stride(), axes);
        if (k == null || s == null) return Shape.UNKNOWN;
        List<Dim> out = Spatial.windowOutput(ctx, k, s, java.util.Collections.nCopies(axes, 1), ctx.settings().padding(), "window");
        if (out == null) return Shape.UNKNOWN;
        return Spatial.withChannels(out, ctx.input().last());
    }

    @Override public ReceptiveField receptiveField(Settings s, List<ReceptiveField> in, List<Shape> shapes) {
        int axes = Spatial.axesOf(shapes);
        return in.get(0).window(s.size().on(axes), s.stride().on(axes), java.util.Collections.nCopies(axes, 1));
    }
}
