package dev.dlx.runtime.data;

/**
 * A split, a fold, or a batch's worth of samples: indices into one {@link Samples}. Views copy
 * nothing; {@link #base()} holds the data.
 */
public record SampleSet(Samples base, int[] index) {

    public int size() { return index.length; }

    public boolean isEmpty() { return index.length == 0; }

    /** The class of the i-th sample of this set (its first step's for per-step labels). */
    public int classOf(int i) { return base.classes()[index[i] * base.classesPerSample()]; }

    /** The class labels of every sample in set order, every step of per-step labels included. */
    public int[] allClasses() {
        int k = base.classesPerSample();
        int[] out = new int[index.length * k];
        for (int i = 0; i < index.length; i++) System.arraycopy(base.classes(), index[i] * k, out, i * k, k);
        return out;
    }

    /** Labels per class (classification only): samples, or steps for per-step labels (padded steps left out). */
    public int[] classCounts(int classes) {
        int[] counts = new int[classes];
        for (int c : allClasses()) if (c >= 0) counts[c]++;
        return counts;
    }

    /** The subset at the given positions of this set. */
    public SampleSet select(int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) out[i] = index[positions[i]];
        return new SampleSet(base, out);
    }

    /** The first {@code n} samples of this set. */
    public SampleSet head(int n) {
        int[] out = new int[Math.min(n, index.length)];
        System.arraycopy(index, 0, out, 0, out.length);
        return new SampleSet(base, out);
    }
}
