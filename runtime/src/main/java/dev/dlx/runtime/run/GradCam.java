package dev.dlx.runtime.run;

import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.runtime.graph.Tensors;
import dev.dlx.runtime.train.TrainGraph;
import java.awt.image.BufferedImage;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Class-activation maps (Grad-CAM) of one input: the map, where it lies, and the picture over the input. */
final class GradCam {
    private GradCam() {}

    /**
     * Grad-CAM (Selvaraju et al.) of {@code cls} for one input: the feature maps A of {@code layer}
     * ([H, W, C]), each weighted by the mean over its positions of the gradient of the class's score
     * (the logit: the input of a final softmax or sigmoid, else the output; for one sigmoid unit, the
     * logit for class 1 and its negation for class 0) with respect to it, summed over the
     * channels, negative values set to 0: an [H, W] map.
     */
    static float[][] gradCam(TrainGraph g, Node layer, int cls, float[] x, int[] shape) {
        Ops tf = g.model().tf().withSubScope("dlx.inspect");
        Node out = g.model().model().outputs().get(0);
        boolean squashed = out.settings() instanceof dev.dlx.compiler.layers.Activation.Settings act
            && (act.function() == dev.dlx.compiler.layers.Activation.Function.SOFTMAX
                || act.function() == dev.dlx.compiler.layers.Activation.Function.SIGMOID) && out.inputs().size() == 1;
        Operand<TFloat32> score = squashed ? g.model().tensor(out.inputs().get(0)) : g.model().tensor(out.id());
        int classes = (int) score.shape().get(score.shape().numDimensions() - 1);
        // one sigmoid unit: its logit is the evidence for class 1, its negation for class 0
        float[] mask = new float[classes];
        if (classes == 1) mask[0] = cls == 1 ? 1 : -1;
        else mask[cls] = 1;
        Operand<TFloat32> picked = tf.reduceSum(tf.math.mul(score, tf.constant(StdArrays.ndCopyOf(new float[][] {mask}))), tf.constant(new int[] {0, 1}));
        Operand<TFloat32> maps = g.model().tensor(layer.id());
        Output<?> grad = g.model().graph().addGradients(picked.asOutput(), new Output<?>[] {maps.asOutput()})[0];
        try (TFloat32 input = Inspection.one(x, shape);
             org.tensorflow.Result r = g.session().runner().feed(g.model().inputs().get(0), input).fetch(maps).fetch(grad).run()) {
            float[] a = Tensors.floats(r.get(0)), d = Tensors.floats(r.get(1));
            long[] s = r.get(0).shape().asArray();
            int h = (int) s[1], w = (int) s[2], c = (int) s[3];
            double[] alpha = new double[c];
            for (int i = 0; i < h * w; i++) for (int k = 0; k < c; k++) alpha[k] += d[i * c + k] / (double) (h * w);
            float[][] cam = new float[h][w];
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double v = 0;
                    for (int k = 0; k < c; k++) v += alpha[k] * a[(i * w + j) * c + k];
                    cam[i][j] = (float) Math.max(0, v);
                }
            }
            return cam;
        }
    }

    /** The last layer (model order) whose output is a spatial map [H, W, C]: Grad-CAM's default. */
    static Node lastConvolutional(ModelIR model) {
        Node best = null;
        for (Node n : model.layers()) if (!n.shape().isUnknown() && n.shape().rank() == 3) best = n;
        return best;
    }

    /** The share of a map's sum in each quadrant: top left, top right, bottom left, bottom right (a middle row or column split evenly). */
    static double[] quadrants(float[][] cam) {
        int h = cam.length, w = cam[0].length;
        double[] q = new double[4];
        double total = 0;
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double v = cam[i][j];
                total += v;
                double top = 2 * i + 1 < h ? 1 : 2 * i + 1 == h ? 0.5 : 0, left = 2 * j + 1 < w ? 1 : 2 * j + 1 == w ? 0.5 : 0;
                q[0] += v * top * left;
                q[1] += v * top * (1 - left);
                q[2] += v * (1 - top) * left;
                q[3] += v * (1 - top) * (1 - left);
            }
        }
        for (int k = 0; k < 4; k++) q[k] = total == 0 ? 0.25 : q[k] / total;
        return q;
    }

    /** The input in gray (its first channel, stretched to its range) under the map in red, up to 16 screen pixels per input pixel. */
    static BufferedImage overlay(float[] x, int[] shape, float[][] cam) {
        int h = shape[0], w = shape[1], c = shape[2], scale = Math.max(1, Math.min(16, 256 / Math.max(h, w)));
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY, top = 0;
        for (int i = 0; i < h * w; i++) {
            lo = Math.min(lo, x[i * c]);
            hi = Math.max(hi, x[i * c]);
        }
        for (float[] row : cam) for (float v : row) top = Math.max(top, v);
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < h * scale; i++) {
            for (int j = 0; j < w * scale; j++) {
                int pi = i / scale, pj = j / scale;
                double gray = hi > lo ? (x[(pi * w + pj) * c] - lo) / (hi - lo) : 0;
                double heat = top > 0 ? cam[Math.min(cam.length - 1, pi * cam.length / h)][Math.min(cam[0].length - 1, pj * cam[0].length / w)] / top : 0;
                int r = (int) Math.round(255 * Math.min(1, 0.6 * gray + 0.7 * heat)), gb = (int) Math.round(255 * 0.6 * gray * (1 - 0.5 * heat));
                img.setRGB(j, i, (r << 16) | (gb << 8) | gb);
            }
        }
        return img;
    }
}
