package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.Upsample;
import dev.dlx.compiler.layers.ZeroPad;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.family.TFloating;

/**
 * Layers that move values without weights: `flatten`, `reshape` (to the checker's shape, which has
 * already resolved `?`), `zeropad` and nearest-neighbour `upsample` (each position repeated
 * `factor` times along every spatial axis).
 */
final class ReshapeLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        if (ctx.settings() instanceof ZeroPad.Settings pad) return zeropad(ctx, pad);
        if (ctx.settings() instanceof Upsample.Settings up) return upsample(ctx, up);
        return toShape(ctx, ctx.outputShape()); // flatten and reshape: the checker resolved the target
    }

    private static <T extends TFloating> Operand<T> toShape(LoweringContext<T> ctx, Shape target) {
        Ops tf = ctx.tf();
        // a bfloat16 result keeps its format through a reshape (LoweringContext.bf16Source)
        Operand<TBfloat16> bf16 = ctx.bf16Source(ctx.input());
        List<Size> sizes = new ArrayList<>();
        sizes.add(Size.of(tf, bf16 != null ? bf16 : ctx.input(), 0));
        for (Dim d : target.dims()) sizes.add(d.known() ? Size.of(d.size()) : Size.of(-1));
        if (target.fullyKnown()) sizes.set(0, Size.of(-1));
        if (bf16 != null) return ctx.fromBf16(Size.reshape(tf, bf16, sizes));
        return Size.reshape(tf, ctx.input(), sizes);
    }

    private static <T extends TFloating> Operand<T> zeropad(LoweringContext<T> ctx, ZeroPad.Settings s) {
        int axes = ctx.inputShape().rank() - 1;
        List<Integer> amount = s.amount().on(axes);
        long[][] pads = new long[axes][];
        for (int i = 0; i < axes; i++) pads[i] = new long[] {amount.get(i), amount.get(i)};
        return Windows.padSpatial(ctx.tf(), ctx.input(), pads, ctx.scalar(0));
    }

    private static <T extends TFloating> Operand<T> upsample(LoweringContext<T> ctx, Upsample.Settings s) {
        Ops tf = ctx.tf();
        int axes = ctx.inputShape().rank() - 1;
        List<Integer> factor = s.factor().on(axes);
        Operand<T> x = ctx.input();
        for (int j = 0; j < axes; j++) {
            int f = factor.get(j);
            if (f == 1) continue;
            int axis = j + 1;
            // [.., L, ..] -> [.., L, 1, ..] -> tiled [.., L, f, ..] -> [.., L*f, ..]
            Operand<T> expanded = tf.expandDims(x, tf.constant(axis + 1));
            int[] multiples = new int[axes + 3];
            java.util.Arrays.fill(multiples, 1);
            multiples[axis + 1] = f;
            Operand<T> tiled = tf.tile(expanded, tf.constant(multiples));
            List<Size> sizes = new ArrayList<>(Size.all(tf, tiled));
            sizes.set(axis, sizes.get(axis).times(tf, sizes.get(axis + 1)));
            sizes.remove(axis + 1);
            x = Size.reshape(tf, tiled, sizes);
        }
        return x;
    }
}
