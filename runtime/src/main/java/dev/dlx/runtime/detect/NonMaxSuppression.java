package dev.dlx.runtime.detect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Non-max suppression: drop every box with probability below {@code minScore}; then, while boxes
 * remain, keep the most probable and discard every box whose IoU with it is {@code >= maxIou}.
 * Boxes of different classes never suppress each other. Ties in probability go to the box that
 * comes first in the input, so the result depends only on the input order.
 */
public record NonMaxSuppression(double minScore, double maxIou) {
    /** The defaults: drop p < 0.6, suppress IoU >= 0.5. */
    public static final NonMaxSuppression DEFAULT = new NonMaxSuppression(0.6, 0.5);

    public NonMaxSuppression {
        if (!(maxIou > 0 && maxIou <= 1)) throw new IllegalArgumentException("the IoU threshold must be in (0, 1], found " + maxIou);
        if (!(minScore >= 0 && minScore <= 1)) throw new IllegalArgumentException("the probability threshold must be in [0, 1], found " + minScore);
    }

    /** The kept boxes, most probable first (input order among equals). */
    public List<Box> apply(List<Box> boxes) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) if (boxes.get(i).score() >= minScore) order.add(i);
        order.sort(Comparator.comparingDouble((Integer i) -> -boxes.get(i).score()).thenComparingInt(i -> i));
        List<Box> kept = new ArrayList<>();
        boolean[] gone = new boolean[boxes.size()];
        for (int a = 0; a < order.size(); a++) {
            int i = order.get(a);
            if (gone[i]) continue;
            Box best = boxes.get(i);
            kept.add(best);
            for (int b = a + 1; b < order.size(); b++) {
                int j = order.get(b);
                Box other = boxes.get(j);
                if (!gone[j] && other.cls() == best.cls() && Iou.of(best, other) >= maxIou) gone[j] = true;
            }
        }
        return kept;
    }
}
