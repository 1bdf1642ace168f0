package dev.dlx.compiler.layers;

import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.ir.WeightRole;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Padding;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Convolution over 1, 2 or 3 spatial axes (the rank comes from the input; `conv1d`, `conv2d`,
 * `conv3d` fix it). A 1x1 convolution is `conv N 1`. Weights: kernel [k..., C_in, filters] and
 * bias [filters]: `(F*F*C + 1) * K` in 2D.
 */
public final class Conv implements LayerKind<Conv.Settings> {
    /** `conv FILTERS KERNEL [stride S] [padding P] [dilation D] [bias B]`. */
    public record Settings(int filters, Sizes kernel, Sizes stride, Padding padding, Sizes dilation, boolean bias)
        implements Windowed {}

    static final Schema SCHEMA = Schema.of(
        Attr.of("filters", Type.INT, "number of filters (output channels)").positional().required().atLeast(1),
        Attr.of("kernel", Type.SIZES, "window size per spatial axis: `3` or `3x5`").positional().required().atLeast(1),
        Attr.of("stride", Type.SIZES, "step between windows").defaults(List.of(1)).atLeast(1),
        Attr.of("padding", Type.PADDING, "`valid` (none), `same` (output ceil(I/S)), `full`, or an amount per side")
            .defaults(Padding.VALID).atLeast(0),
        Attr.of("dilation", Type.SIZES, "spacing between kernel taps (atrous convolution)").defaults(List.of(1)).atLeast(1),
        Attr.of("bias", Type.BOOL, "add a learned bias per filter").defaults(true));

    @Override public String name() { return "conv"; }
    @Override public List<String> aliases() { return List.of("conv1d", "conv2d", "conv3d"); }
    @Override public String doc() { return "convolution with `filters` windows of size `kernel` over 1D, 2D or 3D feature maps"; }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.CONV; }

    @Override public int spellingRank(String spelling) {
        return switch (spelling) { case "conv1d" -> 1; case "conv2d" -> 2; case "conv3d" -> 3; default -> -1; };
    }

    @Override public Settings settings(Attrs a) {
        return new Settings(a.integer("filters"), new Sizes(a.sizes("kernel")), new Sizes(a.sizes("stride")), a.as("padding"),
            new Sizes(a.sizes("dilation")), a.flag("bias"));
    }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        List<Dim> out = Spatial.convolved(ctx, this);
        if (out == null) return Shape.UNKNOWN;
        if (!ctx.input().last().known()) {
            return ctx.fail(ctx.error(dev.dlx.compiler.diag.Code.RANK_MISMATCH,
                    "`" + ctx.spelling() + "` needs a known number of input channels, found " + ctx.input())
                .label("channels unknown"));
        }
        return Spatial.withChannels(out, Dim.of(ctx.settings().filters()));
    }

    @Override public List<ParamSpec> params(Settings s, List<Shape> inputs, Shape output) {
        int axes = Spatial.axesOf(inputs);
        List<Long> kernel = new ArrayList<>();
        for (int k : s.kernel().on(axes)) kernel.add((long) k);
        kernel.add(inputs.get(0).last().size());
        kernel.add((long) s.filters());
        List<ParamSpec> ps = new ArrayList<>();
        ps.add(ParamSpec.of(WeightRole.KERNEL, "kernel", kernel));
        if (s.bias()) ps.add(ParamSpec.of(WeightRole.BIAS, "bias", s.filters()));
        return ps;
    }

    @Override public ReceptiveField receptiveField(Settings s, List<ReceptiveField> in, List<Shape> shapes) {
        return Spatial.convolvedField(s, in, shapes);
    }
}
