package dev.dlx.runtime.data;

import dev.dlx.compiler.data.Augmentation;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * `augment train { ... }` on the host, sample by sample, before normalization (so `crop ... pad`
 * pads with zeros of the data as declared, and noise amounts are in its units). Each step applies
 * with its probability p. The geometric steps (flip, rotate, crop with pad, shift, zoom, shear) are
 * composed into one affine map per sample and resampled once: bilinear, zeros outside the image;
 * a map that sends every pixel onto a pixel (flips, padded crops, whole-pixel shifts, rotations by
 * multiples of 90 degrees) copies values exactly. noise, erase, contrast, brightness and
 * colorshift act on values.
 *
 * <p>Host rather than in-graph: one sample of Fashion-MNIST takes microseconds here (see
 * `bench/.../AugmentThroughput`), far below a training step's share per sample, and the batch
 * arrives in the graph already augmented, so the graph stays the same with augmentation on or off.
 * One instance per feeding thread: it keeps scratch buffers and allocates nothing per sample.
 */
public final class Augmenter {
    /** Below this distance a resampling coordinate counts as a whole pixel (rounding of cos 90 degrees and the like). */
    private static final double WHOLE = 1e-6;

    private final List<Augmentation> steps;
    private final int h, w, c, d;
    private final boolean image;
    private final float[] scratch;
    private final double[] channelSums;
    private final float[] channelValues;
    /** The inverse map being composed: input (row, col) = M * (row, col, 1). */
    private final double[] m = new double[6];
    /** The whole sample's map since {@link #apply} began (every resampling composed), for moving boxes. */
    private final double[] all = new double[6];
    private boolean pending;

    public Augmenter(List<Augmentation> steps, int[] shape) {
        this.steps = List.copyOf(steps);
        this.image = shape.length == 3;
        this.h = image ? shape[0] : 1;
        this.w = image ? shape[1] : 1;
        this.c = image ? shape[2] : 1;
        this.d = Samples.size(shape);
        this.scratch = new float[d];
        this.channelSums = new double[c];
        this.channelValues = new float[c];
    }

    public boolean isEmpty() { return steps.isEmpty(); }

    /** The augmentations, in order. */
    public List<Augmentation> steps() { return steps; }

    /** Names of the augmentations, in order. */
    public List<String> names() { return steps.stream().map(Augmentation::name).toList(); }

    /**
     * Transforms one sample of {@code x} at {@code off} in place. Per step, {@code rng} first draws
     * whether it applies ({@code nextDouble() < p}), then its parameters, uniformly in their range.
     */
    public void apply(float[] x, int off, Random rng) {
        reset();
        all[0] = 1; all[1] = 0; all[2] = 0;
        all[3] = 0; all[4] = 1; all[5] = 0;
        double cy = (h - 1) / 2.0, cx = (w - 1) / 2.0;
        for (Augmentation a : steps) {
            if (rng.nextDouble() >= a.p()) continue;
            if (a instanceof Augmentation.Flip f) {
                // `both`: each mirror on its own, with even odds
                boolean both = f.axis() == Augmentation.Axis.BOTH;
                boolean horizontal = f.axis() == Augmentation.Axis.HORIZONTAL || (both && rng.nextBoolean());
                boolean vertical = f.axis() == Augmentation.Axis.VERTICAL || (both && rng.nextBoolean());
                if (horizontal) compose(1, 0, 0, 0, -1, w - 1);
                if (vertical) compose(-1, 0, h - 1, 0, 1, 0);
            } else if (a instanceof Augmentation.Rotate r) {
                double t = Math.toRadians(symmetric(rng, r.degrees()));
                double cos = Math.cos(t), sin = Math.sin(t);
                // counterclockwise by t about the center: p_in = C + R(-t) (p - C)
                compose(cos, sin, cy - cos * cy - sin * cx, -sin, cos, cx + sin * cy - cos * cx);
            } else if (a instanceof Augmentation.Crop cr) {
                int dy = rng.nextInt(2 * cr.pad() + 1) - cr.pad(), dx = rng.nextInt(2 * cr.pad() + 1) - cr.pad();
                compose(1, 0, dy, 0, 1, dx);
            } else if (a instanceof Augmentation.Shift s) {
                double dy = symmetric(rng, s.fraction()) * h, dx = symmetric(rng, s.fraction()) * w;
                compose(1, 0, -dy, 0, 1, -dx);
            } else if (a instanceof Augmentation.Zoom z) {
                double inv = 1 / between(rng, z.min(), z.max());
                compose(inv, 0, cy - inv * cy, 0, inv, cx - inv * cx);
            } else if (a instanceof Augmentation.Shear s) {
                double k = Math.tan(Math.toRadians(symmetric(rng, s.degrees())));
                compose(1, 0, 0, -k, 1, k * cy);
            } else {
                flush(x, off);
                values(a, x, off, rng);
            }
        }
        flush(x, off);
    }

    /**
     * Moves the boxes of the sample last {@link #apply applied} with its pixels: {@code rows} rows of
     * (class, x0, y0, x1, y1) at {@code off}, corners as fractions of the image. Each box becomes the
     * smallest upright box around its moved corners, clipped to the image; a box left with less than
     * a third of its area inside, or under one pixel wide or high, is dropped (class -1).
     */
    public void moveBoxes(float[] y, int off, int rows) {
        if (!image) return;
        double det = all[0] * all[4] - all[1] * all[3];
        if (Math.abs(det) < 1e-12) return;
        // forward map: (r, c) = A^-1 ((r_in, c_in) - t), in pixel-centre coordinates
        double i0 = all[4] / det, i1 = -all[1] / det, i3 = -all[3] / det, i4 = all[0] / det;
        for (int k = 0; k < rows; k++) {
            int o = off + k * dev.dlx.compiler.data.LabelSpec.BOX_VALUES;
            if (y[o] < 0) continue;
            double minR = Double.MAX_VALUE, maxR = -Double.MAX_VALUE, minC = Double.MAX_VALUE, maxC = -Double.MAX_VALUE;
            for (int corner = 0; corner < 4; corner++) {
                double fx = (corner & 1) == 0 ? y[o + 1] : y[o + 3], fy = (corner & 2) == 0 ? y[o + 2] : y[o + 4];
                double rIn = fy * h - 0.5 - all[2], cIn = fx * w - 0.5 - all[5];
                double r = i0 * rIn + i1 * cIn, c = i3 * rIn + i4 * cIn;
                minR = Math.min(minR, r); maxR = Math.max(maxR, r); minC = Math.min(minC, c); maxC = Math.max(maxC, c);
            }
            double x0 = (minC + 0.5) / w, x1 = (maxC + 0.5) / w, y0 = (minR + 0.5) / h, y1 = (maxR + 0.5) / h;
            double area = (x1 - x0) * (y1 - y0);
            double cx0 = Math.max(0, x0), cx1 = Math.min(1, x1), cy0 = Math.max(0, y0), cy1 = Math.min(1, y1);
            double inside = Math.max(0, cx1 - cx0) * Math.max(0, cy1 - cy0);
            if (area <= 0 || inside < area / 3 || (cx1 - cx0) * w < 1 || (cy1 - cy0) * h < 1) {
                y[o] = -1;
                for (int v = 1; v < dev.dlx.compiler.data.LabelSpec.BOX_VALUES; v++) y[o + v] = 0;
                continue;
            }
            y[o + 1] = (float) cx0; y[o + 2] = (float) cy0; y[o + 3] = (float) cx1; y[o + 4] = (float) cy1;
        }
    }

    /** Uniform in [-amount, amount]. */
    private static double symmetric(Random rng, double amount) { return (2 * rng.nextDouble() - 1) * amount; }

    /** Uniform in [min, max]. */
    private static double between(Random rng, double min, double max) { return min + rng.nextDouble() * (max - min); }

    private void reset() {
        m[0] = 1; m[1] = 0; m[2] = 0;
        m[3] = 0; m[4] = 1; m[5] = 0;
        pending = false;
    }

    /** M <- M o I, with I = [[a, b, c], [d, e, f]] mapping an output point to the previous step's output. */
    private void compose(double a, double b, double cc, double dd, double e, double f) {
        double m0 = m[0] * a + m[1] * dd, m1 = m[0] * b + m[1] * e, m2 = m[0] * cc + m[1] * f + m[2];
        double m3 = m[3] * a + m[4] * dd, m4 = m[3] * b + m[4] * e, m5 = m[3] * cc + m[4] * f + m[5];
        m[0] = m0; m[1] = m1; m[2] = m2; m[3] = m3; m[4] = m4; m[5] = m5;
        pending = true;
    }

    private static boolean whole(double v) { return Math.abs(v - Math.rint(v)) < WHOLE; }

    /** Resamples the sample through the composed map, if any. */
    private void flush(float[] x, int off) {
        if (!pending || !image) {
            reset();
            return;
        }
        double a0 = all[0] * m[0] + all[1] * m[3], a1 = all[0] * m[1] + all[1] * m[4], a2 = all[0] * m[2] + all[1] * m[5] + all[2];
        double a3 = all[3] * m[0] + all[4] * m[3], a4 = all[3] * m[1] + all[4] * m[4], a5 = all[3] * m[2] + all[4] * m[5] + all[5];
        all[0] = a0; all[1] = a1; all[2] = a2; all[3] = a3; all[4] = a4; all[5] = a5;
        System.arraycopy(x, off, scratch, 0, d);
        boolean exact = true;
        for (double v : m) exact &= whole(v);
        if (exact) {
            copyWhole(x, off);
        } else {
            bilinear(x, off);
        }
        reset();
    }

    /** A map onto whole pixels: every output pixel is an input pixel, or 0 outside. */
    private void copyWhole(float[] x, int off) {
        int a = (int) Math.rint(m[0]), b = (int) Math.rint(m[1]), e = (int) Math.rint(m[2]);
        int dd = (int) Math.rint(m[3]), f = (int) Math.rint(m[4]), g = (int) Math.rint(m[5]);
        for (int r = 0; r < h; r++) {
            int ri = a * r + e, ci = dd * r + g;
            for (int col = 0; col < w; col++, ri += b, ci += f) {
                int out = off + (r * w + col) * c;
                if (ri >= 0 && ri < h && ci >= 0 && ci < w) {
                    int in = (ri * w + ci) * c;
                    for (int k = 0; k < c; k++) x[out + k] = scratch[in + k];
                } else {
                    for (int k = 0; k < c; k++) x[out + k] = 0;
                }
            }
        }
    }

    private void bilinear(float[] x, int off) {
        for (int r = 0; r < h; r++) {
            double ri = m[0] * r + m[2], ci = m[3] * r + m[5];
            for (int col = 0; col < w; col++, ri += m[1], ci += m[4]) {
                double rs = whole(ri) ? Math.rint(ri) : ri, cs = whole(ci) ? Math.rint(ci) : ci;
                int r0 = (int) Math.floor(rs), c0 = (int) Math.floor(cs);
                float fr = (float) (rs - r0), fc = (float) (cs - c0);
                int out = off + (r * w + col) * c;
                if (r0 >= 0 && c0 >= 0 && r0 + 1 < h && c0 + 1 < w) {
                    int p00 = (r0 * w + c0) * c, p01 = p00 + c, p10 = p00 + w * c, p11 = p10 + c;
                    for (int k = 0; k < c; k++) {
                        float top = scratch[p00 + k] + (scratch[p01 + k] - scratch[p00 + k]) * fc;
                        float bottom = scratch[p10 + k] + (scratch[p11 + k] - scratch[p10 + k]) * fc;
                        x[out + k] = top + (bottom - top) * fr;
                    }
                } else if (r0 < -1 || c0 < -1 || r0 >= h || c0 >= w) {
                    for (int k = 0; k < c; k++) x[out + k] = 0;
                } else {
                    for (int k = 0; k < c; k++) {
                        float top = at(r0, c0, k) * (1 - fc) + at(r0, c0 + 1, k) * fc;
                        float bottom = at(r0 + 1, c0, k) * (1 - fc) + at(r0 + 1, c0 + 1, k) * fc;
                        x[out + k] = top * (1 - fr) + bottom * fr;
                    }
                }
            }
        }
    }

    private float at(int r, int col, int k) {
        return r < 0 || r >= h || col < 0 || col >= w ? 0 : scratch[(r * w + col) * c + k];
    }

    private void values(Augmentation a, float[] x, int off, Random rng) {
        if (a instanceof Augmentation.Noise n) {
            // per-value draws come from a SplitMix64 stream seeded by one draw of rng: reproducible from rng,
            // and several times faster than java.util.Random's synchronized nextGaussian
            long state = rng.nextLong();
            double amount = n.amount();
            if (n.distribution() == Augmentation.Distribution.GAUSSIAN) {
                for (int i = 0; i < d; i += 2) {
                    // Marsaglia's polar method: two independent normal values per accepted pair
                    double u, v, q;
                    do {
                        state += GOLDEN;
                        u = 2 * unit(mix(state)) - 1;
                        state += GOLDEN;
                        v = 2 * unit(mix(state)) - 1;
                        q = u * u + v * v;
                    } while (q >= 1 || q == 0);
                    double f = amount * Math.sqrt(-2 * Math.log(q) / q);
                    x[off + i] += (float) (u * f);
                    if (i + 1 < d) x[off + i + 1] += (float) (v * f);
                }
            } else {
                for (int i = 0; i < d; i++) {
                    state += GOLDEN;
                    x[off + i] += (float) ((2 * unit(mix(state)) - 1) * amount);
                }
            }
        } else if (a instanceof Augmentation.Erase e) {
            int eh = Math.min(e.height(), h), ew = Math.min(e.width(), w);
            for (int n = 0; n < e.count(); n++) {
                int top = rng.nextInt(h - eh + 1), left = rng.nextInt(w - ew + 1);
                for (int r = top; r < top + eh; r++) Arrays.fill(x, off + (r * w + left) * c, off + (r * w + left + ew) * c, 0f);
            }
        } else if (a instanceof Augmentation.Contrast ct) {
            float f = (float) between(rng, ct.min(), ct.max());
            channelMeans(x, off);
            for (int i = 0; i < d; i += c) {
                for (int k = 0; k < c; k++) x[off + i + k] = (x[off + i + k] - channelValues[k]) * f + channelValues[k];
            }
        } else if (a instanceof Augmentation.Brightness b) {
            float v = (float) between(rng, b.min(), b.max());
            if (b.mode() == Augmentation.BrightnessMode.FACTOR) for (int i = 0; i < d; i++) x[off + i] *= v;
            else for (int i = 0; i < d; i++) x[off + i] += v;
        } else if (a instanceof Augmentation.ColorShift cs) {
            for (int k = 0; k < c; k++) channelValues[k] = (float) symmetric(rng, cs.amount());
            for (int i = 0; i < d; i += c) for (int k = 0; k < c; k++) x[off + i + k] += channelValues[k];
        }
    }

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    /** SplitMix64's output function. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The top 53 bits as a double in [0, 1). */
    private static double unit(long bits) { return (bits >>> 11) * 0x1.0p-53; }

    /** Each channel's mean over the sample, into {@link #channelValues}. */
    private void channelMeans(float[] x, int off) {
        Arrays.fill(channelSums, 0);
        for (int i = 0; i < d; i += c) for (int k = 0; k < c; k++) channelSums[k] += x[off + i + k];
        for (int k = 0; k < c; k++) channelValues[k] = (float) (channelSums[k] / (d / c));
    }
}
