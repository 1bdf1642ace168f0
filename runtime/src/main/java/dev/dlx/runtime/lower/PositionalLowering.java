package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.Positional;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * `positional`: x [B, T, d] plus the table's first T rows, broadcast over the batch. The learned
 * table is the weight `embeddings`; the sinusoidal one a constant of {@link Positional#sinusoidal}.
 */
final class PositionalLowering implements Lowering {

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        Positional.Settings s = ctx.settings(Positional.Settings.class);
        Operand<T> x = ctx.input();
        long steps = ctx.inputShape().dim(0).size();
        int d = (int) ctx.inputShape().last().size();
        int rows = (int) s.rows(steps);
        Operand<T> table;
        if (s.encoding() == Positional.Encoding.LEARNED) {
            table = ctx.weight("embeddings");
        } else {
            double[][] p = Positional.sinusoidal(rows, d);
            double[] flat = new double[rows * d];
            for (int t = 0; t < rows; t++) System.arraycopy(p[t], 0, flat, t * d, d);
            table = tf.dtypes.cast(tf.reshape(tf.constant(flat), tf.constant(new long[] {rows, d})), ctx.type());
        }
        if (steps >= 0 && steps != rows) {
            table = tf.stridedSlice(table, Indices.slice(0L, steps));           // the first T rows
        } else if (steps < 0) {
            // the first T rows, T fed
            Size t = Size.of(tf, x, 1);
            table = tf.slice(table, tf.constant(new int[] {0, 0}), tf.stack(List.of(t.operand(tf), tf.constant(d))));
        }
        return tf.math.add(x, table);
    }
}
