package dev.dlx.runtime.detect;

import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.layers.Yolo;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.train.TrainGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * What a `yolo` head's output means: per cell and anchor the fields {@code p_c, b_x, b_y, b_h, b_w,
 * c_1 .. c_p} (see {@link Yolo}), read as one box each whose class is the most probable one and
 * whose probability is {@code p_c} times that class's probability, then thinned by non-max
 * suppression. Training, `dlxc evaluate` and `dlxc predict` read the head the same way through here.
 *
 * @param gh rows of the grid, @param gw its columns, @param k anchors, @param p classes
 */
public record Detections(int gh, int gw, int k, int p) {

    /** The head of a model whose output is a `yolo` layer, or null. */
    public static Detections of(ModelIR model) {
        if (model.outputs().size() != 1) return null;
        Node out = model.outputs().get(0);
        if (!(out.kind() instanceof Yolo) || !out.shape().fullyKnown()) return null;
        return new Detections((int) out.shape().dim(0).size(), (int) out.shape().dim(1).size(), (int) out.shape().dim(2).size(),
            out.settings(Yolo.Settings.class).classes());
    }

    /** Values of one image's output. */
    public int width() { return gh * gw * k * (Yolo.BOX_FIELDS + p); }

    /** Every cell and anchor of the image at {@code offset} of {@code out} as a box (corners clipped to the image). */
    public List<Box> boxes(float[] out, int offset) {
        int f = Yolo.BOX_FIELDS + p;
        List<Box> boxes = new ArrayList<>(gh * gw * k);
        for (int cell = 0; cell < gh * gw * k; cell++) {
            int o = offset + cell * f;
            int best = 0;
            for (int c = 1; c < p; c++) if (out[o + Yolo.BOX_FIELDS + c] > out[o + Yolo.BOX_FIELDS + best]) best = c;
            double score = out[o] * out[o + Yolo.BOX_FIELDS + best];
            double cx = out[o + 1], cy = out[o + 2], h = out[o + 3], w = out[o + 4];
            double x0 = clip(cx - w / 2), x1 = clip(cx + w / 2), y0 = clip(cy - h / 2), y1 = clip(cy + h / 2);
            if (!(x1 >= x0) || !(y1 >= y0) || !Double.isFinite(score)) continue;
            boxes.add(new Box(x0, y0, x1, y1, best, score));
        }
        return boxes;
    }

    private static double clip(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

    /** The boxes of one image after non-max suppression. */
    public List<Box> detect(float[] out, int offset, NonMaxSuppression nms) {
        return nms.apply(boxes(out, offset));
    }

    /** Non-max suppression for scoring: the precision-recall curve needs the unlikely boxes too, so p >= 0.01 is kept. */
    public static final NonMaxSuppression FOR_SCORING = new NonMaxSuppression(0.01, 0.5);

    /**
     * Every image of {@code set} through {@code graph} (inference mode, the training statistics'
     * normalization): its true boxes (from the labels) and its detections after {@code nms}.
     */
    public List<AveragePrecision.Image> run(TrainGraph graph, LabelSpec labels, Normalizer normalizer, SampleSet set, NonMaxSuppression nms) {
        List<AveragePrecision.Image> images = new ArrayList<>();
        int rows = labels.targets(), rowWidth = rows * LabelSpec.BOX_VALUES;
        try (BatchFeeder f = new BatchFeeder(set, labels, normalizer, null, 128)) {
            int n = f.size(), batch = f.capacity();
            for (int from = 0; from < n; from += batch) {
                int count = Math.min(batch, n - from);
                BatchFeeder.Batch b = f.batch(null, from, count, null);
                graph.evaluate(b);
                float[] out = graph.predictions();
                for (int i = 0; i < count; i++) {
                    images.add(new AveragePrecision.Image(BoxPicture.rows(b.targets, i * rowWidth, rows), detect(out, i * width(), nms)));
                }
            }
        }
        return images;
    }
}
