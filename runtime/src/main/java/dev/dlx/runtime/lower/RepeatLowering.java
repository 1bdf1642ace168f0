package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.Repeat;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** `repeat T`: [batch, d] to [batch, 1, d], tiled T times along the new axis (its gradient sums over the steps). */
final class RepeatLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Repeat.Settings s = ctx.settings(Repeat.Settings.class);
        Ops tf = ctx.tf();
        Operand<T> expanded = tf.expandDims(ctx.input(), tf.constant(1));
        return tf.tile(expanded, tf.constant(new int[] {1, s.steps(), 1}));
    }
}
