package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.Dense;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.family.TFloating;

/** `dense`: `x W + b` on [N_in]; on a sequence [T, N_in], the same weights at every step. */
final class DenseLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        Operand<T> x = ctx.input();
        long features = ctx.inputShape().last().size();
        long units = ctx.outputShape().last().size();
        if (ctx.inputShape().rank() == 1) return affine(ctx, x);
        // per step: [N, T, F] -> [N*T, F] -> [N*T, U] -> [N, T, U]
        Operand<T> flat = tf.reshape(x, tf.constant(new long[] {-1, features}));
        Operand<T> y = affine(ctx, flat);
        return Size.reshape(tf, y, List.of(Size.of(tf, x, 0), Size.of(tf, x, 1), Size.of(units)));
    }

    private static <T extends TFloating> Operand<T> affine(LoweringContext<T> ctx, Operand<T> x) {
        if (ctx.bf16()) {
            // bfloat16 product and bias (one fused kernel), float32 out
            Operand<TBfloat16> y = ctx.tf().linalg.matMul(ctx.toBf16(x), ctx.toBf16(ctx.weight("kernel")));
            if (ctx.settings(Dense.Settings.class).bias()) y = ctx.tf().nn.biasAdd(y, ctx.toBf16(ctx.weight("bias")));
            return ctx.fromBf16(y);
        }
        Operand<T> y = ctx.tf().linalg.matMul(x, ctx.weight("kernel"));
        return ctx.settings(Dense.Settings.class).bias() ? ctx.tf().nn.biasAdd(y, ctx.weight("bias")) : y;
    }
}
