package dev.dlx.runtime.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Anchor boxes from the data: k-means on the (width, height) of the true boxes with the distance
 * {@code 1 - IoU} of two sizes sharing a centre (YOLOv2's choice: large boxes do not dominate as
 * under Euclidean distance). Seeded k-means++ start, then Lloyd steps until no box changes
 * cluster; each centre is the mean size of its boxes. Anchors come out sorted by area.
 */
public final class AnchorBoxes {
    private AnchorBoxes() {}

    /** The result: anchors as {width, height} and the mean IoU of each box with its nearest anchor. */
    public record Result(List<double[]> anchors, double meanIou) {}

    public static Result kMeans(List<double[]> sizes, int k, long seed) {
        if (k < 1) throw new IllegalArgumentException("k must be at least 1, found " + k);
        if (sizes.size() < k) throw new IllegalArgumentException(sizes.size() + " boxes cannot make " + k + " anchors");
        Random random = new Random(seed);
        double[][] centres = new double[k][];
        centres[0] = sizes.get(random.nextInt(sizes.size())).clone();
        double[] d = new double[sizes.size()];
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < sizes.size(); i++) {
                d[i] = Double.MAX_VALUE;
                for (int j = 0; j < c; j++) d[i] = Math.min(d[i], distance(sizes.get(i), centres[j]));
                total += d[i] * d[i];
            }
            double pick = random.nextDouble() * total;
            int chosen = sizes.size() - 1;
            for (int i = 0; i < sizes.size(); i++) {
                pick -= d[i] * d[i];
                if (pick <= 0) { chosen = i; break; }
            }
            centres[c] = sizes.get(chosen).clone();
        }
        int[] cluster = new int[sizes.size()];
        Arrays.fill(cluster, -1);
        for (int iteration = 0; iteration < 1000; iteration++) {
            boolean changed = false;
            for (int i = 0; i < sizes.size(); i++) {
                int best = nearest(sizes.get(i), centres);
                if (best != cluster[i]) { cluster[i] = best; changed = true; }
            }
            if (!changed) break;
            double[][] sum = new double[k][2];
            int[] n = new int[k];
            for (int i = 0; i < sizes.size(); i++) {
                sum[cluster[i]][0] += sizes.get(i)[0];
                sum[cluster[i]][1] += sizes.get(i)[1];
                n[cluster[i]]++;
            }
            for (int c = 0; c < k; c++) if (n[c] > 0) centres[c] = new double[] {sum[c][0] / n[c], sum[c][1] / n[c]};
        }
        List<double[]> anchors = new ArrayList<>(Arrays.asList(centres));
        anchors.sort((a, b) -> Double.compare(a[0] * a[1], b[0] * b[1]));
        double iou = 0;
        for (double[] s : sizes) iou += 1 - distance(s, centres[nearest(s, centres)]);
        return new Result(anchors, iou / sizes.size());
    }

    static double distance(double[] a, double[] b) { return 1 - Iou.ofSizes(a[0], a[1], b[0], b[1]); }

    private static int nearest(double[] s, double[][] centres) {
        int best = 0;
        for (int c = 1; c < centres.length; c++) if (distance(s, centres[c]) < distance(s, centres[best])) best = c;
        return best;
    }
}
