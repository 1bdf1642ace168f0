package dev.dlx.runtime.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.data.Normalize;

/**
 * `normalize featurewise|samplewise`: x <- (x - mean) / std. Featurewise statistics come from the
 * training split only and are then applied to every split (and stored in the run folder for
 * prediction): per channel for images [H, W, C] (as Keras's image generator), per feature
 * otherwise. Samplewise statistics are each sample's own. A standard deviation below 1e-6 (a
 * constant feature) counts as 1, so such a feature becomes 0 instead of blowing up.
 */
public final class Normalizer {
    static final double MIN_STD = 1e-6;

    private final Normalize.Mode mode;
    /** Group of value i of a sample: i % groups (channels of an image, or every feature). */
    private final int groups;
    private final float[] mean;
    private final float[] invStd;

    private final float[] std;

    /** {@code std} as stored; the reciprocal is computed here, so statistics read back from JSON act exactly alike. */
    private Normalizer(Normalize.Mode mode, int groups, float[] mean, float[] std) {
        this.mode = mode;
        this.groups = groups;
        this.mean = mean;
        this.std = std;
        this.invStd = new float[std.length];
        for (int i = 0; i < std.length; i++) invStd[i] = 1f / std[i];
    }

    public static Normalizer samplewise() { return new Normalizer(Normalize.Mode.SAMPLEWISE, 0, new float[0], new float[0]); }

    /** Statistics of the training samples. */
    public static Normalizer fit(Normalize spec, SampleSet train) {
        if (spec.mode() == Normalize.Mode.SAMPLEWISE) return samplewise();
        Samples s = train.base();
        int d = s.sampleSize();
        int groups = s.shape().length == 3 ? s.shape()[2] : d;
        double[] sum = new double[groups], sq = new double[groups];
        long[] n = new long[groups];
        float[] x = s.x();
        // shift by the first sample's values for a stable one-pass variance
        double[] shift = new double[groups];
        if (train.size() > 0) for (int j = 0; j < groups; j++) shift[j] = x[train.index()[0] * d + j];
        for (int i : train.index()) {
            int off = i * d;
            for (int j = 0; j < d; j++) {
                int g = j % groups;
                double v = x[off + j] - shift[g];
                sum[g] += v;
                sq[g] += v * v;
                n[g]++;
            }
        }
        float[] mean = new float[groups], stds = new float[groups];
        for (int g = 0; g < groups; g++) {
            double m = n[g] == 0 ? 0 : sum[g] / n[g];
            double var = n[g] == 0 ? 1 : Math.max(0, sq[g] / n[g] - m * m);
            double std = Math.sqrt(var);
            mean[g] = (float) (m + shift[g]);
            stds[g] = (float) (std < MIN_STD ? 1 : std);
        }
        return new Normalizer(Normalize.Mode.FEATUREWISE, groups, mean, stds);
    }

    public Normalize.Mode mode() { return mode; }
    public float[] mean() { return mean.clone(); }

    /** The standard deviations used (1 for constant features). */
    public float[] std() { return std.clone(); }

    /** Normalizes {@code count} samples of {@code d} values in place, starting at {@code offset}. */
    public void apply(float[] x, int offset, int count, int d) {
        if (mode == Normalize.Mode.FEATUREWISE) {
            for (int i = 0; i < count; i++) {
                int off = offset + i * d;
                for (int j = 0; j < d; j++) {
                    int g = groups == d ? j : j % groups;
                    x[off + j] = (x[off + j] - mean[g]) * invStd[g];
                }
            }
            return;
        }
        for (int i = 0; i < count; i++) {
            int off = offset + i * d;
            double sum = 0, sq = 0;
            for (int j = 0; j < d; j++) sum += x[off + j];
            double m = sum / d;
            for (int j = 0; j < d; j++) {
                double v = x[off + j] - m;
                sq += v * v;
            }
            double std = Math.sqrt(sq / d);
            float inv = (float) (1 / (std < MIN_STD ? 1 : std));
            float mf = (float) m;
            for (int j = 0; j < d; j++) x[off + j] = (x[off + j] - mf) * inv;
        }
    }

    /**
     * The chain rule through {@link #apply} for one sample of {@code d} values {@code raw} (before
     * normalizing): {@code grad}, the gradient with respect to the normalized values, becomes in
     * place the gradient with respect to {@code raw}. Featurewise: times 1/std. Samplewise, with
     * y = (x - m) / s: g_x = (g_y - mean(g_y) - y mean(g_y y)) / s (a constant sample is only shifted).
     */
    public void backward(float[] raw, float[] grad, int d) {
        if (mode == Normalize.Mode.FEATUREWISE) {
            for (int j = 0; j < d; j++) grad[j] *= invStd[groups == d ? j : j % groups];
            return;
        }
        double sum = 0, sq = 0;
        for (int j = 0; j < d; j++) sum += raw[j];
        double m = sum / d;
        for (int j = 0; j < d; j++) sq += (raw[j] - m) * (raw[j] - m);
        double std = Math.sqrt(sq / d);
        boolean constant = std < MIN_STD;
        double inv = constant ? 1 : 1 / std, meanG = 0, meanGy = 0;
        for (int j = 0; j < d; j++) {
            meanG += grad[j];
            meanGy += grad[j] * (raw[j] - m) * inv;
        }
        meanG /= d;
        meanGy /= d;
        for (int j = 0; j < d; j++) grad[j] = (float) (inv * (grad[j] - meanG - (constant ? 0 : (raw[j] - m) * inv * meanGy)));
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("mode", mode.name().toLowerCase());
        if (mode == Normalize.Mode.FEATUREWISE) {
            o.addProperty("groups", groups);
            o.addProperty("note", "x <- (x - mean[i % groups]) / std[i % groups] for value i of a sample, statistics of the training split");
            o.add("mean", array(mean));
            o.add("std", array(std()));
        }
        return o;
    }

    public static Normalizer fromJson(JsonObject o) {
        Normalize.Mode mode = Normalize.Mode.valueOf(o.get("mode").getAsString().toUpperCase());
        if (mode == Normalize.Mode.SAMPLEWISE) return samplewise();
        JsonArray m = o.getAsJsonArray("mean"), s = o.getAsJsonArray("std");
        float[] mean = new float[m.size()], std = new float[s.size()];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = m.get(i).getAsFloat();
            std[i] = s.get(i).getAsFloat();
        }
        return new Normalizer(mode, o.get("groups").getAsInt(), mean, std);
    }

    private static JsonArray array(float[] v) {
        JsonArray a = new JsonArray();
        for (float f : v) a.add(f);
        return a;
    }
}
