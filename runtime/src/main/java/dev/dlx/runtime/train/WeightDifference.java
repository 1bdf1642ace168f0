package dev.dlx.runtime.train;

import java.util.Map;

/**
 * How far two sets of the same weights are apart: the largest absolute difference of any element,
 * and the largest magnitude of the reference's elements (the scale that difference is read against).
 *
 * @param largest the largest |a - b| over every element of every weight
 * @param scale   the largest |b|
 */
public record WeightDifference(double largest, double scale) {

    /** {@code a} against {@code b}, which must name the same weights with the same sizes. */
    public static WeightDifference of(Map<String, float[]> a, Map<String, float[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            throw new IllegalArgumentException("the two sets of weights differ in names: " + a.keySet() + " and " + b.keySet());
        }
        double worst = 0, scale = 0;
        for (Map.Entry<String, float[]> e : b.entrySet()) {
            float[] x = a.get(e.getKey()), y = e.getValue();
            if (x.length != y.length) throw new IllegalArgumentException(e.getKey() + " has " + x.length + " values and " + y.length);
            for (int i = 0; i < y.length; i++) {
                scale = Math.max(scale, Math.abs(y[i]));
                worst = Math.max(worst, Math.abs((double) x[i] - y[i]));
            }
        }
        return new WeightDifference(worst, scale);
    }

    /** The largest difference relative to the scale (0 when both are 0). */
    public double relative() { return largest == 0 ? 0 : largest / scale; }
}
