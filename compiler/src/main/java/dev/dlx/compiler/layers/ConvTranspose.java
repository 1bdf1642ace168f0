package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
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
 * Transposed convolution over 1, 2 or 3 spatial axes (the gradient of `conv` with respect to its
 * input; `conv_transpose1d`, `conv_transpose2d`, `conv_transpose3d` fix the rank). Each input
 * position i adds `x[i] W[k]` to output position `o = i S + k d - P_start`, so each axis grows to
 * {@code O = (I - 1) S - P_start - P_end + d(K - 1) + output_padding + 1}.
 *
 * <p>Padding as Keras's `Conv2DTranspose` defines it: without `output_padding`, `valid` crops
 * nothing (O = I S + max(K' - S, 0), K' = d(K - 1) + 1) and `same` gives O = I S (P_start + P_end =
 * max(K' - S, 0), the smaller half first); with `output_padding`, `same` crops K'/2 (rounded down)
 * on each side. `full` crops K' - 1 on each side (the inverse of a `full` conv); an amount crops that
 * many on each side.
 *
 * <p>Weights: kernel [k..., filters, C_in] (the layout of TensorFlow's `conv2d_backprop_input` and
 * Keras's `Conv2DTranspose`: output channels before input channels) and bias [filters].
 */
public final class ConvTranspose implements LayerKind<ConvTranspose.Settings> {
    /**
     * `conv_transpose FILTERS KERNEL [stride S] [padding P] [dilation D] [output_padding Q] [bias B]`;
     * {@code outputPadding} is null when not written (then Keras's default per padding applies).
     */
    public record Settings(int filters, Sizes kernel, Sizes stride, Padding padding, Sizes dilation, Sizes outputPadding,
                           boolean bias) implements Windowed {}

    private static final Schema SCHEMA = Schema.of(
        Attr.of("filters", Type.INT, "number of filters (output channels)").positional().required().atLeast(1),
        Attr.of("kernel", Type.SIZES, "window size per spatial axis: `3` or `3x5`").positional().required().atLeast(1),
        Attr.of("stride", Type.SIZES, "the upsampling factor: input steps are S output steps apart").defaults(List.of(1)).atLeast(1),
        Attr.of("padding", Type.PADDING, "`valid` (output I S + max(K - S, 0)), `same` (output I S), `full`, "
            + "or an amount cropped from each side").defaults(Padding.VALID).atLeast(0),
        Attr.of("dilation", Type.SIZES, "spacing between kernel taps").defaults(List.of(1)).atLeast(1),
        Attr.of("output_padding", Type.SIZES, "extra output steps at the end of each axis, below the stride "
            + "(left out: what Keras gives for the padding)").atLeast(0),
        Attr.of("bias", Type.BOOL, "add a learned bias per filter").defaults(true));

    @Override public String name() { return "conv_transpose"; }
    @Override public List<String> aliases() { return List.of("conv_transpose1d", "conv_transpose2d", "conv_transpose3d"); }
    @Override public String doc() {
        return "transposed convolution: upsamples 1D, 2D or 3D feature maps by `stride`, "
            + "O = (I - 1) S - P_start - P_end + d(K - 1) + output_padding + 1";
    }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.CONV; }

    @Override public int spellingRank(String spelling) {
        return switch (spelling) {
            case "conv_transpose1d" -> 1;
            case "conv_transpose2d" -> 2;
            case "conv_transpose3d" -> 3;
            default -> -1;
        };
    }

    @Override public Settings settings(Attrs a) {
        List<Integer> op = a.sizes("output_padding");
        return new Settings(a.integer("filters"), new Sizes(a.sizes("kernel")), new Sizes(a.sizes("stride")), a.as("padding"),
            new Sizes(a.sizes("dilation")), op == null || op.isEmpty() ? null : new Sizes(op), a.flag("bias"));
    }

    /**
     * P_start, P_end and output_padding of one axis: the one place the checker's output size and
     * the runtime's lowering take them from. {@code outputPadding} is null for Keras's default.
     */
    public static long[] amounts(int kernel, int stride, int dilation, Padding padding, Integer outputPadding, int axis) {
        long window = (long) dilation * (kernel - 1) + 1;
        if (outputPadding == null) {
            long op = Math.max(stride - window, 0);
            return switch (padding.mode()) {
                case VALID -> new long[] {0, 0, op};
                case SAME -> {
                    long total = Math.max(window - stride, 0);
                    yield new long[] {total / 2, total - total / 2, op};
                }
                case FULL -> new long[] {window - 1, window - 1, 0};
                case EXPLICIT -> new long[] {padding.explicitAt(axis), padding.explicitAt(axis), 0};
            };
        }
        long p = switch (padding.mode()) {
            case VALID -> 0;
            case SAME -> window / 2;
            case FULL -> window - 1;
            case EXPLICIT -> padding.explicitAt(axis);
        };
        return new long[] {p, p, outputPadding};
    }

    /** {@code O = (I - 1) S - P_start - P_end + d(K - 1) + output_padding + 1}. */
    public static long outSize(long in, int kernel, int stride, int dilation, long[] amounts) {
        return (in - 1) * stride - amounts[0] - amounts[1] + (long) dilation * (kernel - 1) + amounts[2] + 1;
    }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        Settings s = ctx.settings();
        int axes = Spatial.axes(ctx, this);
        if (axes < 0) return Shape.UNKNOWN;
        List<Integer> k = Spatial.perAxis(ctx, "kernel", s.kernel(), axes);
        List<Integer> st = Spatial.perAxis(ctx, "stride", s.stride(), axes);
        List<Integer> d = Spatial.perAxis(ctx, "dilation", s.dilation(), axes);
        List<Integer> op = s.outputPadding() == null ? null : Spatial.perAxis(ctx, "output_padding", s.outputPadding(), axes);
        if (k == null || st == null || d == null || s.outputPadding() != null && op == null) return Shape.UNKNOWN;
        Padding padding = s.padding();
        if (padding.mode() == Padding.Mode.EXPLICIT && padding.explicit().size() != 1 && padding.explicit().size() != axes) {
            return ctx.fail(Diagnostic.error(Code.WRONG_TYPE, ctx.spanOf("padding"),
                    "`padding` has " + padding.explicit().size() + " amounts but the input has " + axes + " spatial axes")
                .label("expected " + axes + " amounts or one for all axes"));
        }
        if (op != null) {
            for (int i = 0; i < axes; i++) {
                if (op.get(i) >= st.get(i)) {
                    return ctx.fail(Diagnostic.error(Code.OUT_OF_RANGE, ctx.spanOf("output_padding"),
                            "`output_padding` " + op.get(i) + " is not below the stride " + st.get(i))
                        .label("must be less than the stride")
                        .note("output_padding picks one of the S output sizes that a stride-S convolution maps to the same input size"));
                }
            }
        }
        if (!ctx.input().last().known()) {
            return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`" + ctx.spelling() + "` needs a known number of input channels, found "
                    + ctx.input()).label("channels unknown"));
        }
        String[] names = axes == 1 ? Spatial.AXIS_NAMES_1 : axes == 2 ? Spatial.AXIS_NAMES_2 : Spatial.AXIS_NAMES_3;
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < axes; i++) {
            Dim in = ctx.input().dim(i);
            if (!in.known()) {
                out.add(Dim.UNKNOWN);
                continue;
            }
            long[] p = amounts(k.get(i), st.get(i), d.get(i), padding, op == null ? null : op.get(i), i);
            long size = outSize(in.size(), k.get(i), st.get(i), d.get(i), p);
            if (size <= 0) {
                return ctx.fail(ctx.error(Code.KERNEL_TOO_LARGE, "`" + ctx.spelling() + "` crops more than it produces on the "
                        + names[i] + " of " + in.size())
                    .label("output " + names[i] + " " + size)
                    .secondary(ctx.inputSpans().get(0), "this produces " + ctx.input())
                    .note("O = (I - 1) S - P_start - P_end + d(K - 1) + output_padding + 1 = (" + in.size() + " - 1) * " + st.get(i)
                        + " - " + p[0] + " - " + p[1] + " + " + d.get(i) + " * (" + k.get(i) + " - 1) + " + p[2] + " + 1 = " + size)
                    .help(padding.mode() == Padding.Mode.FULL ? "`padding full` crops K' - 1 on each side; use `padding valid` or `same`"
                        : "use less padding"));
            }
            out.add(Dim.of(size));
        }
        return Spatial.withChannels(out, Dim.of(s.filters()));
    }

    @Override public List<ParamSpec> params(Settings s, List<Shape> inputs, Shape output) {
        int axes = Spatial.axesOf(inputs);
        List<Long> kernel = new ArrayList<>();
        for (int k : s.kernel().on(axes)) kernel.add((long) k);
        kernel.add((long) s.filters());
        kernel.add(inputs.get(0).last().size());
        List<ParamSpec> ps = new ArrayList<>();
        ps.add(ParamSpec.of(WeightRole.KERNEL, "kernel", kernel));
        if (s.bias()) ps.add(ParamSpec.of(WeightRole.BIAS, "bias", s.filters()));
        return ps;
    }

    /**
     * An output position takes input positions i with `i S + k d - P_start` equal to it: at most
     * `floor(d(K - 1) / S) + 1` neighbouring ones. So the field grows by `floor(d(K - 1) / S)` input
     * steps (each J apart) and outputs lie S times closer: J' = max(1, J / S).
     */
    @Override public ReceptiveField receptiveField(Settings s, List<ReceptiveField> in, List<Shape> shapes) {
        ReceptiveField f = in.get(0);
        int axes = Spatial.axesOf(shapes);
        if (!f.spatial() || f.size().size() != axes) return f;
        List<Integer> k = s.kernel().on(axes), st = s.stride().on(axes), d = s.dilation().on(axes);
        List<Long> r = new ArrayList<>(), j = new ArrayList<>();
        for (int i = 0; i < axes; i++) {
            long taps = (long) d.get(i) * (k.get(i) - 1) / st.get(i);
            r.add(f.size().get(i) + taps * f.jump().get(i));
            j.add(Math.max(1, f.jump().get(i) / st.get(i)));
        }
        return new ReceptiveField(r, j, false);
    }
}
