package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Padding;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.compiler.shape.WindowArithmetic;
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers shared by the windowed layers (conv, pool, depthwise, upsample, zeropad): inputs are
 * channels-last feature maps `[spatial..., channels]` with 1 to 3 spatial axes.
 */
final class Spatial {
    private Spatial() {}

    static final String[] AXIS_NAMES_1 = {"length"};
    static final String[] AXIS_NAMES_2 = {"height", "width"};
    static final String[] AXIS_NAMES_3 = {"depth", "height", "width"};

    /** Number of spatial axes of the input, or -1 after reporting a rank the layer cannot take. */
    static int axes(LayerContext<?> ctx, LayerKind<?> kind) {
        Shape in = ctx.input();
        int fixed = kind.spellingRank(ctx.spelling());
        int axes = in.rank() - 1;
        if (fixed > 0 && axes != fixed) {
            ctx.fail(ctx.error(Code.RANK_MISMATCH, "`" + ctx.spelling() + "` expects a rank-" + (fixed + 1) + " input "
                    + example(fixed) + ", found " + in)
                .label("input has rank " + in.rank())
                .secondary(ctx.inputSpans().get(0), "this produces " + in)
                .help(axes >= 1 && axes <= 3 ? "write `" + kind.name() + "` to take the rank from the input"
                        : "reshape the input, e.g. `reshape " + reshapeHint(in, fixed) + "`"));
            return -1;
        }
        if (axes < 1 || axes > 3) {
            ctx.fail(ctx.error(Code.RANK_MISMATCH, "`" + ctx.spelling() + "` expects a feature map with 1 to 3 spatial axes "
                    + "and channels last, such as [28, 28, 1], found " + in)
                .label("input has rank " + in.rank())
                .secondary(ctx.inputSpans().get(0), "this produces " + in)
                .help(in.rank() == 1 ? "reshape the vector into a feature map, e.g. `reshape " + reshapeHint(in, 2) + "`"
                        : "this layer works on 1D, 2D or 3D feature maps"));
            return -1;
        }
        return axes;
    }

    private static String example(int axes) {
        return switch (axes) {
            case 1 -> "[length, channels]";
            case 2 -> "[height, width, channels]";
            default -> "[depth, height, width, channels]";
        };
    }

    private static String reshapeHint(Shape in, int axes) {
        long n = in.elements();
        if (axes == 2 && n > 0) {
            long side = Math.round(Math.sqrt(n));
            if (side * side == n) return "[" + side + ", " + side + ", 1]";
        }
        if (axes == 1 && n > 0) return "[" + n + ", 1]";
        return "[height, width, channels]";
    }

    /** A size attribute for every spatial axis: `3` means 3 on each axis; `3x5` must name them all. */
    static List<Integer> perAxis(LayerContext<?> ctx, String attr, Sizes given, int axes) {
        if (given.fits(axes)) return given.on(axes);
        ctx.sink().report(Diagnostic.error(Code.WRONG_TYPE, ctx.spanOf(attr),
                "`" + attr + "` of `" + ctx.spelling() + "` has " + given.written().size() + " sizes but the input has " + axes
                + " spatial axes")
            .label("expected " + axes + " sizes or one for all axes")
            .secondary(ctx.inputSpans().get(0), "this produces " + ctx.input()));
        return null;
    }

    /**
     * Output lengths of the spatial axes for a window; reports when the window does not fit.
     * Returns null after an error.
     */
    static List<Dim> windowOutput(LayerContext<?> ctx, List<Integer> kernel, List<Integer> stride,
                                  List<Integer> dilation, Padding padding, String what) {
        Shape in = ctx.input();
        int axes = kernel.size();
        if (padding.mode() == Padding.Mode.EXPLICIT && padding.explicit().size() != 1 && padding.explicit().size() != axes) {
            ctx.fail(Diagnostic.error(Code.WRONG_TYPE, ctx.spanOf("padding"),
                    "`padding` has " + padding.explicit().size() + " amounts but the input has " + axes + " spatial axes")
                .label("expected " + axes + " amounts or one for all axes"));
            return null;
        }
        String[] names = axes == 1 ? AXIS_NAMES_1 : axes == 2 ? AXIS_NAMES_2 : AXIS_NAMES_3;
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < axes; i++) {
            Dim d = in.dim(i);
            if (!d.known()) {
                out.add(Dim.UNKNOWN);
                continue;
            }
            long size = WindowArithmetic.outSize(d.size(), kernel.get(i), stride.get(i), dilation.get(i), padding, i);
            if (size <= 0) {
                long window = (long) dilation.get(i) * (kernel.get(i) - 1) + 1;
                long[] pads = WindowArithmetic.pads(d.size(), kernel.get(i), stride.get(i), dilation.get(i), padding, i);
                String padded = pads[0] + pads[1] == 0 ? "" : " (" + (d.size() + pads[0] + pads[1]) + " padded)";
                ctx.fail(ctx.error(Code.KERNEL_TOO_LARGE, "`" + ctx.spelling() + "` " + what + " of " + window
                        + (dilation.get(i) > 1 ? " (dilated)" : "") + " does not fit the input " + names[i] + " of "
                        + d.size() + padded)
                    .label(what + " " + window + " > " + names[i] + " " + (d.size() + pads[0] + pads[1]))
                    .secondary(ctx.inputSpans().get(0), "this produces " + in)
                    .note("output size = floor((I + P_start + P_end - d(F-1) - 1) / S) + 1 = "
                        + Math.floorDiv(d.size() + pads[0] + pads[1] - window, stride.get(i)) + " + 1 <= 0")
                    .help(padding.mode() == Padding.Mode.VALID ? "use `padding same` or a smaller " + what
                        : "use a smaller " + what + ", or remove a downsampling layer before this one"));
                return null;
            }
            out.add(Dim.of(size));
        }
        return out;
    }

    /**
     * The spatial output of a convolution-like layer with `kernel`, `stride`, `dilation` and
     * `padding` attributes; null after an error was reported.
     */
    static List<Dim> convolved(LayerContext<? extends Windowed> ctx, LayerKind<?> kind) {
        int axes = axes(ctx, kind);
        if (axes < 0) return null;
        Windowed w = ctx.settings();
        List<Integer> k = perAxis(ctx, "kernel", w.kernel(), axes);
        List<Integer> s = perAxis(ctx, "stride", w.stride(), axes);
        List<Integer> d = perAxis(ctx, "dilation", w.dilation(), axes);
        if (k == null || s == null || d == null) return null;
        return windowOutput(ctx, k, s, d, w.padding(), "kernel");
    }

    /** The receptive field after a convolution-like layer. */
    static ReceptiveField convolvedField(Windowed w, List<ReceptiveField> in, List<Shape> shapes) {
        int axes = axesOf(shapes);
        return in.get(0).window(w.kernel().on(axes), w.stride().on(axes), w.dilation().on(axes));
    }

    static Shape withChannels(List<Dim> spatial, Dim channels) {
        List<Dim> dims = new ArrayList<>(spatial);
        dims.add(channels);
        return Shape.of(dims);
    }

    static ReceptiveField window(ReceptiveField in, List<Integer> k, List<Integer> s, List<Integer> d) {
        return in.window(k, s, d);
    }

    static int axesOf(List<Shape> inputs) { return inputs.get(0).rank() - 1; }
}
