package dev.dlx.runtime.data;

import dev.dlx.compiler.data.LabelSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Mini-batches of one split as float32 tensors, with as few copies as possible: the samples of a
 * batch are gathered into one preallocated Java array (augmented, then normalized, in place there)
 * and written in one bulk copy into a tensor that is allocated once per batch size and reused for
 * every batch of that size. Labels are encoded as the loss wants them: one-hot rows, class indices
 * (one per sample, or [T] per sample for labels at every step), 0/1 in one column, or regression targets. Not thread-safe; close it to free the tensors.
 */
public final class BatchFeeder implements AutoCloseable {
    private final SampleSet set;
    private final LabelSpec labels;
    private final Normalizer normalizer;
    private final Augmenter augmenter;
    private final int d;
    private final int labelWidth;
    private final int classesPerSample;
    private final long[] sampleShape;
    private final long[] labelShape;
    private final float[] xBuf;
    private final float[] yBuf;
    private final int[] classBuf;
    private final Map<Integer, Batch> tensors = new HashMap<>();
    private final Map<Integer, Batch> indexBatches = new HashMap<>();
    private final int capacity;

    /**
     * @param normalizer null for none
     * @param augmenter  null for none (evaluation splits)
     * @param capacity   the largest batch this feeder makes
     */
    public BatchFeeder(SampleSet set, LabelSpec labels, Normalizer normalizer, Augmenter augmenter, int capacity) {
        this.set = set;
        this.labels = labels;
        this.normalizer = normalizer;
        this.augmenter = augmenter == null || augmenter.isEmpty() ? null : augmenter;
        Samples base = set.base();
        this.d = base.sampleSize();
        this.capacity = Math.max(1, capacity);
        this.sampleShape = java.util.Arrays.stream(base.shape()).asLongStream().toArray();
        LabelSpec.Encoding enc = labels == null ? LabelSpec.Encoding.NONE : labels.encoding();
        switch (enc) {
            case ONEHOT: labelWidth = labels.classes(); labelShape = new long[] {labels.classes()}; break;
            case SPARSE: {
                // one class index per sample, or one per step for sequence labels [T]
                long[] per = labels.shape().isUnknown() ? new long[0] : labels.shape().rank() == 0 ? new long[0]
                    : new long[] {labels.shape().dim(0).size()};
                labelWidth = per.length == 0 ? 1 : Math.toIntExact(per[0]);
                labelShape = per;
                break;
            }
            case BINARY: labelWidth = 1; labelShape = new long[] {1}; break;
            case REGRESSION: labelWidth = labels.targets(); labelShape = new long[] {labels.targets()}; break;
            default: labelWidth = 0; labelShape = null;
        }
        if (enc != LabelSpec.Encoding.NONE && enc != LabelSpec.Encoding.REGRESSION && !base.hasClasses()) {
            throw new IllegalArgumentException("the samples have no class labels");
        }
        this.classesPerSample = Math.max(1, base.classesPerSample());
        if (enc == LabelSpec.Encoding.SPARSE && classesPerSample != labelWidth) {
            throw new IllegalArgumentException("the labels are " + Samples.shapeText(new int[] {labelWidth}) + " per sample, but the samples have "
                + classesPerSample + " class" + (classesPerSample == 1 ? "" : "es") + " each");
        }
        this.xBuf = new float[Math.multiplyExact(this.capacity, d)];
        this.yBuf = new float[this.capacity * Math.max(1, labelWidth)];
        this.classBuf = new int[this.capacity * classesPerSample];
    }

    public SampleSet set() { return set; }
    public int size() { return set.size(); }
    /** The largest batch it makes. */
    public int capacity() { return capacity; }
    public boolean hasLabels() { return labelShape != null; }
    /** Whether batches are augmented (then every batch differs, and the split cannot be staged once). */
    public boolean augments() { return augmenter != null; }
    /** Values per sample. */
    public int sampleSize() { return d; }
    /** Label values per sample as fed: classes for one-hot, 1 for indices or 0/1 (T for per-step indices), targets for regression, 0 without labels. */
    public int labelWidth() { return labelWidth; }
    /** The shape of one sample, and of one sample's label as fed (null without labels). */
    public long[] sampleShape() { return sampleShape.clone(); }
    public long[] labelShape() { return labelShape == null ? null : labelShape.clone(); }

    /** The tensors of one batch (owned by the feeder, valid until its next batch of the same size). */
    public static final class Batch {
        /** The features; null in a batch of {@link #positions} only. */
        public final TFloat32 x;
        public final TFloat32 y;
        /** Positions of the batch's samples in the split (a staged split is gathered by them), or null. */
        public TInt32 positions;
        /** Samples in the batch. */
        public int count;
        /** Class index per sample (classification), owned by the feeder. */
        public int[] classes;
        /** Regression targets, count * width values, owned by the feeder. */
        public float[] targets;

        Batch(TFloat32 x, TFloat32 y) {
            this.x = x;
            this.y = y;
        }
    }

    /**
     * The batch of the samples at positions {@code order[start .. start+count)} of the set.
     * {@code random} draws the augmentations (null: none).
     */
    public Batch batch(int[] order, int start, int count, Random random) {
        if (count > capacity) throw new IllegalArgumentException("batch of " + count + " above capacity " + capacity);
        Samples base = set.base();
        float[] x = base.x();
        int[] index = set.index();
        for (int i = 0; i < count; i++) {
            int s = index[order == null ? start + i : order[start + i]];
            System.arraycopy(x, s * d, xBuf, i * d, d);
            if (augmenter != null && random != null) augmenter.apply(xBuf, i * d, random);
            copyClasses(base, s, i);
            encodeLabel(base, s, i);
        }
        if (normalizer != null) normalizer.apply(xBuf, 0, count, d);
        Batch b = tensors.computeIfAbsent(count, this::allocate);
        b.x.asRawTensor().data().asFloats().write(xBuf, 0, count * d);
        if (b.y != null) b.y.asRawTensor().data().asFloats().write(yBuf, 0, count * labelWidth);
        b.count = count;
        b.classes = classBuf;
        b.targets = yBuf;
        return b;
    }

    /**
     * The batch of the samples at positions {@code order[start .. start+count)} as those positions
     * (for a graph that holds the whole split, {@link #stage}) and the labels the metrics read: no
     * features are copied. Never augmented.
     */
    public Batch positions(int[] order, int start, int count) {
        if (count > capacity) throw new IllegalArgumentException("batch of " + count + " above capacity " + capacity);
        Samples base = set.base();
        int[] index = set.index();
        Batch b = indexBatches.computeIfAbsent(count, n -> new Batch(null, null));
        if (b.positions == null) b.positions = TInt32.tensorOf(Shape.of(count));
        int[] where = new int[count];
        for (int i = 0; i < count; i++) {
            int p = order == null ? start + i : order[start + i];
            where[i] = p;
            int s = index[p];
            copyClasses(base, s, i);
            encodeLabel(base, s, i);
        }
        b.positions.asRawTensor().data().asInts().write(where);
        b.count = count;
        b.classes = classBuf;
        b.targets = yBuf;
        return b;
    }

    /**
     * The whole split, normalized, in split order: features [size, shape...] and labels as fed
     * [size, label shape...] (null without labels), new tensors the caller closes. Never augmented.
     */
    public TFloat32[] stage() {
        int n = size();
        TFloat32 xs = TFloat32.tensorOf(Shape.of(withBatch(n, sampleShape)));
        TFloat32 ys = null;
        try {
            ys = labelShape == null ? null : TFloat32.tensorOf(Shape.of(withBatch(n, labelShape)));
            var xOut = xs.asRawTensor().data().asFloats();
            var yOut = ys == null ? null : ys.asRawTensor().data().asFloats();
            Samples base = set.base();
            float[] x = base.x();
            int[] index = set.index();
            for (int from = 0; from < n; from += capacity) {
                int count = Math.min(capacity, n - from);
                for (int i = 0; i < count; i++) {
                    int s = index[from + i];
                    System.arraycopy(x, s * d, xBuf, i * d, d);
                    encodeLabel(base, s, i);
                }
                if (normalizer != null) normalizer.apply(xBuf, 0, count, d);
                xOut.offset((long) from * d).write(xBuf, 0, count * d);
                if (yOut != null) yOut.offset((long) from * labelWidth).write(yBuf, 0, count * labelWidth);
            }
            return new TFloat32[] {xs, ys};
        } catch (RuntimeException e) {
            xs.close();
            if (ys != null) ys.close();
            throw e;
        }
    }

    /** The features of a batch as normalized values (a copy), for inspection. */
    public float[] features(int count) { return java.util.Arrays.copyOf(xBuf, count * d); }

    /** The class labels of sample {@code s} (one, or one per step) into place {@code i} of the batch. */
    private void copyClasses(Samples base, int s, int i) {
        if (!base.hasClasses()) return;
        if (classesPerSample == 1) classBuf[i] = base.classes()[s];
        else System.arraycopy(base.classes(), s * classesPerSample, classBuf, i * classesPerSample, classesPerSample);
    }

    private void encodeLabel(Samples base, int s, int i) {
        if (labelShape == null) return;
        switch (labels.encoding()) {
            case ONEHOT: {
                int off = i * labelWidth;
                java.util.Arrays.fill(yBuf, off, off + labelWidth, 0f);
                yBuf[off + base.classes()[s]] = 1f;
                break;
            }
            case SPARSE:
            case BINARY: {
                int[] classes = base.classes();
                int off = i * labelWidth, from = s * labelWidth;
                for (int t = 0; t < labelWidth; t++) yBuf[off + t] = classes[from + t];
                break;
            }
            case REGRESSION:
                System.arraycopy(base.targets(), s * labelWidth, yBuf, i * labelWidth, labelWidth);
                break;
            default:
                break;
        }
    }

    private Batch allocate(int count) {
        TFloat32 x = TFloat32.tensorOf(Shape.of(withBatch(count, sampleShape)));
        TFloat32 y = labelShape == null ? null : TFloat32.tensorOf(Shape.of(withBatch(count, labelShape)));
        return new Batch(x, y);
    }

    private static long[] withBatch(int n, long[] shape) {
        long[] out = new long[shape.length + 1];
        out[0] = n;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    @Override public void close() {
        for (Batch b : tensors.values()) {
            b.x.close();
            if (b.y != null) b.y.close();
        }
        tensors.clear();
        for (Batch b : indexBatches.values()) if (b.positions != null) b.positions.close();
        indexBatches.clear();
    }
}
