package dev.dlx.runtime.lower;

import dev.dlx.compiler.shape.Padding;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.compiler.shape.WindowArithmetic;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Index;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Windowed operations over 1, 2 or 3 spatial axes (channels last), built from TensorFlow's 2D
 * operations, whose gradients exist in its C++ registry (Conv3D, and 3D pooling in float64, have
 * none): 1D adds an axis of length 1; 3D sums 2D operations over the taps of the depth window.
 * Padding uses the checker's formulas ({@link WindowArithmetic}); dilation is folded into the
 * kernel by inserting zeros between taps (TensorFlow's Conv2D gradient ignores dilations).
 */
final class Windows {
    private Windows() {}

    /** A 2D operation on [batch, height, width, channels] with its stride and TF padding (`SAME`/`VALID`). */
    interface Op2d<T extends TFloating> {
        Operand<T> apply(Operand<T> x, Operand<T> kernel, long strideH, long strideW, String padding);
    }

    /** [before, after] padding of each spatial axis of {@code in} for a window. */
    static long[][] pads(LoweringContext<?> ctx, Shape in, List<Integer> kernel, List<Integer> stride,
                         List<Integer> dilation, Padding padding) {
        long[][] pads = new long[kernel.size()][];
        for (int i = 0; i < kernel.size(); i++) {
            long len = in.dim(i).size();
            if (len < 0 && padding.mode() == Padding.Mode.SAME) {
                throw ctx.unsupported("`padding same` here needs a known size of spatial axis " + i + ", found " + in);
            }
            pads[i] = WindowArithmetic.pads(Math.max(len, 0), kernel.get(i), stride.get(i), dilation.get(i), padding, i);
        }
        return pads;
    }

    /** Pads the spatial axes of {@code x} ([batch, spatial..., channels]) with {@code value}. */
    static <T extends TFloating> Operand<T> padSpatial(Ops tf, Operand<T> x, long[][] pads, Operand<T> value) {
        boolean any = false;
        for (long[] p : pads) any |= p[0] != 0 || p[1] != 0;
        if (!any) return x;
        int[][] all = new int[pads.length + 2][2];
        for (int i = 0; i < pads.length; i++) {
            all[i + 1][0] = Math.toIntExact(pads[i][0]);
            all[i + 1][1] = Math.toIntExact(pads[i][1]);
        }
        return tf.pad(x, tf.constant(all), value);
    }

    /**
     * The kernel [k..., in, out] with {@code dilation - 1} zeros between taps on each spatial axis:
     * [d(k-1)+1, ..., in, out]. A dilated window is then an ordinary one.
     */
    static <T extends TFloating> Operand<T> dilate(Ops tf, Operand<T> kernel, List<Integer> dilation, Class<T> type) {
        Operand<T> k = kernel;
        for (int axis = 0; axis < dilation.size(); axis++) {
            int d = dilation.get(axis);
            if (d == 1) continue;
            long[] shape = k.shape().asArray();
            long taps = shape[axis];
            // [.., k, ..] -> [.., k, 1, ..] ++ zeros [.., k, d-1, ..] -> [.., k*d, ..] -> first d(k-1)+1
            Operand<T> expanded = tf.expandDims(k, tf.constant(axis + 1));
            long[] zerosShape = expanded.shape().asArray();
            zerosShape[axis + 1] = d - 1;
            Operand<T> zeros = tf.zeros(tf.constant(zerosShape), type);
            Operand<T> spread = tf.concat(List.of(expanded, zeros), tf.constant(axis + 1));
            long[] merged = shape.clone();
            merged[axis] = taps * d;
            Operand<T> flat = tf.reshape(spread, tf.constant(merged));
            List<Index> idx = new ArrayList<>();
            for (int i = 0; i < shape.length; i++) idx.add(i == axis ? Indices.slice(0L, d * (taps - 1) + 1) : Indices.all());
            k = tf.stridedSlice(flat, idx.toArray(new Index[0]));
        }
        return k;
    }

    /**
     * Applies a windowed 2D operation to a feature map with 1, 2 or 3 spatial axes. {@code x} is
     * already padded where the padding is explicit; {@code kernel} has shape [k..., in, out] with
     * dilation folded in; {@code padding} is `SAME` or `VALID`. In 3D, `SAME` must have been made
     * explicit (the depth axis is summed here, not padded).
     */
    static <T extends TFloating> Operand<T> apply(Ops tf, Operand<T> x, Operand<T> kernel, List<Integer> stride,
                                                  String padding, Op2d<T> op) {
        int axes = x.shape().numDimensions() - 2;
        switch (axes) {
            case 1: {
                Operand<T> x2 = tf.expandDims(x, tf.constant(1));
                Operand<T> k2 = tf.expandDims(kernel, tf.constant(0));
                // the added axis has length 1, so its stride changes nothing (and depthwise needs equal strides)
                Operand<T> y = op.apply(x2, k2, stride.get(0), stride.get(0), padding);
                return tf.squeeze(y, org.tensorflow.op.core.Squeeze.axis(1L));
            }
            case 2:
                return op.apply(x, kernel, stride.get(0), stride.get(1), padding);
            case 3:
                return overDepth(tf, x, kernel, stride, padding, op);
            default:
                throw new IllegalArgumentException("expected 1 to 3 spatial axes, found " + axes);
        }
    }

    private static <T extends TFloating> Operand<T> overDepth(Ops tf, Operand<T> x, Operand<T> kernel,
                                                              List<Integer> stride, String padding, Op2d<T> op) {
        if (!"VALID".equals(padding)) throw new IllegalArgumentException("3D windows need explicit padding");
        long depth = x.shape().get(1);
        int taps = Math.toIntExact(kernel.shape().get(0));
        int s = stride.get(0);
        long outDepth = (depth - taps) / s + 1;
        List<Operand<T>> sum = new ArrayList<>();
        for (int i = 0; i < taps; i++) {
            Operand<T> slice = depthSlice(tf, x, i, s, outDepth);
            Operand<T> k2 = tf.stridedSlice(kernel, Indices.at(i));
            sum.add(mapSlices(tf, slice, y -> op.apply(y, k2, stride.get(1), stride.get(2), "VALID")));
        }
        return sum.size() == 1 ? sum.get(0) : tf.math.addN(sum);
    }

    /** Positions i, i+s, ..., i+(n-1)s of the depth axis (axis 1). */
    static <T extends TFloating> Operand<T> depthSlice(Ops tf, Operand<T> x, int start, int stride, long count) {
        return tf.stridedSlice(x, Indices.all(), Indices.slice((long) start, start + (count - 1) * stride + 1, stride));
    }

    /** Applies a 2D operation to every depth slice of [batch, depth, h, w, c] by folding depth into the batch. */
    static <T extends TFloating> Operand<T> mapSlices(Ops tf, Operand<T> x,
                                                      java.util.function.UnaryOperator<Operand<T>> op2d) {
        List<Size> in = Size.all(tf, x);
        Operand<T> folded = Size.reshape(tf, x, List.of(Size.of(-1), in.get(2), in.get(3), in.get(4)));
        Operand<T> y = op2d.apply(folded);
        List<Size> out = Size.all(tf, y);
        return Size.reshape(tf, y, List.of(Size.of(-1), in.get(1), out.get(1), out.get(2), out.get(3)));
    }
}
