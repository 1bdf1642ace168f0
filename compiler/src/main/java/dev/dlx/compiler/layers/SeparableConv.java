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
 * Separable convolution: a depthwise window per channel, then a 1x1 convolution mixing channels.
 * Weights: depthwise [k..., C, m], pointwise [1..., C*m, filters], bias [filters].
 */
public final class SeparableConv implements LayerKind<SeparableConv.Settings> {
    /** `separable_conv FILTERS KERNEL [multiplier M] [stride S] [padding P] [dilation D] [bias B]`. */
    public record Settings(int filters, Sizes kernel, int multiplier, Sizes stride, Padding padding, Sizes dilation,
                           boolean bias) implements Windowed {}

    static final Schema SCHEMA = Schema.of(
        Attr.of("filters", Type.INT, "output channels of the pointwise step").positional().required().atLeast(1),
        Attr.of("kernel", Type.SIZES, "depthwise window size per spatial axis").positional().required().atLeast(1),
        Attr.of("multiplier", Type.INT, "depthwise channels per input channel").defaults(1).atLeast(1),
        Attr.of("stride", Type.SIZES, "step between windows").defaults(List.of(1)).atLeast(1),
        Attr.of("padding", Type.PADDING, "`valid`, `same`, `full` or an amount per side").defaults(Padding.VALID).atLeast(0),
        Attr.of("dilation", Type.SIZES, "spacing between kernel taps").defaults(List.of(1)).atLeast(1),
        Attr.of("bias", Type.BOOL, "add a learned bias per filter").defaults(true));

    @Override public String name() { return "separable_conv"; }
    @Override public List<String> aliases() { return List.of("separable_conv1d", "separable_conv2d"); }
    @Override public String doc() { return "depthwise convolution followed by a 1x1 convolution"; }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.CONV; }

    @Override public int spellingRank(String spelling) {
        return switch (spelling) { case "separable_conv1d" -> 1; case "separable_conv2d" -> 2; default -> -1; };
    }

    @Override public Settings settings(Attrs a) {
        return new Settings(a.integer("filters"), new Sizes(a.sizes("kernel")), a.integer("multiplier"), new Sizes(a.sizes("stride")),
            a.as("padding"), new Sizes(a.sizes("dilation")), a.flag("bias"));
    }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        List<Dim> out = Spatial.convolved(ctx, this);
        if (out == null) return Shape.UNKNOWN;
        return Spatial.withChannels(out, Dim.of(ctx.settings().filters()));
    }

    @Override public List<ParamSpec> params(Settings s, List<Shape> inputs, Shape output) {
        int axes = Spatial.axesOf(inputs);
        long c = inputs.get(0).last().size();
        long m = s.multiplier();
        List<Long> depthwise = new ArrayList<>();
        List<Long> pointwise = new ArrayList<>();
        for (int k : s.kernel().on(axes)) {
            depthwise.add((long) k);
            pointwise.add(1L);
        }
        depthwise.add(c);
        depthwise.add(m);
        pointwise.add(c * m);
        pointwise.add((long) s.filters());
        List<ParamSpec> ps = new ArrayList<>();
        ps.add(ParamSpec.of(WeightRole.KERNEL, "depthwise_kernel", depthwise));
        ps.add(ParamSpec.of(WeightRole.KERNEL, "pointwise_kernel", pointwise));
        if (s.bias()) ps.add(ParamSpec.of(WeightRole.BIAS, "bias", s.filters()));
        return ps;
    }

    @Override public ReceptiveField receptiveField(Settings s, List<ReceptiveField> in, List<Shape> shapes) {
        return Spatial.convolvedField(s, in, shapes);
    }
}
