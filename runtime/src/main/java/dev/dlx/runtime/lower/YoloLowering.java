package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.Yolo;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The `yolo` head: [B, G_h, G_w, k(5 + p)] reshaped to [B, G_h, G_w, k, 5 + p] and decoded, per cell
 * and anchor, to {@code p_c = sigmoid(t_o)}, {@code b_x = (col + sigmoid(t_x)) / G_w},
 * {@code b_y = (row + sigmoid(t_y)) / G_h}, {@code b_h = anchor_h exp(t_h)},
 * {@code b_w = anchor_w exp(t_w)} (t_h and t_w clipped to [-8, 4] first) and
 * {@code softmax(t_c)} over the p classes. Sigmoid, exp, softmax, strided slices and concat all have
 * gradients in TensorFlow's registry.
 */
final class YoloLowering implements Lowering {
    /** The largest log-size step from an anchor: exp(4) = 55 anchors wide. */
    static final double MAX_LOG_SIZE = 4, MIN_LOG_SIZE = -8;

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        Yolo.Settings s = ctx.settings(Yolo.Settings.class);
        List<double[]> anchors = s.anchors();
        int k = anchors.size(), p = s.classes(), f = Yolo.BOX_FIELDS + p;
        long gh = ctx.outputShape().dim(0).size(), gw = ctx.outputShape().dim(1).size();
        Class<T> type = ctx.type();
        Operand<T> t = tf.reshape(ctx.input(), tf.constant(new long[] {-1, gh, gw, k, f}));
        List<Operand<T>> parts = List.of(field(tf, t, 0, 1), field(tf, t, 1, 2), field(tf, t, 2, 3), field(tf, t, 3, 4), field(tf, t, 4, 5),
            field(tf, t, 5, f));
        Operand<T> pc = tf.math.sigmoid(parts.get(0));
        float[][][][] cols = new float[1][(int) gh][(int) gw][1], rows = new float[1][(int) gh][(int) gw][1];
        for (int r = 0; r < gh; r++) {
            for (int c = 0; c < gw; c++) {
                cols[0][r][c][0] = c;
                rows[0][r][c][0] = r;
            }
        }
        // [1, G_h, G_w, 1] grids, with a trailing axis of 1 for the field: [1, G_h, G_w, 1, 1]
        Operand<T> colGrid = tf.expandDims(tf.dtypes.cast(tf.constant(cols), type), tf.constant(-1));
        Operand<T> rowGrid = tf.expandDims(tf.dtypes.cast(tf.constant(rows), type), tf.constant(-1));
        Operand<T> bx = tf.math.div(tf.math.add(colGrid, tf.math.sigmoid(parts.get(1))), ctx.scalar(gw));
        Operand<T> by = tf.math.div(tf.math.add(rowGrid, tf.math.sigmoid(parts.get(2))), ctx.scalar(gh));
        float[] aw = new float[k], ah = new float[k];
        for (int a = 0; a < k; a++) {
            aw[a] = (float) anchors.get(a)[0];
            ah[a] = (float) anchors.get(a)[1];
        }
        Operand<T> anchorW = tf.reshape(tf.dtypes.cast(tf.constant(aw), type), tf.constant(new long[] {1, 1, 1, k, 1}));
        Operand<T> anchorH = tf.reshape(tf.dtypes.cast(tf.constant(ah), type), tf.constant(new long[] {1, 1, 1, k, 1}));
        Operand<T> bh = tf.math.mul(anchorH, tf.math.exp(clip(ctx, parts.get(3))));
        Operand<T> bw = tf.math.mul(anchorW, tf.math.exp(clip(ctx, parts.get(4))));
        Operand<T> classes = tf.nn.softmax(parts.get(5));
        return tf.concat(List.of(pc, bx, by, bh, bw, classes), tf.constant(-1));
    }

    /** Fields {@code from .. to-1} of the last axis, keeping the axis (strided slices have gradients). */
    static <T extends TFloating> Operand<T> field(Ops tf, Operand<T> t, long from, long to) {
        return tf.stridedSlice(t, org.tensorflow.ndarray.index.Indices.ellipsis(), org.tensorflow.ndarray.index.Indices.slice(from, to));
    }

    private static <T extends TFloating> Operand<T> clip(LoweringContext<T> ctx, Operand<T> x) {
        return ctx.tf().clipByValue(x, ctx.scalar(MIN_LOG_SIZE), ctx.scalar(MAX_LOG_SIZE));
    }
}
