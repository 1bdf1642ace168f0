package dev.dlx.runtime.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.detect.Box;
import dev.dlx.runtime.detect.Detections;
import dev.dlx.runtime.detect.NonMaxSuppression;
import dev.dlx.runtime.graph.Tensors;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/** YOLO's loss on a 2 x 2 grid with 2 anchors and 2 classes, computed by hand, and its gradient. */
class YoloLossTest {
    static final List<double[]> ANCHORS = List.of(new double[] {0.2, 0.2}, new double[] {0.5, 0.5});
    static final int F = 7;   // p_c, b_x, b_y, b_h, b_w, c_0, c_1

    /** Image 0: every cell and anchor p_c 0.1, classes 1/2 each, except cell (row 0, col 1), anchor 0. Image 1: p_c 0.2 everywhere. */
    static double[] predictions() {
        double[] p = new double[2 * 8 * F];
        for (int i = 0; i < 16; i++) {
            int o = i * F;
            p[o] = i < 8 ? 0.1 : 0.2;
            p[o + 1] = 0.5; p[o + 2] = 0.5; p[o + 3] = 0.3; p[o + 4] = 0.3; p[o + 5] = 0.5; p[o + 6] = 0.5;
        }
        int r = (0 * 2 + 1) * 2 + 0;   // row 0, col 1, anchor 0
        double[] responsible = {0.8, 0.7, 0.3, 0.25, 0.36, 0.3, 0.7};
        System.arraycopy(responsible, 0, p, r * F, F);
        return p;
    }

    /**
     * Image 0 has one box of class 1 from (0.6, 0.1) to (0.9, 0.4): centre (0.75, 0.25) in cell row 0,
     * col 1; size 0.3 x 0.3, IoU 0.04 / 0.09 = 0.44 with anchor 0 (0.2 x 0.2) and 0.09 / 0.25 = 0.36
     * with anchor 1, so anchor 0 of that cell is responsible. Image 1 has none.
     */
    static final double[] BOXES = {1, 0.6, 0.1, 0.9, 0.4, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0};

    @Test void theLossIsTheHandComputedSumOfItsFourParts() {
        double localization = 5 * (Math.pow(0.7 - 0.75, 2) + Math.pow(0.3 - 0.25, 2)
            + Math.pow(Math.sqrt(0.25) - Math.sqrt(0.3), 2) + Math.pow(Math.sqrt(0.36) - Math.sqrt(0.3), 2));
        double image0 = localization - Math.log(0.8) + 0.5 * 7 * -Math.log(1 - 0.1) - Math.log(0.7);
        double image1 = 0.5 * 8 * -Math.log(1 - 0.2);
        try (Graph g = new Graph(); Session s = new Session(g);
             TFloat64 pt = Tensors.of(TFloat64.class, new long[] {2, 2, 2, 2, F}, predictions());
             TFloat64 bt = Tensors.of(TFloat64.class, new long[] {2, 2, 5}, BOXES)) {
            Ops tf = Ops.create(g);
            Operand<TFloat64> pred = tf.constant(pt);
            Operand<TFloat64> each = YoloLoss.perImage(tf, ANCHORS, pred, tf.constant(bt));
            Operand<TFloat64> mean = YoloLoss.build(tf, ANCHORS, pred, tf.constant(bt));
            // the gradient reaches the predictions through ops of TensorFlow's C++ registry
            Output<?>[] grad = g.addGradients(mean.asOutput(), new Output<?>[] {pred.asOutput()});
            try (Result r = s.runner().fetch(each).fetch(mean).fetch(grad[0]).run()) {
                double[] per = Tensors.doubles(r.get(0));
                assertEquals(image0, per[0], 1e-9);
                assertEquals(image1, per[1], 1e-9);
                assertEquals((image0 + image1) / 2, Tensors.scalar(r.get(1)), 1e-9);
                double[] d = Tensors.doubles(r.get(2));
                int o = 2 * F;   // the responsible anchor of image 0
                // d/d b_x of 5 (b_x - 0.75)^2 / 2 (batch mean) = 5 (0.7 - 0.75)
                assertEquals(5 * (0.7 - 0.75), d[o + 1], 1e-9);
                // d/d p_c of -log p_c / 2 = -1 / (2 * 0.8); of a cell without object: 0.5 / (1 - 0.1) / 2
                assertEquals(-1 / (2 * 0.8), d[o], 1e-9);
                assertEquals(0.5 / 0.9 / 2, d[0], 1e-9);
            }
        }
    }

    /** The head read back as boxes: p = p_c * best class probability; NMS keeps the likely one. */
    @Test void detectionsReadTheHead() {
        double[] p = predictions();
        float[] out = new float[8 * F];
        for (int i = 0; i < out.length; i++) out[i] = (float) p[i];
        Detections head = new Detections(2, 2, 2, 2);
        List<Box> all = head.boxes(out, 0);
        assertEquals(8, all.size());
        Box best = all.get(2);
        assertEquals(1, best.cls());
        assertEquals(0.8 * 0.7, best.score(), 1e-6);
        assertEquals(0.7 - 0.18, best.x0(), 1e-6);   // centre 0.7, width 0.36
        assertEquals(0.3 - 0.125, best.y0(), 1e-6);  // centre 0.3, height 0.25
        List<Box> kept = head.detect(out, 0, new NonMaxSuppression(0.5, 0.5));
        assertEquals(List.of(best), kept);
        assertTrue(head.detect(out, 0, NonMaxSuppression.DEFAULT).isEmpty());   // 0.56 < 0.6
    }
}
