package dev.dlx.support;

/** The arithmetic of the `features` steps that is not about images: scale, and a reshape's unknown size. */
public final class FeatureMath {
    private FeatureMath() {}

    /** x * factor + offset in float32, in place. */
    public static void scale(float[] x, float factor, float offset) {
        for (int i = 0; i < x.length; i++) x[i] = x[i] * factor + offset;
    }

    /**
     * The target shape ({@code -1} for the unknown size, at most one) filled in for {@code elements}
     * values; null when it cannot hold them.
     */
    public static int[] reshape(int[] target, int elements) {
        int[] out = target.clone();
        long known = 1;
        int unknown = -1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] < 0) unknown = i;
            else known *= out[i];
        }
        if (unknown >= 0) {
            if (known <= 0 || elements % known != 0) return null;
            out[unknown] = (int) (elements / known);
        }
        long size = 1;
        for (int d : out) size *= d;
        return size == elements ? out : null;
    }
}
