package dev.dlx.runtime.data;

import dev.dlx.compiler.data.Augmentation;
import java.util.List;
import java.util.Random;

/**
 * `augment train { ... }` on the host, sample by sample, before normalization (so `crop ... pad`
 * pads with zeros of the data as declared, and noise amounts are in its units). Each step applies
 * with its probability p. Every kind runs: the geometric ones (flip, rotate, crop with pad, shift,
 * zoom, shear) are composed into one affine map per sample and resampled once (bilinear, zeros
 * outside the image; integer shifts and flips are exact); noise, erase, contrast, brightness and
 * colorshift act on values. One instance per feeding thread (it keeps a scratch buffer).
 */
public final class Augmenter {
    private final List<Augmentation> steps;
    private final int h, w, c, d;
    private final boolean image;
    private final float[] scratch;
    /** The inverse map being composed: input (row, col) = M * (row, col, 1). */
    private final double[] m = new double[6];
    private boolean pending;

    public Augmenter(List<Augmentation> steps, int[] shape) {
        this.steps = List.copyOf(steps);
        this.image = shape.length == 3;
        this.h = image ? shape[0] : 1;
        this.w = image ? shape[1] : 1;
        this.c = image ? shape[2] : 1;
        this.d = Samples.size(shape);
        this.scratch = new float[d];
    }

    public boolean isEmpty() { return steps.isEmpty(); }

    /** Names of the augmentations, in order. */
    public List<String> names() { return steps.stream().map(Augmentation::name).toList(); }

    /** Transforms one sample of {@code x} at {@code off} in place. */
    public void apply(float[] x, int off, Random rng) {
        reset();
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
                double t = Math.toRadians((2 * rng.nextDouble() - 1) * r.degrees());
                double cos = Math.cos(t), sin = Math.sin(t);
                // about the center: p_in = C + R(-t) (p - C)
                compose(cos, sin, cy - cos * cy - sin * cx, -sin, cos, cx + sin * cy - cos * cx);
            } else if (a instanceof Augmentation.Crop cr) {
                int dy = rng.nextInt(2 * cr.pad() + 1) - cr.pad(), dx = rng.nextInt(2 * cr.pad() + 1) - cr.pad();
                compose(1, 0, dy, 0, 1, dx);
            } else if (a instanceof Augmentation.Shift s) {
                double dy = (2 * rng.nextDouble() - 1) * s.fraction() * h, dx = (2 * rng.nextDouble() - 1) * s.fraction() * w;
                compose(1, 0, -dy, 0, 1, -dx);
            } else if (a instanceof Augmentation.Zoom z) {
                double f = z.min() + rng.nextDouble() * (z.max() - z.min());
                double inv = 1 / f;
                compose(inv, 0, cy - inv * cy, 0, inv, cx - inv * cx);
            } else if (a instanceof Augmentation.Shear s) {
                double k = Math.tan(Math.toRadians((2 * rng.nextDouble() - 1) * s.degrees()));
                compose(1, 0, 0, -k, 1, k * cy);
            } else {
                flush(x, off);
                values(a, x, off, rng);
            }
        }
        flush(x, off);
    }

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

    /** Resamples the sample through the composed map, if any. */
    private void flush(float[] x, int off) {
        if (!pending || !image) {
            reset();
            return;
        }
        System.arraycopy(x, off, scratch, 0, d);
        for (int r = 0; r < h; r++) {
            for (int col = 0; col < w; col++) {
                double ri = m[0] * r + m[1] * col + m[2], ci = m[3] * r + m[4] * col + m[5];
                int r0 = (int) Math.floor(ri), c0 = (int) Math.floor(ci);
                double fr = ri - r0, fc = ci - c0;
                int out = off + (r * w + col) * c;
                if (Math.abs(fr) < 1e-9 && Math.abs(fc) < 1e-9) {
                    boolean inside = r0 >= 0 && r0 < h && c0 >= 0 && c0 < w;
                    for (int k = 0; k < c; k++) x[out + k] = inside ? scratch[(r0 * w + c0) * c + k] : 0;
                    continue;
                }
                for (int k = 0; k < c; k++) {
                    double v = (1 - fr) * ((1 - fc) * at(r0, c0, k) + fc * at(r0, c0 + 1, k))
                        + fr * ((1 - fc) * at(r0 + 1, c0, k) + fc * at(r0 + 1, c0 + 1, k));
                    x[out + k] = (float) v;
                }
            }
        }
        reset();
    }

    private float at(int r, int col, int k) {
        return r < 0 || r >= h || col < 0 || col >= w ? 0 : scratch[(r * w + col) * c + k];
    }

    private void values(Augmentation a, float[] x, int off, Random rng) {
        if (a instanceof Augmentation.Noise n) {
            float amount = (float) n.amount();
            if (n.distribution() == Augmentation.Distribution.GAUSSIAN) {
                for (int i = 0; i < d; i++) x[off + i] += (float) rng.nextGaussian() * amount;
            } else {
                for (int i = 0; i < d; i++) x[off + i] += (2 * rng.nextFloat() - 1) * amount;
            }
        } else if (a instanceof Augmentation.Erase e) {
            int eh = Math.min(e.height(), h), ew = Math.min(e.width(), w);
            for (int n = 0; n < e.count(); n++) {
                int top = rng.nextInt(h - eh + 1), left = rng.nextInt(w - ew + 1);
                for (int r = top; r < top + eh; r++) {
                    java.util.Arrays.fill(x, off + (r * w + left) * c, off + (r * w + left + ew) * c, 0f);
                }
            }
        } else if (a instanceof Augmentation.Contrast ct) {
            float f = (float) (ct.min() + rng.nextDouble() * (ct.max() - ct.min()));
            float[] mean = channelMeans(x, off);
            for (int i = 0; i < d; i++) {
                int k = i % c;
                x[off + i] = (x[off + i] - mean[k]) * f + mean[k];
            }
        } else if (a instanceof Augmentation.Brightness b) {
            float v = (float) (b.min() + rng.nextDouble() * (b.max() - b.min()));
            if (b.mode() == Augmentation.BrightnessMode.FACTOR) for (int i = 0; i < d; i++) x[off + i] *= v;
            else for (int i = 0; i < d; i++) x[off + i] += v;
        } else if (a instanceof Augmentation.ColorShift cs) {
            float[] shift = new float[c];
            for (int k = 0; k < c; k++) shift[k] = (float) ((2 * rng.nextDouble() - 1) * cs.amount());
            for (int i = 0; i < d; i++) x[off + i] += shift[i % c];
        }
    }

    private float[] channelMeans(float[] x, int off) {
        double[] sum = new double[c];
        for (int i = 0; i < d; i++) sum[i % c] += x[off + i];
        float[] mean = new float[c];
        for (int k = 0; k < c; k++) mean[k] = (float) (sum[k] / (d / c));
        return mean;
    }
}
