package dev.dlx.runtime.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Average precision per class and its mean over classes (mAP), over a set of images each with its
 * true boxes and its predicted boxes.
 * <ul>
 *   <li>Matching: a class's predictions are taken most probable first (input order among equal
 *       scores, images in order); each is a true positive when some true box of its class in its
 *       image, not yet matched, has IoU {@code >= t} with it (the one with the highest IoU is taken),
 *       else a false positive.</li>
 *   <li>AP is the all-point interpolated area under the precision-recall curve (Pascal VOC 2010 on,
 *       and COCO's definition without its 101-point sampling): precision at each recall is made the
 *       highest precision at that recall or any higher one, and summed over the recall steps.</li>
 *   <li>A class with no true box has no AP and is left out of the mean; one with true boxes and no
 *       prediction has AP 0.</li>
 *   <li>{@code mAP@0.5:0.95} is the mean of mAP over t = 0.50, 0.55, ..., 0.95.</li>
 * </ul>
 */
public final class AveragePrecision {
    private AveragePrecision() {}

    /** One image: its true boxes and what was predicted on it. */
    public record Image(List<Box> truth, List<Box> predicted) {}

    /** AP per class at IoU threshold t (only classes that have true boxes), ordered by class. */
    public static Map<Integer, Double> perClass(List<Image> images, double t) {
        TreeMap<Integer, Integer> positives = new TreeMap<>();
        for (Image im : images) for (Box b : im.truth()) positives.merge(b.cls(), 1, Integer::sum);
        Map<Integer, Double> ap = new TreeMap<>();
        for (Map.Entry<Integer, Integer> e : positives.entrySet()) ap.put(e.getKey(), ofClass(images, e.getKey(), e.getValue(), t));
        return ap;
    }

    /** The mean of {@link #perClass}; NaN when no image has a true box. */
    public static double mean(List<Image> images, double t) {
        return average(perClass(images, t).values());
    }

    /** AP per class averaged over t = 0.50, 0.55, ..., 0.95. */
    public static Map<Integer, Double> perClassCoco(List<Image> images) {
        Map<Integer, Double> sum = new TreeMap<>();
        for (int k = 0; k < 10; k++) {
            double t = (50 + 5 * k) / 100.0;
            perClass(images, t).forEach((c, ap) -> sum.merge(c, ap / 10, Double::sum));
        }
        return sum;
    }

    /** mAP@0.5:0.95. */
    public static double meanCoco(List<Image> images) {
        return average(perClassCoco(images).values());
    }

    /**
     * A table of AP@0.5 and AP@0.5:0.95 per class (with its true boxes) and their means, for
     * reports: {@code names} by class index, or null.
     */
    public static String table(List<Image> images, List<String> names) {
        Map<Integer, Double> at50 = perClass(images, 0.5), coco = perClassCoco(images);
        Map<Integer, Integer> boxes = new TreeMap<>();
        int predicted = 0;
        for (Image im : images) {
            for (Box b : im.truth()) boxes.merge(b.cls(), 1, Integer::sum);
            predicted += im.predicted().size();
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(java.util.Locale.ROOT, "  %-12s %8s %12s %8s%n", "class", "AP@0.5", "AP@0.5:0.95", "boxes"));
        for (Map.Entry<Integer, Double> e : at50.entrySet()) {
            int c = e.getKey();
            String name = names != null && c >= 0 && c < names.size() ? names.get(c) : "class " + c;
            s.append(String.format(java.util.Locale.ROOT, "  %-12s %8.4f %12.4f %8d%n", name, e.getValue(), coco.get(c), boxes.get(c)));
        }
        s.append(String.format(java.util.Locale.ROOT, "  %-12s %8.4f %12.4f %8d%n", "mAP", average(at50.values()), average(coco.values()),
            boxes.values().stream().mapToInt(Integer::intValue).sum()));
        s.append(String.format(java.util.Locale.ROOT, "  (%,d images, %,d predicted boxes after non-max suppression)%n", images.size(), predicted));
        return s.toString();
    }

    private static double average(Iterable<Double> values) {
        double s = 0;
        int n = 0;
        for (double v : values) { s += v; n++; }
        return n == 0 ? Double.NaN : s / n;
    }

    private record Ranked(int image, Box box, int order) {}

    private static double ofClass(List<Image> images, int cls, int positives, double t) {
        List<Ranked> ranked = new ArrayList<>();
        int order = 0;
        for (int i = 0; i < images.size(); i++) {
            for (Box p : images.get(i).predicted()) if (p.cls() == cls) ranked.add(new Ranked(i, p, order++));
        }
        ranked.sort(Comparator.comparingDouble((Ranked r) -> -r.box().score()).thenComparingInt(Ranked::order));
        List<List<Box>> truths = new ArrayList<>();
        List<boolean[]> used = new ArrayList<>();
        for (Image im : images) {
            List<Box> mine = im.truth().stream().filter(b -> b.cls() == cls).toList();
            truths.add(mine);
            used.add(new boolean[mine.size()]);
        }
        double[] precision = new double[ranked.size()];
        double[] recall = new double[ranked.size()];
        int tp = 0;
        for (int k = 0; k < ranked.size(); k++) {
            Ranked r = ranked.get(k);
            List<Box> mine = truths.get(r.image());
            boolean[] taken = used.get(r.image());
            int best = -1;
            double bestIou = t;
            for (int g = 0; g < mine.size(); g++) {
                if (taken[g]) continue;
                double iou = Iou.of(r.box(), mine.get(g));
                if (iou >= bestIou && (best < 0 || iou > bestIou)) { best = g; bestIou = iou; }
            }
            if (best >= 0) { taken[best] = true; tp++; }
            precision[k] = tp / (double) (k + 1);
            recall[k] = tp / (double) positives;
        }
        return interpolatedArea(recall, precision);
    }

    /** All-point interpolated area under a precision-recall curve given in ranked order. */
    static double interpolatedArea(double[] recall, double[] precision) {
        int n = recall.length;
        double[] p = precision.clone();
        for (int k = n - 2; k >= 0; k--) p[k] = Math.max(p[k], p[k + 1]);
        double area = 0, previous = 0;
        for (int k = 0; k < n; k++) {
            area += (recall[k] - previous) * p[k];
            previous = recall[k];
        }
        return area;
    }
}
