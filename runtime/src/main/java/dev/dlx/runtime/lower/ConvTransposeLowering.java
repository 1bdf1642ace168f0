package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.ConvTranspose;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Index;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * `conv_transpose` as an ordinary convolution, from operations whose gradients TensorFlow's C++
 * registry has (Conv2DBackpropInput, the direct operation, has none there): S - 1 zeros go between
 * neighbouring input positions, each axis is padded by `d(K - 1) - P_start` before and
 * `d(K - 1) - P_end + output_padding` after (cropped where negative), and a stride-1 `VALID`
 * convolution runs with the kernel flipped on every spatial axis and [filters, C_in] swapped to
 * [C_in, filters]. Output position o then sums `x[i] W[k]` over `o = i S + k d - P_start`, which is
 * the transposed convolution. The amounts come from {@link ConvTranspose#amounts}, as the
 * checker's output size does.
 */
final class ConvTransposeLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        ConvTranspose.Settings s = ctx.settings(ConvTranspose.Settings.class);
        Shape in = ctx.inputShape();
        int axes = in.rank() - 1;
        List<Integer> kernel = s.kernel().on(axes), stride = s.stride().on(axes), dilation = s.dilation().on(axes);
        List<Integer> outputPadding = s.outputPadding() == null ? null : s.outputPadding().on(axes);
        for (int i = 0; i < axes; i++) {
            if (!in.dim(i).known()) throw ctx.unsupported("`conv_transpose` needs known spatial sizes, found " + in);
        }
        Operand<T> x = ctx.input();
        long[][] pads = new long[axes][2];
        long[][] crops = new long[axes][2];
        for (int i = 0; i < axes; i++) {
            x = spread(ctx, x, i, in.dim(i).size(), stride.get(i));
            long[] a = ConvTranspose.amounts(kernel.get(i), stride.get(i), dilation.get(i), s.padding(),
                outputPadding == null ? null : outputPadding.get(i), i);
            long reach = (long) dilation.get(i) * (kernel.get(i) - 1);
            long before = reach - a[0], after = reach - a[1] + a[2];
            pads[i][0] = Math.max(before, 0);
            pads[i][1] = Math.max(after, 0);
            crops[i][0] = Math.max(-before, 0);
            crops[i][1] = Math.max(-after, 0);
        }
        x = Windows.padSpatial(tf, x, pads, ctx.scalar(0));
        x = crop(tf, x, crops);
        Operand<T> k = ctx.weight("kernel");
        int[] spatial = new int[axes];
        for (int i = 0; i < axes; i++) spatial[i] = i;
        k = tf.reverse(k, tf.constant(spatial));
        int[] perm = new int[axes + 2];
        for (int i = 0; i < axes; i++) perm[i] = i;
        perm[axes] = axes + 1;
        perm[axes + 1] = axes;
        k = tf.linalg.transpose(k, tf.constant(perm));
        k = Windows.dilate(tf, k, dilation, ctx.type());
        Windows.Op2d<T> conv = (v, w, sh, sw, pad) -> tf.nn.conv2d(v, w, List.of(1L, sh, sw, 1L), pad);
        Operand<T> y = Windows.apply(tf, x, k, Collections.nCopies(axes, 1), "VALID", conv);
        return s.bias() ? tf.nn.biasAdd(y, ctx.weight("bias")) : y;
    }

    /** Spatial axis {@code axis} of length n with S - 1 zeros between neighbours: length (n - 1) S + 1. */
    private static <T extends TFloating> Operand<T> spread(LoweringContext<T> ctx, Operand<T> x, int axis, long n, int stride) {
        if (stride == 1) return x;
        Ops tf = ctx.tf();
        int at = axis + 1;                                     // counting the batch
        long[] dims = x.shape().asArray();
        Operand<T> expanded = tf.expandDims(x, tf.constant(at + 1));   // [.., n, 1, ..]
        int[][] pad = new int[dims.length + 1][2];
        pad[at + 1][1] = stride - 1;
        Operand<T> spaced = tf.pad(expanded, tf.constant(pad), ctx.scalar(0));
        long[] merged = new long[dims.length - 1];
        for (int i = 1; i < dims.length; i++) merged[i - 1] = i == at ? n * stride : dims[i];
        Operand<T> flat = Size.reshapeKeepingBatch(tf, spaced, merged);
        List<Index> idx = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) idx.add(i == at ? Indices.slice(0L, (n - 1) * stride + 1) : Indices.all());
        return tf.stridedSlice(flat, idx.toArray(new Index[0]));
    }

    /** Removes {@code crops[i][0]} positions from the start and {@code crops[i][1]} from the end of spatial axis i. */
    private static <T extends TFloating> Operand<T> crop(Ops tf, Operand<T> x, long[][] crops) {
        boolean any = false;
        for (long[] c : crops) any |= c[0] != 0 || c[1] != 0;
        if (!any) return x;
        long[] dims = x.shape().asArray();
        List<Index> idx = new ArrayList<>();
        idx.add(Indices.all());
        for (int i = 0; i < crops.length; i++) idx.add(Indices.slice(crops[i][0], dims[i + 1] - crops[i][1]));
        idx.add(Indices.all());
        return tf.stridedSlice(x, idx.toArray(new Index[0]));
    }
}
