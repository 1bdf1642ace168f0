package dev.dlx.runtime.detect;

/**
 * Intersection over union of two boxes, {@code |A ∩ B| / |A ∪ B|}, in [0, 1]. Boxes that only
 * touch along an edge or corner share no area (0); two empty boxes have IoU 0.
 */
public final class Iou {
    private Iou() {}

    public static double of(Box a, Box b) {
        double w = Math.min(a.x1(), b.x1()) - Math.max(a.x0(), b.x0());
        double h = Math.min(a.y1(), b.y1()) - Math.max(a.y0(), b.y0());
        if (w <= 0 || h <= 0) return 0;
        double inter = w * h;
        double union = a.area() + b.area() - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /**
     * IoU of two boxes of sizes (w1, h1) and (w2, h2) that share a centre: how anchors are compared
     * with each other and with true boxes (k-means, target assignment).
     */
    public static double ofSizes(double w1, double h1, double w2, double h2) {
        double inter = Math.min(w1, w2) * Math.min(h1, h2);
        double union = w1 * h1 + w2 * h2 - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
