package dev.dlx.runtime.loss;

import dev.dlx.compiler.layers.Yolo;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * YOLO's loss (Redmon et al., 2016) over a decoded `yolo` head [B, G_h, G_w, k, 5 + p] and box
 * labels [B, N, 5] of rows (class, x0, y0, x1, y1), class -1 for no box.
 *
 * <p>Target assignment: each true box belongs to the cell holding its centre and, there, to the
 * anchor whose shape fits it best (the highest IoU of the two sizes with a shared centre). That
 * anchor of that cell is "responsible": its objectness target is 1, its box and class targets are
 * the box's (two boxes on one cell and anchor are averaged). Every other anchor has objectness
 * target 0.
 *
 * <p>Per image, summed over cells and anchors (then the batch mean):
 * <pre>
 *   5   * sum_resp [(b_x - x)^2 + (b_y - y)^2 + (sqrt b_w - sqrt w)^2 + (sqrt b_h - sqrt h)^2]   localization, lambda_coord = 5
 *   +     sum_resp  -log p_c                                                                     objectness
 *   + 0.5 * sum_other -log(1 - p_c)                                                              no object, lambda_noobj = 0.5
 *   +     sum_resp  -sum_c y_c log c                                                             classification
 * </pre>
 * The paper's squared errors are kept for the box; objectness and classes use cross-entropy, which
 * trains faster on probabilities (probabilities clipped to [1e-7, 1 - 1e-7] before the logarithm).
 * The targets are built in the graph from the labels (floor, argmax, one-hot, a broadcast sum);
 * the gradient flows only through the predictions, all by ops with gradients in TensorFlow's registry.
 */
public final class YoloLoss {
    private YoloLoss() {}

    public static final double LAMBDA_COORD = 5, LAMBDA_NOOBJ = 0.5;

    /** The batch mean of the loss of each image. */
    public static <T extends TFloating> Operand<T> build(Ops tf, List<double[]> anchors, Operand<T> predictions, Operand<T> boxes) {
        return tf.math.mean(perImage(tf, anchors, predictions, boxes), tf.constant(0));
    }

    /** The loss of each image, [B]. */
    public static <T extends TFloating> Operand<T> perImage(Ops tf, List<double[]> anchors, Operand<T> predictions, Operand<T> boxes) {
        Class<T> type = predictions.type();
        org.tensorflow.ndarray.Shape s = predictions.shape();
        long gh = s.get(1), gw = s.get(2), k = s.get(3), f = s.get(4), p = f - Yolo.BOX_FIELDS;
        long cells = gh * gw * k;
        Operand<T> pred = tf.reshape(predictions, tf.constant(new long[] {-1, cells, f}));

        // ---- targets from the box rows [B, N, 5]
        Operand<T> cls = field(tf, boxes, 0, 1);
        Operand<T> x0 = field(tf, boxes, 1, 2), y0 = field(tf, boxes, 2, 3), x1 = field(tf, boxes, 3, 4), y1 = field(tf, boxes, 4, 5);
        Operand<T> valid = tf.dtypes.cast(tf.math.greaterEqual(cls, c(tf, type, 0)), type);           // [B, N, 1]
        Operand<T> half = c(tf, type, 0.5);
        Operand<T> cx = tf.math.mul(tf.math.add(x0, x1), half), cy = tf.math.mul(tf.math.add(y0, y1), half);
        Operand<T> w = tf.math.maximum(tf.math.sub(x1, x0), c(tf, type, 1e-6)), h = tf.math.maximum(tf.math.sub(y1, y0), c(tf, type, 1e-6));
        Operand<T> col = tf.clipByValue(tf.math.floor(tf.math.mul(cx, c(tf, type, gw))), c(tf, type, 0), c(tf, type, gw - 1));
        Operand<T> row = tf.clipByValue(tf.math.floor(tf.math.mul(cy, c(tf, type, gh))), c(tf, type, 0), c(tf, type, gh - 1));
        float[] aw = new float[(int) k], ah = new float[(int) k];
        for (int a = 0; a < k; a++) {
            aw[a] = (float) anchors.get(a)[0];
            ah[a] = (float) anchors.get(a)[1];
        }
        Operand<T> anchorW = tf.reshape(tf.dtypes.cast(tf.constant(aw), type), tf.constant(new long[] {1, 1, k}));
        Operand<T> anchorH = tf.reshape(tf.dtypes.cast(tf.constant(ah), type), tf.constant(new long[] {1, 1, k}));
        Operand<T> inter = tf.math.mul(tf.math.minimum(w, anchorW), tf.math.minimum(h, anchorH));                   // [B, N, k]
        Operand<T> union = tf.math.sub(tf.math.add(tf.math.mul(w, h), tf.math.mul(anchorW, anchorH)), inter);
        Operand<T> iou = tf.math.div(inter, union);
        Operand<TInt64> best = tf.math.argMax(iou, tf.constant(-1), TInt64.class);                                   // [B, N]
        Operand<T> cell = tf.math.add(tf.math.mul(tf.math.add(tf.math.mul(squeeze(tf, row), c(tf, type, gw)), squeeze(tf, col)),
            c(tf, type, k)), tf.dtypes.cast(best, type));
        Operand<T> assign = tf.math.mul(tf.oneHot(tf.dtypes.cast(cell, TInt32.class), tf.constant((int) cells), c(tf, type, 1), c(tf, type, 0)),
            valid);                                                                                                   // [B, N, cells]
        Operand<T> classOneHot = tf.oneHot(tf.dtypes.cast(tf.math.maximum(squeeze(tf, cls), c(tf, type, 0)), TInt32.class),
            tf.constant((int) p), c(tf, type, 1), c(tf, type, 0));                                                     // [B, N, p]
        Operand<T> attrs = tf.concat(List.of(cx, cy, tf.math.sqrt(h), tf.math.sqrt(w), classOneHot), tf.constant(-1)); // [B, N, 4 + p]
        Operand<T> count = tf.reduceSum(assign, tf.constant(1));                                                       // [B, cells]
        // [B, N, cells, 1] x [B, N, 1, 4 + p] summed over the boxes: [B, cells, 4 + p]
        Operand<T> summed = tf.reduceSum(tf.math.mul(tf.expandDims(assign, tf.constant(-1)), tf.expandDims(attrs, tf.constant(2))), tf.constant(1));
        Operand<T> target = tf.math.div(summed, tf.expandDims(tf.math.maximum(count, c(tf, type, 1)), tf.constant(-1)));
        Operand<T> obj = tf.math.minimum(count, c(tf, type, 1));                                                       // [B, cells]
        Operand<T> noobj = tf.math.sub(c(tf, type, 1), obj);

        // ---- the prediction's fields
        Operand<T> pc = clip(tf, squeeze(tf, field(tf, pred, 0, 1)));
        Operand<T> bx = field(tf, pred, 1, 2), by = field(tf, pred, 2, 3);
        Operand<T> sh = tf.math.sqrt(tf.math.maximum(field(tf, pred, 3, 4), c(tf, type, 1e-9)));
        Operand<T> sw = tf.math.sqrt(tf.math.maximum(field(tf, pred, 4, 5), c(tf, type, 1e-9)));
        Operand<T> probs = clip(tf, field(tf, pred, 5, f));

        Operand<T> boxError = tf.math.add(
            tf.math.add(tf.math.squaredDifference(bx, field(tf, target, 0, 1)), tf.math.squaredDifference(by, field(tf, target, 1, 2))),
            tf.math.add(tf.math.squaredDifference(sh, field(tf, target, 2, 3)), tf.math.squaredDifference(sw, field(tf, target, 3, 4))));
        Operand<T> localization = tf.math.mul(c(tf, type, LAMBDA_COORD), sumCells(tf, tf.math.mul(squeeze(tf, boxError), obj)));
        Operand<T> objectness = sumCells(tf, tf.math.mul(tf.math.neg(tf.math.log(pc)), obj));
        Operand<T> noObject = tf.math.mul(c(tf, type, LAMBDA_NOOBJ),
            sumCells(tf, tf.math.mul(tf.math.neg(tf.math.log(tf.math.sub(c(tf, type, 1), pc))), noobj)));
        Operand<T> crossEntropy = tf.math.neg(tf.reduceSum(tf.math.mul(field(tf, target, 4, 4 + p), tf.math.log(probs)), tf.constant(-1)));
        Operand<T> classification = sumCells(tf, tf.math.mul(crossEntropy, obj));
        return tf.math.add(tf.math.add(localization, objectness), tf.math.add(noObject, classification));
    }

    private static <T extends TFloating> Operand<T> sumCells(Ops tf, Operand<T> x) {
        return tf.reduceSum(x, tf.constant(1), ReduceSum.keepDims(false));
    }

    private static <T extends TFloating> Operand<T> field(Ops tf, Operand<T> t, long from, long to) {
        return tf.stridedSlice(t, Indices.ellipsis(), Indices.slice(from, to));
    }

    private static <T extends TFloating> Operand<T> squeeze(Ops tf, Operand<T> t) {
        return tf.squeeze(t, org.tensorflow.op.core.Squeeze.axis(-1L));
    }

    private static <T extends TFloating> Operand<T> clip(Ops tf, Operand<T> p) {
        return tf.clipByValue(p, tf.constant(p.type(), Losses.EPSILON), tf.constant(p.type(), 1 - Losses.EPSILON));
    }

    private static <T extends TFloating> Operand<T> c(Ops tf, Class<T> type, double v) {
        return tf.constant(type, v);
    }
}
