package dev.dlx.runtime.lower;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * `embedding`: row `id` of E for each token id. Ids arrive in the graph's float precision (every
 * model input is fed the same way) and are truncated to integers, which is exact below 2^24.
 */
final class EmbeddingLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        Operand<TInt32> ids = tf.dtypes.cast(ctx.input(), TInt32.class);
        return tf.gather(ctx.weight("embeddings"), ids, tf.constant(0));
    }
}
