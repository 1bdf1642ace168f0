package dev.dlx.runtime.data;

/**
 * `missing mean` for CSV sources: the reader leaves missing feature values NaN (every slot of a
 * one-hot group when a category is missing); these are the per-value means of the training split,
 * and the filling of the NaNs with them. A one-hot group's means are the category frequencies.
 */
final class MissingValues {
    private MissingValues() {}

    /** The mean of every feature value over {@code train}, skipping NaNs; 0 where the training split has no value. */
    static float[] means(SampleSet train) {
        Samples base = train.base();
        int d = base.sampleSize();
        double[] sum = new double[d];
        long[] n = new long[d];
        float[] x = base.x();
        for (int i : train.index()) {
            int at = i * d;
            for (int j = 0; j < d; j++) {
                float v = x[at + j];
                if (!Float.isNaN(v)) {
                    sum[j] += v;
                    n[j]++;
                }
            }
        }
        float[] out = new float[d];
        for (int j = 0; j < d; j++) out[j] = n[j] == 0 ? 0f : (float) (sum[j] / n[j]);
        return out;
    }

    /** Replaces each NaN of {@code samples} (in place) with the mean of its position. */
    static void fill(Samples samples, float[] means) {
        float[] x = samples.x();
        int d = samples.sampleSize();
        for (int k = 0; k < x.length; k++) if (Float.isNaN(x[k])) x[k] = means[k % d];
    }
}
