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
 * every batch of that size; {@link #prefetch} makes each next batch on a background thread while
 * the graph trains on the current one. Labels are encoded as the loss wants them: one-hot rows,
 * class indices (one per sample, or [T] per sample for labels at every step), 0/1 in one column, or
 * regression targets. Used from one thread; close it to free the tensors and the background thread.
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
    /** Host buffers of a batch: the one being handed out, and a spare that the next batch is made in ahead of time. */
    private Host host;
    private Host spare;
    private java.util.concurrent.ExecutorService ahead;
    private final Map<Integer, Batch> tensors = new HashMap<>();
    private final Map<Integer, Batch> indexBatches = new HashMap<>();
    private final int capacity;
    /** Parts fed with every batch of this one, in order (see {@link #withParts}). */
    private final java.util.List<BatchFeeder> parts = new java.util.ArrayList<>();

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
            case BOXES:
                labelWidth = labels.targets() * dev.dlx.compiler.data.LabelSpec.BOX_VALUES;
                labelShape = new long[] {labels.targets(), dev.dlx.compiler.data.LabelSpec.BOX_VALUES};
                break;
            default: labelWidth = 0; labelShape = null;
        }
        if (enc != LabelSpec.Encoding.NONE && enc != LabelSpec.Encoding.REGRESSION && enc != LabelSpec.Encoding.BOXES && !base.hasClasses()) {
            throw new IllegalArgumentException("the samples have no class labels");
        }
        this.classesPerSample = Math.max(1, base.classesPerSample());
        if (enc == LabelSpec.Encoding.SPARSE && classesPerSample != labelWidth) {
            throw new IllegalArgumentException("the labels are " + Samples.shapeText(new int[] {labelWidth}) + " per sample, but the samples have "
                + classesPerSample + " class" + (classesPerSample == 1 ? "" : "es") + " each");
        }
        this.host = new Host(this.capacity, d, labelWidth, classesPerSample);
    }

    /**
     * Feeds {@code more} with every batch of this feeder, the same samples in the same order: for a
     * model with several inputs or outputs, this feeder makes the first input (with the first
     * output's labels) and the parts the other inputs' features and the other outputs' labels, in
     * the order given. Each part's batch is in {@link Batch#parts}. The parts are closed with this one.
     */
    public BatchFeeder withParts(java.util.List<BatchFeeder> more) {
        for (BatchFeeder p : more) {
            if (p.size() != size()) throw new IllegalArgumentException("a part of " + p.size() + " samples for " + size());
            if (p.capacity() < capacity) throw new IllegalArgumentException("a part of capacity " + p.capacity() + " for " + capacity);
        }
        parts.addAll(more);
        return this;
    }

    public java.util.List<BatchFeeder> parts() { return java.util.List.copyOf(parts); }

    /** What changes the samples a feeder's positions stand for at the start of each epoch (pairs drawn anew), or null. */
    private java.util.function.IntConsumer epochs;

    /** Runs {@code redraw} with the epoch's index (from 0) at the start of every training epoch; returns this feeder. */
    public BatchFeeder onEpoch(java.util.function.IntConsumer redraw) {
        this.epochs = redraw;
        return this;
    }

    /** Called before the batches of epoch {@code epoch} (from 0) are made. */
    public void startEpoch(int epoch) {
        if (epochs != null) epochs.accept(epoch);
    }

    public SampleSet set() { return set; }
    public int size() { return set.size(); }
    /** The largest batch it makes. */
    public int capacity() { return capacity; }
    public boolean hasLabels() { return labelShape != null; }
    /** Whether batches are augmented (then every batch differs, and the split cannot be staged once). */
    public boolean augments() { return augmenter != null || parts.stream().anyMatch(BatchFeeder::augments); }
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
        /** The batches of the feeder's parts, in order (empty without parts). */
        public java.util.List<Batch> parts = java.util.List.of();

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
        fill(host, order, start, count, random);
        return withPartBatches(publish(host, count), order, start, count, random);
    }

    /** The parts' batches of the same samples; each part draws its augmentations from its own stream, derived from {@code random}. */
    private Batch withPartBatches(Batch b, int[] order, int start, int count, Random random) {
        if (parts.isEmpty()) return b;
        java.util.List<Batch> out = new java.util.ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            Random own = random == null ? null : new Random(random.nextLong() ^ (0x9E3779B97F4A7C15L * (k + 1)));
            out.add(parts.get(k).batch(order, start, count, own));
        }
        b.parts = out;
        return b;
    }

    /** Gathers, augments, encodes and normalizes a batch into host buffers (the work a background thread can do). */
    private void fill(Host h, int[] order, int start, int count, Random random) {
        Samples base = set.base();
        float[] x = base.x();
        int[] index = set.index();
        for (int i = 0; i < count; i++) {
            int s = index[order == null ? start + i : order[start + i]];
            System.arraycopy(x, s * d, h.x, i * d, d);
            if (augmenter != null && random != null) augmenter.apply(h.x, i * d, random);
            copyClasses(h, base, s, i);
            encodeLabel(h, base, s, i);
            if (augmenter != null && random != null && labels != null && labels.isBoxes()) augmenter.moveBoxes(h.y, i * labelWidth, labels.targets());
        }
        if (normalizer != null) normalizer.apply(h.x, 0, count, d);
    }

    /** Copies a filled batch into its tensors (one bulk copy each). */
    private Batch publish(Host h, int count) {
        Batch b = tensors.computeIfAbsent(count, this::allocate);
        b.x.asRawTensor().data().asFloats().write(h.x, 0, count * d);
        if (b.y != null) b.y.asRawTensor().data().asFloats().write(h.y, 0, count * labelWidth);
        b.count = count;
        b.classes = h.classes;
        b.targets = h.y;
        return b;
    }

    /**
     * The batches {@code first .. batches-1} of one epoch in {@code order}, each made on a background
     * thread while the caller trains on the one before (gathering, augmentation with
     * {@code randoms.apply(b)}, label encoding and normalization overlap the graph's step). The
     * batches are those {@link #batch} would make. Close it when the epoch ends early.
     */
    public Prefetch prefetch(int[] order, int batchSize, int first, int batches, java.util.function.IntFunction<Random> randoms) {
        if (batchSize > capacity) throw new IllegalArgumentException("batch of " + batchSize + " above capacity " + capacity);
        if (ahead == null) {
            ahead = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "dlx-batches");
                t.setDaemon(true);
                return t;
            });
        }
        if (spare == null) spare = new Host(capacity, d, labelWidth, classesPerSample);
        return new Prefetch(order, batchSize, first, batches, randoms);
    }

    /** One epoch's batches made ahead; see {@link #prefetch}. */
    public final class Prefetch implements AutoCloseable {
        private final int[] order;
        private final int batchSize;
        private final int batches;
        private final java.util.function.IntFunction<Random> randoms;
        private int next;
        private java.util.concurrent.Future<Host> pending;

        private Prefetch(int[] order, int batchSize, int first, int batches, java.util.function.IntFunction<Random> randoms) {
            this.order = order;
            this.batchSize = batchSize;
            this.batches = batches;
            this.randoms = randoms;
            this.next = first;
            if (first < batches) pending = submit(first, spare);
        }

        private int count(int b) { return Math.min(batchSize, size() - b * batchSize); }

        private java.util.concurrent.Future<Host> submit(int b, Host into) {
            return ahead.submit(() -> {
                fill(into, order, b * batchSize, count(b), randoms.apply(b));
                return into;
            });
        }

        /** The next batch (its tensors valid until the next call). */
        public Batch next() {
            if (pending == null) throw new java.util.NoSuchElementException("no batch after " + batches);
            Host ready;
            try {
                ready = pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while a batch was made", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException(e.getCause());
            }
            int b = next++;
            // the buffers handed out last become the spare the batch after this one is made in
            Host free = host;
            host = ready;
            spare = free;
            pending = next < batches ? submit(next, free) : null;
            return withPartBatches(publish(ready, count(b)), order, b * batchSize, count(b), parts.isEmpty() ? null : randoms.apply(b));
        }

        /** Waits for a batch still being made, so that the feeder's buffers are free again. */
        @Override public void close() {
            if (pending == null) return;
            try {
                pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                // the epoch ended before this batch was needed
            }
            pending = null;
        }
    }

    /** A batch's worth of features, encoded labels and class indices on the host. */
    private static final class Host {
        final float[] x;
        final float[] y;
        final int[] classes;

        Host(int capacity, int d, int labelWidth, int classesPerSample) {
            this.x = new float[Math.multiplyExact(capacity, d)];
            this.y = new float[capacity * Math.max(1, labelWidth)];
            this.classes = new int[capacity * classesPerSample];
        }
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
            copyClasses(host, base, s, i);
            encodeLabel(host, base, s, i);
        }
        b.positions.asRawTensor().data().asInts().write(where);
        b.count = count;
        b.classes = host.classes;
        b.targets = host.y;
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
                    System.arraycopy(x, s * d, host.x, i * d, d);
                    encodeLabel(host, base, s, i);
                }
                if (normalizer != null) normalizer.apply(host.x, 0, count, d);
                xOut.offset((long) from * d).write(host.x, 0, count * d);
                if (yOut != null) yOut.offset((long) from * labelWidth).write(host.y, 0, count * labelWidth);
            }
            return new TFloat32[] {xs, ys};
        } catch (RuntimeException e) {
            xs.close();
            if (ys != null) ys.close();
            throw e;
        }
    }

    /** The features of a batch as normalized values (a copy), for inspection. */
    public float[] features(int count) { return java.util.Arrays.copyOf(host.x, count * d); }

    /** The class labels of sample {@code s} (one, or one per step) into place {@code i} of the batch. */
    private void copyClasses(Host h, Samples base, int s, int i) {
        if (!base.hasClasses()) return;
        if (classesPerSample == 1) h.classes[i] = base.classes()[s];
        else System.arraycopy(base.classes(), s * classesPerSample, h.classes, i * classesPerSample, classesPerSample);
    }

    private void encodeLabel(Host h, Samples base, int s, int i) {
        float[] yBuf = h.y;
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
            case BOXES:
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
        if (ahead != null) ahead.shutdownNow();
        parts.forEach(BatchFeeder::close);
    }
}
