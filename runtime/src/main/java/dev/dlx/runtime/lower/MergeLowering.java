package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.Concat;
import dev.dlx.compiler.layers.Merge;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** Element-wise merges of equal-shaped branches, and `concat` along an axis. */
final class MergeLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        List<Operand<T>> in = ctx.inputs();
        if (ctx.settings() instanceof Concat.Settings concat) {
            return tf.concat(in, tf.constant(concat.axisFor(ctx.inputShape().rank()) + 1));
        }
        Merge.Op op = ctx.settings(Merge.Settings.class).op();
        switch (op) {
            case ADD: return tf.math.addN(in);
            case AVERAGE: return tf.math.mul(tf.math.addN(in), ctx.scalar(1.0 / in.size()));
            case SUBTRACT: return tf.math.sub(in.get(0), in.get(1));
            case MULTIPLY: {
                Operand<T> y = in.get(0);
                for (int i = 1; i < in.size(); i++) y = tf.math.mul(y, in.get(i));
                return y;
            }
            case MAXIMUM: {
                Operand<T> y = in.get(0);
                for (int i = 1; i < in.size(); i++) y = tf.math.maximum(y, in.get(i));
                return y;
            }
            default: throw new IllegalArgumentException("no lowering for merge " + op);
        }
    }
}
