package dev.dlx.runtime.data;

/**
 * A split, a fold, or a batch's worth of samples: indices into one {@link Samples}. Views copy
 * nothing; {@link #base()} holds the data.
 */
public record SampleSet(Samples base, int[] index) {

    public int size() { return index.length; }

    public boolean isEmpty() { return index.length == 0; }

    /** The class of the i-th sample of this set. */
    public int classOf(int i) { return base.classes()[index[i]]; }

    /** Samples per class (classification only). */
    public int[] classCounts(int classes) {
        int[] counts = new int[classes];
        for (int i : index) counts[base.classes()[i]]++;
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
