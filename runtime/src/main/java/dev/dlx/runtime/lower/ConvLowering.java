package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.DepthwiseConv;
import dev.dlx.compiler.layers.Windowed;
import dev.dlx.compiler.layers.SeparableConv;
import dev.dlx.compiler.shape.Padding;
import dev.dlx.compiler.shape.Shape;
import java.util.Collections;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.family.TFloating;

/**
 * `conv` (1D, 2D, 3D), `depthwise_conv` and `separable_conv` (a depthwise window, then a 1x1
 * convolution mixing the channels), each with stride, dilation, padding and an optional bias.
 * `valid` and `same` are TensorFlow's own paddings (its `SAME` is the checker's formula); `full`
 * and explicit amounts pad with zeros first.
 */
final class ConvLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        Windowed s = ctx.settings(Windowed.class);
        int axes = ctx.inputShape().rank() - 1;
        List<Integer> kernel = s.kernel().on(axes);
        List<Integer> stride = s.stride().on(axes);
        List<Integer> dilation = s.dilation().on(axes);
        Padding padding = s.padding();
        Windows.Op2d<T> conv = (x, k, sh, sw, pad) -> tf.nn.conv2d(x, k, List.of(1L, sh, sw, 1L), pad);
        Windows.Op2d<T> depthwise = (x, k, sh, sw, pad) -> depthwise(ctx, x, k, sh, sw, pad);
        Operand<T> y;
        if (s instanceof SeparableConv.Settings) {
            y = window(ctx, ctx.weight("depthwise_kernel"), kernel, stride, dilation, padding, depthwise);
            y = Windows.apply(tf, y, ctx.weight("pointwise_kernel"), Collections.nCopies(axes, 1), "VALID", conv);
        } else if (s instanceof DepthwiseConv.Settings) {
            y = window(ctx, ctx.weight("depthwise_kernel"), kernel, stride, dilation, padding, depthwise);
        } else if (ctx.bf16() && axes == 2 && (padding.mode() == Padding.Mode.SAME || padding.mode() == Padding.Mode.VALID)) {
            return bf16(ctx, stride, dilation, padding, s.bias());
        } else {
            y = window(ctx, ctx.weight("kernel"), kernel, stride, dilation, padding, conv);
        }
        return s.bias() ? tf.nn.biasAdd(y, ctx.weight("bias")) : y;
    }

    /**
     * A 2D convolution under `precision bf16`: input, kernel and bias cast to bfloat16, the
     * convolution and its bias in bfloat16 (one fused kernel where oneDNN has bfloat16), the result
     * back in float32. The kernel's gradient reaches its float32 variable through the casts.
     */
    private static <T extends TFloating> Operand<T> bf16(LoweringContext<T> ctx, List<Integer> stride, List<Integer> dilation,
                                                         Padding padding, boolean bias) {
        Ops tf = ctx.tf();
        Operand<TBfloat16> k = Windows.dilate(tf, ctx.toBf16(ctx.weight("kernel")), dilation, TBfloat16.class);
        Operand<TBfloat16> y = tf.nn.conv2d(ctx.toBf16(ctx.input()), k, List.of(1L, (long) stride.get(0), (long) stride.get(1), 1L),
            padding.mode() == Padding.Mode.SAME ? "SAME" : "VALID");
        if (bias) y = tf.nn.biasAdd(y, ctx.toBf16(ctx.weight("bias")));
        return ctx.fromBf16(y);
    }

    /**
     * TensorFlow's depthwise convolution takes equal strides only: with unequal ones, pad
     * explicitly, slide with stride 1 and keep every s-th position.
     */
    private static <T extends TFloating> Operand<T> depthwise(LoweringContext<T> ctx, Operand<T> x, Operand<T> k, long sh,
                                                              long sw, String padding) {
        Ops tf = ctx.tf();
        if (sh == sw) return tf.nn.depthwiseConv2dNative(x, k, List.of(1L, sh, sw, 1L), padding);
        Operand<T> in = x;
        if (padding.equals("SAME")) {
            long h = x.shape().get(1);
            long w = x.shape().get(2);
            if (h < 0 || w < 0) throw ctx.unsupported("unequal depthwise strides with `padding same` need known sizes");
            Shape plane = Shape.of(h, w, x.shape().get(3));
            List<Integer> kernel = List.of((int) k.shape().get(0), (int) k.shape().get(1));
            List<Integer> strides = List.of((int) sh, (int) sw);
            in = Windows.padSpatial(tf, x, Windows.pads(ctx, plane, kernel, strides, List.of(1, 1), Padding.SAME), ctx.scalar(0));
        }
        Operand<T> dense = tf.nn.depthwiseConv2dNative(in, k, List.of(1L, 1L, 1L, 1L), "VALID");
        return tf.stridedSlice(dense, Indices.all(), Indices.sliceFrom(0, sh), Indices.sliceFrom(0, sw));
    }

    private static <T extends TFloating> Operand<T> window(LoweringContext<T> ctx, Operand<T> weights, List<Integer> kernel,
                                                           List<Integer> stride, List<Integer> dilation, Padding padding,
                                                           Windows.Op2d<T> op) {
        Ops tf = ctx.tf();
        Shape in = ctx.inputShape();
        int axes = kernel.size();
        Operand<T> k = Windows.dilate(tf, weights, dilation, ctx.type());
        Operand<T> x = ctx.input();
        boolean explicit = padding.mode() == Padding.Mode.FULL || padding.mode() == Padding.Mode.EXPLICIT
            || (axes == 3 && padding.mode() == Padding.Mode.SAME);
        if (axes == 3 && !in.dim(0).known()) throw ctx.unsupported("3D windows need a known depth, found " + in);
        if (explicit) {
            x = Windows.padSpatial(tf, x, Windows.pads(ctx, in, kernel, stride, dilation, padding), ctx.scalar(0));
            return Windows.apply(tf, x, k, stride, "VALID", op);
        }
        return Windows.apply(tf, x, k, stride, padding.mode() == Padding.Mode.SAME ? "SAME" : "VALID", op);
    }
}
