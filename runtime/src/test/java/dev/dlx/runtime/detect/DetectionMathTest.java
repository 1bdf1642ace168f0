package dev.dlx.runtime.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** IoU, non-max suppression and average precision against cases computed by hand. */
class DetectionMathTest {
    private static Box b(double x0, double y0, double x1, double y1) { return Box.truth(x0, y0, x1, y1, 0); }
    private static Box p(double x0, double y0, double x1, double y1, int cls, double score) { return new Box(x0, y0, x1, y1, cls, score); }

    @Test void iouOfIdenticalTouchingNestedDisjointAndOverlappingBoxes() {
        assertEquals(1.0, Iou.of(b(0, 0, 2, 3), b(0, 0, 2, 3)), 0.0);
        assertEquals(0.0, Iou.of(b(0, 0, 1, 1), b(1, 0, 2, 1)), 0.0);   // share an edge
        assertEquals(0.0, Iou.of(b(0, 0, 1, 1), b(1, 1, 2, 2)), 0.0);   // share a corner
        assertEquals(4.0 / 16, Iou.of(b(0, 0, 4, 4), b(1, 1, 3, 3)), 0.0);   // 2x2 inside 4x4
        assertEquals(4.0 / 16, Iou.of(b(1, 1, 3, 3), b(0, 0, 4, 4)), 0.0);   // symmetric
        assertEquals(0.0, Iou.of(b(0, 0, 1, 1), b(5, 5, 6, 6)), 0.0);
        assertEquals(1.0 / 7, Iou.of(b(0, 0, 2, 2), b(1, 1, 3, 3)), 1e-15);   // 1 / (4 + 4 - 1)
        assertEquals(0.0, Iou.of(b(0, 0, 0, 0), b(0, 0, 0, 0)), 0.0);   // empty boxes
        assertEquals(2.0 / 4, Iou.ofSizes(2, 2, 1, 2), 0.0);   // shared centre: 2 / (4 + 2 - 2)
    }

    @Test void aBoxNeedsOrderedCorners() {
        assertThrows(IllegalArgumentException.class, () -> b(2, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> b(0, Double.NaN, 1, 1));
    }

    @Test void nmsDropsUnlikelyBoxesAndSuppressesOverlapsOfTheSameClass() {
        Box a = p(0, 0, 10, 10, 0, 0.9);
        Box over = p(1, 0, 11, 10, 0, 0.8);      // IoU with a: 90 / 110
        Box half = p(0, 0, 10, 5, 0, 0.85);      // IoU with a: exactly 0.5, suppressed (>=)
        Box far = p(20, 20, 30, 30, 0, 0.7);
        Box weak = p(40, 40, 50, 50, 0, 0.59);   // below 0.6
        Box otherClass = p(0, 0, 10, 10, 1, 0.65);
        List<Box> in = List.of(weak, far, over, a, otherClass, half);
        assertEquals(List.of(a, far, otherClass), NonMaxSuppression.DEFAULT.apply(in));
        // both thresholds settable: IoU 0.9 keeps `over` and `half`, p 0.5 keeps `weak`
        assertEquals(List.of(a, half, over, far, otherClass, weak), new NonMaxSuppression(0.5, 0.9).apply(in));
        // a box exactly at the probability threshold is kept
        assertEquals(List.of(p(0, 0, 1, 1, 0, 0.6)), NonMaxSuppression.DEFAULT.apply(List.of(p(0, 0, 1, 1, 0, 0.6))));
    }

    @Test void nmsBreaksTiesByInputOrder() {
        Box first = p(0, 0, 10, 10, 0, 0.8);
        Box second = p(0, 1, 10, 11, 0, 0.8);    // IoU 90/110 with first
        assertEquals(List.of(first), NonMaxSuppression.DEFAULT.apply(List.of(first, second)));
        assertEquals(List.of(second), NonMaxSuppression.DEFAULT.apply(List.of(second, first)));
    }

    /**
     * Class 0: image 1 has g1, image 2 has g2 and g3. Ranked predictions: TP (g1), FP (nothing there),
     * TP (g2), FP (g2 again, already matched); g3 is missed. Precision 1, 1/2, 2/3, 1/2 at recall
     * 1/3, 1/3, 2/3, 2/3; interpolated 1, 2/3, 2/3, 1/2; AP = 1/3 * 1 + 1/3 * 2/3 = 5/9.
     * Class 1 has a true box and no prediction: AP 0. Class 2 has only a prediction: no AP.
     */
    @Test void averagePrecisionPerClassAndItsMean() {
        var im1 = new AveragePrecision.Image(
            List.of(b(0, 0, 10, 10)),
            List.of(p(0, 0, 10, 10, 0, 0.9), p(50, 50, 60, 60, 2, 0.99)));
        var im2 = new AveragePrecision.Image(
            List.of(b(0, 0, 10, 10), b(30, 30, 40, 40), Box.truth(60, 60, 70, 70, 1)),
            List.of(p(0, 0, 10, 9, 0, 0.6), p(80, 80, 90, 90, 0, 0.8), p(0, 0, 10, 10, 0, 0.7)));
        Map<Integer, Double> ap = AveragePrecision.perClass(List.of(im1, im2), 0.5);
        assertEquals(List.of(0, 1), List.copyOf(ap.keySet()));
        assertEquals(5.0 / 9, ap.get(0), 1e-12);
        assertEquals(0.0, ap.get(1), 0.0);
        assertEquals((5.0 / 9) / 2, AveragePrecision.mean(List.of(im1, im2), 0.5), 1e-12);
    }

    @Test void perfectPredictionsScoreOneAndNoTruthIsNaN() {
        var im = new AveragePrecision.Image(List.of(b(0, 0, 5, 5), Box.truth(10, 10, 20, 20, 3)),
            List.of(p(0, 0, 5, 5, 0, 0.9), p(10, 10, 20, 20, 3, 0.4)));
        assertEquals(1.0, AveragePrecision.mean(List.of(im), 0.5), 0.0);
        assertEquals(1.0, AveragePrecision.meanCoco(List.of(im)), 1e-12);
        assertTrue(Double.isNaN(AveragePrecision.mean(List.of(new AveragePrecision.Image(List.of(), List.of(p(0, 0, 1, 1, 0, 1)))), 0.5)));
    }

    /** Equal scores are ranked in input order: TP then FP gives AP 1, FP then TP gives 1/2. */
    @Test void tiedScoresRankInInputOrder() {
        Box hit = p(0, 0, 10, 10, 0, 0.7), miss = p(50, 50, 60, 60, 0, 0.7);
        var truth = List.of(b(0, 0, 10, 10));
        assertEquals(1.0, AveragePrecision.mean(List.of(new AveragePrecision.Image(truth, List.of(hit, miss))), 0.5), 0.0);
        assertEquals(0.5, AveragePrecision.mean(List.of(new AveragePrecision.Image(truth, List.of(miss, hit))), 0.5), 0.0);
    }

    /** A box with IoU exactly 0.7 is a hit at t = 0.50 ... 0.70 (5 of 10 thresholds): AP@0.5:0.95 = 0.5. */
    @Test void cocoAverageOverTenThresholds() {
        var im = new AveragePrecision.Image(List.of(b(0, 0, 10, 10)), List.of(p(0, 0, 10, 7, 0, 0.9)));
        assertEquals(0.7, Iou.of(b(0, 0, 10, 10), b(0, 0, 10, 7)), 0.0);
        assertEquals(0.5, AveragePrecision.meanCoco(List.of(im)), 1e-12);
        assertEquals(1.0, AveragePrecision.mean(List.of(im), 0.7), 0.0);
        assertEquals(0.0, AveragePrecision.mean(List.of(im), 0.75), 0.0);
    }
}
