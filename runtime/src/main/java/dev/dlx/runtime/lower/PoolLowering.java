package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.GlobalPool;
import dev.dlx.compiler.layers.Pool;
import dev.dlx.compiler.shape.Padding;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.compiler.shape.WindowArithmetic;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.family.TFloating;

/**
 * `maxpool` and `avgpool` over 1 to 3 spatial axes, and the global pools. With `same`, average
 * pooling divides by the number of input positions in the window, padding excluded (TensorFlow's
 * and Keras's rule). 3D pools pool each depth slice in 2D and then combine the depth window, which
 * is exact for both the maximum and the padding-excluded average (TensorFlow's 3D pools have no
 * float64 kernels, which gradient checks need).
 */
final class PoolLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        Shape in = ctx.inputShape();
        if (ctx.settings() instanceof GlobalPool.Settings global) {
            int[] axes = new int[in.rank() - 1];
            for (int i = 0; i < axes.length; i++) axes[i] = i + 1;
            return global.op() == Pool.Op.MAX ? tf.reduceMax(ctx.input(), tf.constant(axes))
                : tf.math.mean(ctx.input(), tf.constant(axes));
        }
        Pool.Settings s = ctx.settings(Pool.Settings.class);
        Pool.Op op = s.op();
        int axes = in.rank() - 1;
        List<Integer> size = s.size().on(axes);
        List<Integer> stride = s.stride().on(axes);
        boolean same = s.padding().mode() == Padding.Mode.SAME;
        String padding = same ? "SAME" : "VALID";
        Operand<T> x = ctx.input();
        switch (axes) {
            case 1: {
                Operand<T> y = pool2d(tf, op, tf.expandDims(x, tf.constant(1)), 1, size.get(0), 1, stride.get(0), padding);
                return tf.squeeze(y, org.tensorflow.op.core.Squeeze.axis(1L));
            }
            case 2: {
                // max pooling of a bfloat16 result selects values and rounds none: computed in bfloat16 (LoweringContext.bf16Source)
                Operand<TBfloat16> bf16 = op == Pool.Op.MAX ? ctx.bf16Source(x) : null;
                if (bf16 != null) {
                    Operand<TBfloat16> z = reluInput(bf16);
                    if (z != null) return ctx.fromBf16(tf.nn.relu(pool2d(tf, op, z, size.get(0), size.get(1), stride.get(0), stride.get(1), padding)));
                    return ctx.fromBf16(pool2d(tf, op, bf16, size.get(0), size.get(1), stride.get(0), stride.get(1), padding));
                }
                Operand<T> z = op == Pool.Op.MAX ? reluInput(x) : null;
                if (z != null) return tf.nn.relu(pool2d(tf, op, z, size.get(0), size.get(1), stride.get(0), stride.get(1), padding));
                return pool2d(tf, op, x, size.get(0), size.get(1), stride.get(0), stride.get(1), padding);
            }
            default:
                if (!in.dim(0).known()) throw ctx.unsupported("3D pooling needs a known depth, found " + in);
                Operand<T> planes = Windows.mapSlices(tf, x,
                    v -> pool2d(tf, op, v, size.get(1), size.get(2), stride.get(1), stride.get(2), padding));
                return overDepth(ctx, planes, in.dim(0).size(), size.get(0), stride.get(0), same ? Padding.SAME : Padding.VALID, op);
        }
    }

    /**
     * z when {@code x} is relu(z), else null. The maximum of a window of relu(z) is relu of the
     * window's maximum of z (relu never lowers a larger value below a smaller one), so a max pool of
     * a relu pools z and applies relu to the pooled values, a quarter of them for a 2 x 2 window: the
     * relu and its gradient then run on the pooled tensor. Every value is the same (nothing rounds),
     * and so is every gradient: a window's gradient goes to its largest z, and is 0 when that z is
     * not above 0, as it is when pooling relu(z). The relu(z) node stays in the graph for whatever
     * else reads the layer's output (a `let`, a tap of what a layer sees); a step that only trains
     * never computes it.
     */
    @SuppressWarnings("unchecked")
    private static <U extends org.tensorflow.types.family.TType> Operand<U> reluInput(Operand<U> x) {
        if (!(x.asOutput().op() instanceof org.tensorflow.GraphOperation op) || !op.type().equals("Relu") || op.numInputs() != 1) return null;
        return (Operand<U>) op.input(0);
    }

    private static <T extends TFloating> Operand<T> pool2d(Ops tf, Pool.Op op, Operand<T> x, long kh, long kw,
                                                           long sh, long sw, String padding) {
        if (op == Pool.Op.MAX) return maxPool(tf, x, new long[] {1, kh, kw, 1}, new long[] {1, sh, sw, 1}, padding);
        return tf.nn.avgPool(x, List.of(1L, kh, kw, 1L), List.of(1L, sh, sw, 1L), padding);
    }

    /**
     * TensorFlow's `MaxPool`, its window given as attributes: with oneDNN on, it and its gradient
     * run as oneDNN kernels, and the gradient reuses the forward pass's record of where each maximum
     * was (2.2-2.7 ms against 8 ms for a [64, 28, 28, 32] pool and its gradient on 2 cores).
     * `MaxPoolV2` (the window as tensors, what {@code tf.nn.maxPool} builds) has no oneDNN kernel,
     * and its gradient searches every window again.
     */
    @SuppressWarnings("unchecked")
    private static <T extends TFloating> Operand<T> maxPool(Ops tf, Operand<T> x, long[] window, long[] strides, String padding) {
        org.tensorflow.Output<?> y = tf.scope().opBuilder("MaxPool", "MaxPool").addInput(x.asOutput())
            .setAttr("ksize", window).setAttr("strides", strides).setAttr("padding", padding).build().output(0);
        return (Operand<T>) y;
    }

    /** Combines the depth window (axis 1) of per-slice 2D pools. */
    private static <T extends TFloating> Operand<T> overDepth(LoweringContext<T> ctx, Operand<T> planes, long depth,
                                                              int size, int stride, Padding padding, Pool.Op op) {
        Ops tf = ctx.tf();
        long[] pads = WindowArithmetic.pads(depth, size, stride, 1, padding, 0);
        long out = WindowArithmetic.outSize(depth, size, stride, 1, padding, 0);
        int spatial = planes.shape().numDimensions() - 2;
        long[][] all = new long[spatial][2];
        all[0] = pads;
        Operand<T> fill = op == Pool.Op.MAX ? ctx.scalar(-Float.MAX_VALUE) : ctx.scalar(0);
        Operand<T> padded = Windows.padSpatial(tf, planes, all, fill);
        List<Operand<T>> taps = new ArrayList<>();
        for (int i = 0; i < size; i++) taps.add(Windows.depthSlice(tf, padded, i, stride, out));
        if (op == Pool.Op.MAX) {
            Operand<T> m = taps.get(0);
            for (int i = 1; i < taps.size(); i++) m = tf.math.maximum(m, taps.get(i));
            return m;
        }
        // each slice already averages its own plane; divide the sum by the real (unpadded) depth taps
        double[] counts = new double[Math.toIntExact(out)];
        for (int o = 0; o < counts.length; o++) {
            long from = o * (long) stride - pads[0];
            counts[o] = Math.min(from + size, depth) - Math.max(from, 0);
        }
        Operand<T> sum = taps.size() == 1 ? taps.get(0) : tf.math.addN(taps);
        Operand<T> divisor = tf.reshape(tf.dtypes.cast(tf.constant(counts), ctx.type()),
            tf.constant(new int[] {1, counts.length, 1, 1, 1}));
        return tf.math.div(sum, divisor);
    }
}
