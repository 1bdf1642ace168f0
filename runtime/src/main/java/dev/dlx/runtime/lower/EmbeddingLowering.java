package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.Embedding;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * `embedding`: row `id` of E for each token id. Ids arrive in the graph's float precision (every
 * model input is fed the same way) and are truncated to integers, which is exact below 2^24. With
 * `mask_zero` id 0 is padding: the output carries the mask {@code id != 0} [B, T], which later
 * layers pass on and attention uses to give padded steps no weight.
 */
final class EmbeddingLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        Operand<TInt32> ids = tf.dtypes.cast(ctx.input(), TInt32.class);
        if (ctx.settings(Embedding.Settings.class).maskZero()) ctx.outputMask(tf.dtypes.cast(tf.math.notEqual(ids, tf.constant(0)), ctx.type()));
        return tf.gather(ctx.weight("embeddings"), ids, tf.constant(0));
    }
}
