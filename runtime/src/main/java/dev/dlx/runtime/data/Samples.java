package dev.dlx.runtime.data;

import java.util.Arrays;

/**
 * Samples held in memory: every feature value in one flat float array (sample after sample,
 * row-major within a sample), and the labels as class indices or regression targets. Splits and
 * folds are {@link SampleSet} views (index lists) over one of these, so no data is copied.
 *
 * @param x       features, {@code count * sampleSize()} values
 * @param shape   the shape of one sample
 * @param classes class index per sample, or per step of a sample ({@code count * steps} indices, sample
 *                after sample, for sequence labels), or null (regression or unlabelled)
 * @param targets regression targets, {@code count * targetSize} values, or null
 */
public record Samples(float[] x, int count, int[] shape, int[] classes, float[] targets, int targetSize) {

    public Samples {
        shape = shape.clone();
        int d = size(shape);
        if ((long) count * d != x.length) {
            throw new IllegalArgumentException(count + " samples of " + Arrays.toString(shape) + " need " + (long) count * d
                + " values, found " + x.length);
        }
        if (classes != null && (count == 0 ? classes.length != 0 : classes.length == 0 || classes.length % count != 0)) {
            throw new IllegalArgumentException(count + " samples need one class each or the same number per sample, found " + classes.length);
        }
        if (targets != null && (long) count * targetSize != targets.length) throw new IllegalArgumentException("targets per sample");
    }

    public int sampleSize() { return size(shape); }

    public boolean hasClasses() { return classes != null; }

    /** Class labels per sample: 1, or the steps of a sequence labelled step by step (0 without classes). */
    public int classesPerSample() { return classes == null ? 0 : count == 0 ? 1 : classes.length / count; }
    public boolean hasTargets() { return targets != null; }

    /** The same samples with a new sample shape (same number of values per sample) or new features. */
    public Samples withFeatures(float[] newX, int[] newShape) {
        return new Samples(newX, count, newShape, classes, targets, targetSize);
    }

    /** Every sample, in order. */
    public SampleSet all() {
        int[] index = new int[count];
        for (int i = 0; i < count; i++) index[i] = i;
        return new SampleSet(this, index);
    }

    public static int size(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return Math.toIntExact(n);
    }

    public static String shapeText(int[] shape) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ", ").append(shape[i]);
        return s.append(']').toString();
    }
}
