package dev.dlx.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.data.Augmentation;
import dev.dlx.compiler.data.Augmentation.Axis;
import dev.dlx.compiler.data.Augmentation.BrightnessMode;
import dev.dlx.compiler.data.Augmentation.Distribution;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each augmentation on known images, against the transformation it must perform: expected images
 * are computed here from the definitions (pixel maps, formulas), not by the augmenter.
 */
class AugmenterTest {

    /** A random source whose draws are given: nextDouble and nextInt return the queued values in order. */
    static final class Draws extends Random {
        private static final long serialVersionUID = 1L;
        private final Deque<Double> values = new ArrayDeque<>();

        Draws(double... v) {
            for (double x : v) values.add(x);
        }

        @Override public double nextDouble() { return values.removeFirst(); }
        @Override public int nextInt(int bound) { return (int) (double) values.removeFirst(); }

        boolean used() { return values.isEmpty(); }
    }

    /** An h x w x c image whose values are all different and nonzero: v(r, col, k) = 100 r + 10 col + k + 1. */
    static float[] image(int h, int w, int c) {
        float[] x = new float[h * w * c];
        for (int r = 0; r < h; r++) for (int col = 0; col < w; col++) for (int k = 0; k < c; k++) x[(r * w + col) * c + k] = 100 * r + 10 * col + k + 1;
        return x;
    }

    static float v(int r, int col, int k) { return 100 * r + 10 * col + k + 1; }

    private static float[] augment(Augmentation a, int h, int w, int c, Random rng) {
        float[] x = image(h, w, c);
        new Augmenter(List.of(a), new int[] {h, w, c}).apply(x, 0, rng);
        return x;
    }

    @Test
    void horizontalFlipMapsPixelIJToIWMinus1MinusJ() {
        int h = 4, w = 5, c = 3;
        float[] y = augment(new Augmentation.Flip(Axis.HORIZONTAL, 1, null), h, w, c, new Draws(0));
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) for (int k = 0; k < c; k++) {
            assertEquals(v(i, w - 1 - j, k), y[(i * w + j) * c + k], 0f);
        }
        float[] z = augment(new Augmentation.Flip(Axis.VERTICAL, 1, null), h, w, c, new Draws(0));
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) assertEquals(v(h - 1 - i, j, 2), z[(i * w + j) * c + 2], 0f);
    }

    @Test
    void rotationBy90DegreesIsTransposeThenFlip() {
        int n = 6;
        // p draw 0 (applies), angle draw 1.0: (2 * 1 - 1) * 90 = +90 degrees
        float[] y = augment(new Augmentation.Rotate(90, 1, null), n, n, 1, new Draws(0, 1.0));
        // counterclockwise by 90 degrees (NumPy's rot90): transpose, then flip top-bottom
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) assertEquals(v(j, n - 1 - i, 0), y[i * n + j], 0f, i + "," + j);
        float[] z = augment(new Augmentation.Rotate(90, 1, null), n, n, 1, new Draws(0, 0.0));
        // -90 degrees: transpose, then flip left-right
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) assertEquals(v(n - 1 - j, i, 0), z[i * n + j], 0f, i + "," + j);
        float[] none = augment(new Augmentation.Rotate(90, 1, null), n, n, 1, new Draws(0, 0.5));
        assertArrayEquals(image(n, n, 1), none, "an angle of 0 leaves the image");
    }

    @Test
    void smallRotationsInterpolateAndKeepTheCenter() {
        // 5x5, 45 degrees: the center stays; the pixel above the center samples (1, 2) rotated, i.e. the point
        // (2 - cos45, 2 - sin45) ... read bilinearly: check it against the formula
        float[] y = augment(new Augmentation.Rotate(45, 1, null), 5, 5, 1, new Draws(0, 1.0));
        assertEquals(v(2, 2, 0), y[12], 1e-4);
        double s = Math.sqrt(0.5);
        // output (1, 2): input row = 2 + (-1) cos t + 0, col = 2 + (-1)(-sin t)... p_in = C + R(-t)(p - C), p - C = (-1, 0)
        double ri = 2 - s, ci = 2 + s;
        assertEquals(bilinear(ri, ci), y[1 * 5 + 2], 1e-3);
    }

    /** The test image's value at a fractional point: it is linear in row and column, so bilinear sampling is exact. */
    private static double bilinear(double r, double col) { return 100 * r + 10 * col + 1; }

    @Test
    void paddedCropKeepsTheShapeAndOffsetsTheContent() {
        int h = 5, w = 4;
        // nextInt(2 * 2 + 1) draws 4 and 1: offsets dy = 4 - 2 = 2, dx = 1 - 2 = -1
        float[] y = augment(new Augmentation.Crop(h, w, 2, 1, null), h, w, 1, new Draws(0, 4, 1));
        assertEquals(h * w, y.length);
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) {
            int si = i + 2, sj = j - 1;
            float expected = si < h && sj >= 0 ? v(si, sj, 0) : 0;
            assertEquals(expected, y[i * w + j], 0f, i + "," + j);
        }
    }

    @Test
    void shiftTranslatesByTheDrawnFraction() {
        // fraction 0.25 of 8: draws 1.0 and 0.0 give +2 rows and -2 columns
        int n = 8;
        float[] y = augment(new Augmentation.Shift(0.25, 1, null), n, n, 1, new Draws(0, 1.0, 0.0));
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            int si = i - 2, sj = j + 2;
            float expected = si >= 0 && sj < n ? v(si, sj, 0) : 0;
            assertEquals(expected, y[i * n + j], 1e-4f, i + "," + j);
        }
    }

    @Test
    void zoomScalesAboutTheCenter() {
        // zoom 2 on 5x5: output (r, col) reads input (1 + r / 2, 1 + col / 2)
        float[] y = augment(new Augmentation.Zoom(2, 2, 1, null), 5, 5, 1, new Draws(0, 0.5));
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) assertEquals(bilinear(1 + i / 2.0, 1 + j / 2.0), y[i * 5 + j], 1e-3, i + "," + j);
        // zoom 0.5: output reads input (2 (r - 2) + 2): the border falls outside and is 0
        float[] z = augment(new Augmentation.Zoom(0.5, 0.5, 1, null), 5, 5, 1, new Draws(0, 0.5));
        assertEquals(v(0, 0, 0), z[1 * 5 + 1], 1e-4f);
        assertEquals(v(4, 4, 0), z[3 * 5 + 3], 1e-4f);
        assertEquals(0, z[0], 0f);
    }

    @Test
    void shearShiftsEachRowByItsDistanceFromTheCenter() {
        // 45 degrees: tan = 1, row r reads columns col - (r - cy); cy = 2 on 5 rows
        int n = 5;
        float[] y = augment(new Augmentation.Shear(45, 1, null), n, n, 1, new Draws(0, 1.0));
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            int sj = j - (i - 2);
            float expected = sj >= 0 && sj < n ? v(i, sj, 0) : 0;
            assertEquals(expected, y[i * n + j], 1e-4f, i + "," + j);
        }
    }

    @Test
    void eraseZeroesOneRectangleOfTheDeclaredSize() {
        int h = 6, w = 7;
        // nextInt draws top 2 and left 3 for a 3x2 patch
        float[] y = augment(new Augmentation.Erase(3, 2, 1, 1, null), h, w, 2, new Draws(0, 2, 3));
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) for (int k = 0; k < 2; k++) {
            boolean inside = i >= 2 && i < 5 && j >= 3 && j < 5;
            assertEquals(inside ? 0 : v(i, j, k), y[(i * w + j) * 2 + k], 0f);
        }
        float[] two = augment(new Augmentation.Erase(2, 2, 2, 1, null), 8, 8, 1, new Random(3));
        int zeros = 0;
        for (float f : two) if (f == 0) zeros++;
        assertTrue(zeros >= 4 && zeros <= 8, "two 2x2 patches, possibly overlapping: " + zeros);
    }

    @Test
    void contrastBrightnessAndColorShiftFollowTheirFormulas() {
        int h = 3, w = 4, c = 3;
        float[] x = image(h, w, c);
        double[] mean = new double[c];
        for (int i = 0; i < x.length; i++) mean[i % c] += x[i] / (h * w);
        // contrast 0.5..1.5, draw 0.25: factor 0.75, per channel around its mean
        float[] y = augment(new Augmentation.Contrast(0.5, 1.5, 1, null), h, w, c, new Draws(0, 0.25));
        for (int i = 0; i < x.length; i++) assertEquals((x[i] - mean[i % c]) * 0.75 + mean[i % c], y[i], 1e-3);
        // brightness factor 0.8..1.2, draw 1.0: x * 1.2
        float[] b = augment(new Augmentation.Brightness(BrightnessMode.FACTOR, 0.8, 1.2, 1, null), h, w, c, new Draws(0, 1.0));
        for (int i = 0; i < x.length; i++) assertEquals(x[i] * 1.2, b[i], 1e-3);
        // brightness delta -0.1..0.1, draw 0.0: x - 0.1
        float[] dl = augment(new Augmentation.Brightness(BrightnessMode.DELTA, -0.1, 0.1, 1, null), h, w, c, new Draws(0, 0.0));
        for (int i = 0; i < x.length; i++) assertEquals(x[i] - 0.1, dl[i], 1e-4);
        // colorshift 0.2: channel k moves by (2 u_k - 1) * 0.2 with draws 0, 0.5, 1 -> -0.2, 0, +0.2
        float[] cs = augment(new Augmentation.ColorShift(0.2, 1, null), h, w, c, new Draws(0, 0.0, 0.5, 1.0));
        double[] shift = {-0.2, 0, 0.2};
        for (int i = 0; i < x.length; i++) assertEquals(x[i] + shift[i % c], cs[i], 1e-4);
    }

    @Test
    void noiseHasTheDeclaredSpreadOverManyDraws() {
        int n = 200_000;
        for (Distribution dist : Distribution.values()) {
            float[] z = new float[n];
            new Augmenter(List.of(new Augmentation.Noise(dist, 0.3, 1, null)), new int[] {n}).apply(z, 0, new Random(5));
            double sum = 0, sq = 0, max = 0;
            for (float f : z) {
                sum += f;
                sq += f * f;
                max = Math.max(max, Math.abs(f));
            }
            double mean = sum / n, std = Math.sqrt(sq / n - mean * mean);
            // gaussian: std 0.3; uniform on [-0.3, 0.3]: std 0.3 / sqrt(3)
            double expected = dist == Distribution.GAUSSIAN ? 0.3 : 0.3 / Math.sqrt(3);
            assertEquals(expected, std, expected * 0.01, dist.toString());
            assertEquals(0, mean, 0.005, dist.toString());
            if (dist == Distribution.UNIFORM) assertTrue(max <= 0.3 + 1e-6);
        }
    }

    @Test
    void probabilityZeroNeverAppliesOneAlwaysAndHalfAboutHalf() {
        Augmenter never = new Augmenter(List.of(new Augmentation.Flip(Axis.HORIZONTAL, 0, null)), new int[] {3, 3, 1});
        Augmenter always = new Augmenter(List.of(new Augmentation.Flip(Axis.HORIZONTAL, 1, null)), new int[] {3, 3, 1});
        Augmenter half = new Augmenter(List.of(new Augmentation.Flip(Axis.HORIZONTAL, 0.5, null)), new int[] {3, 3, 1});
        float[] flipped = augment(new Augmentation.Flip(Axis.HORIZONTAL, 1, null), 3, 3, 1, new Draws(0));
        Random rng = new Random(7);
        int halfFlipped = 0;
        for (int i = 0; i < 2000; i++) {
            float[] a = image(3, 3, 1), b = image(3, 3, 1), hf = image(3, 3, 1);
            never.apply(a, 0, rng);
            always.apply(b, 0, rng);
            half.apply(hf, 0, rng);
            assertArrayEquals(image(3, 3, 1), a);
            assertArrayEquals(flipped, b);
            if (java.util.Arrays.equals(flipped, hf)) halfFlipped++;
        }
        assertEquals(1000, halfFlipped, 100);
    }

    @Test
    void theSameSeedGivesTheSameSamplesAndAnotherSeedOthers() {
        List<Augmentation> all = List.of(new Augmentation.Flip(Axis.BOTH, 0.5, null), new Augmentation.Rotate(15, 0.7, null),
            new Augmentation.Crop(8, 8, 2, 1, null), new Augmentation.Shift(0.1, 0.5, null), new Augmentation.Zoom(0.9, 1.1, 0.5, null),
            new Augmentation.Shear(10, 0.5, null), new Augmentation.Noise(Distribution.GAUSSIAN, 0.05, 1, null),
            new Augmentation.Erase(2, 2, 1, 0.5, null), new Augmentation.Contrast(0.8, 1.2, 0.5, null),
            new Augmentation.Brightness(BrightnessMode.DELTA, -0.1, 0.1, 0.5, null), new Augmentation.ColorShift(0.1, 0.5, null));
        Augmenter a = new Augmenter(all, new int[] {8, 8, 3});
        float[] x1 = new float[10 * 192], x2 = new float[10 * 192], x3 = new float[10 * 192];
        for (int s = 0; s < 10; s++) {
            System.arraycopy(image(8, 8, 3), 0, x1, s * 192, 192);
            System.arraycopy(image(8, 8, 3), 0, x2, s * 192, 192);
            System.arraycopy(image(8, 8, 3), 0, x3, s * 192, 192);
        }
        Random r1 = new Random(42), r2 = new Random(42), r3 = new Random(43);
        for (int s = 0; s < 10; s++) {
            a.apply(x1, s * 192, r1);
            a.apply(x2, s * 192, r2);
            a.apply(x3, s * 192, r3);
        }
        assertArrayEquals(x1, x2, 0f);
        assertTrue(!java.util.Arrays.equals(x1, x3));
        for (float f : x1) assertTrue(Float.isFinite(f));
    }

    @Test
    void composedFlipsAreExactAndStepsDrawInOrder() {
        // horizontal then vertical flip = rotation by 180 degrees: (i, j) -> (H-1-i, W-1-j)
        Augmenter both = new Augmenter(List.of(new Augmentation.Flip(Axis.HORIZONTAL, 1, null), new Augmentation.Flip(Axis.VERTICAL, 1, null)),
            new int[] {3, 4, 1});
        float[] y = image(3, 4, 1);
        Draws draws = new Draws(0, 0);
        both.apply(y, 0, draws);
        assertTrue(draws.used());
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) assertEquals(v(2 - i, 3 - j, 0), y[i * 4 + j], 0f);
    }
}
