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
 * Depthwise convolution: one window per input channel (times `multiplier`), no mixing across
 * channels. Weights: kernel [k..., C, multiplier], bias [C * multiplier].
 */
public final class DepthwiseConv implements LayerKind<DepthwiseConv.Settings> {
    /** `depthwise_conv KERNEL [multiplier M] [stride S] [padding P] [dilation D] [bias B]`. */
    public record Settings(Sizes kernel, int multiplier, Sizes stride, Padding padding, Sizes dilation, boolean bias)
        implements Windowed {}

    static final Schema SCHEMA = Schema.of(
        Attr.of("kernel", Type.SIZES, "window size per spatial axis").positional().required().atLeast(1),
        Attr.of("multiplier", Type.INT, "output channels per input channel").defaults(1).atLeast(1),
        Attr.of("stride", Type.SIZES, "step between windows").defaults(List.of(1)).atLeast(1),
        Attr.of("padding", Type.PADDING, "`valid`, `same`, `full` or an amount per side").defaults(Padding.VALID).atLeast(0),
        Attr.of("dilation", Type.SIZES, "spacing between kernel taps").defaults(List.of(1)).atLeast(1),
        Attr.of("bias", Type.BOOL, "add a learned bias per output channel").defaults(true));

    @Override public String name() { return "depthwise_conv"; }
    @Override public List<String> aliases() { return List.of("depthwise_conv1d", "depthwise_conv2d"); }
    @Override public String doc() { return "depthwise convolution: a separate window for each input channel"; }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.CONV; }

    @Override public int spellingRank(String spelling) {
        return switch (spelling) { case "depthwise_conv1d" -> 1; case "depthwise_conv2d" -> 2; default -> -1; };
    }

    @Override public Settings settings(Attrs a) {
        return new Settings(new Sizes(a.sizes("kernel")), a.integer("multiplier"), new Sizes(a.sizes("stride")), a.as("padding"),
            new Sizes(a.sizes("dilation")), a.flag("bias"));
    }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        List<Dim> out = Spatial.convolved(ctx, this);
        if (out == null) return Shape.UNKNOWN;
        Dim c = ctx.input().last();
        return Spatial.withChannels(out, c.known() ? Dim.of(c.size() * ctx.settings().multiplier()) : Dim.UNKNOWN);
    }

    @Override public List<ParamSpec> params(Settings s, List<Shape> inputs, Shape output) {
        int axes = Spatial.axesOf(inputs);
        List<Long> kernel = new ArrayList<>();
        for (int k : s.kernel().on(axes)) kernel.add((long) k);
        long c = inputs.get(0).last().size();
        kernel.add(c);
        kernel.add((long) s.multiplier());
        List<ParamSpec> ps = new ArrayList<>();
        ps.add(ParamSpec.of(WeightRole.KERNEL, "depthwise_kernel", kernel));
        if (s.bias()) ps.add(ParamSpec.of(WeightRole.BIAS, "bias", c * s.multiplier()));
        return ps;
    }

    @Override public ReceptiveField receptiveField(Settings s, List<ReceptiveField> in, List<Shape> shapes) {
        return Spatial.convolvedField(s, in, shapes);
    }
}
