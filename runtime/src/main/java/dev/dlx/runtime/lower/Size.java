package dev.dlx.runtime.lower;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * The length of one axis for a reshape: known when building the graph, or read from a tensor's
 * shape at run time (the batch, a `?` sequence length). Reshaping to a list of sizes keeps every
 * known size in TensorFlow's static shape.
 */
record Size(long known, Operand<TInt32> dynamic) {

    static Size of(long n) { return new Size(n, null); }

    /** Axis {@code axis} of {@code x} (counting the batch as axis 0): static when TensorFlow knows it. */
    static Size of(Ops tf, Operand<?> x, int axis) {
        org.tensorflow.ndarray.Shape s = x.shape();
        if (!s.isUnknown() && s.get(axis) >= 0) return of(s.get(axis));
        Operand<TInt32> shape = tf.shape(x);
        return new Size(-1, tf.stridedSlice(shape, Indices.at(axis)));
    }

    boolean isKnown() { return dynamic == null; }

    Size times(Ops tf, Size other) {
        if (isKnown() && other.isKnown()) return of(known * other.known);
        return new Size(-1, tf.math.mul(operand(tf), other.operand(tf)));
    }

    Operand<TInt32> operand(Ops tf) { return isKnown() ? tf.constant(Math.toIntExact(known)) : dynamic; }

    /** Every axis of {@code x}. */
    static List<Size> all(Ops tf, Operand<?> x) {
        List<Size> out = new ArrayList<>();
        for (int i = 0; i < x.shape().numDimensions(); i++) out.add(of(tf, x, i));
        return out;
    }

    /** Reshapes {@code x} to {@code sizes}. */
    static <T extends TType> Operand<T> reshape(Ops tf, Operand<T> x, List<Size> sizes) {
        long dynamic = sizes.stream().filter(s -> !s.isKnown()).count();
        boolean inferred = sizes.stream().anyMatch(s -> s.isKnown() && s.known < 0);
        if (dynamic == 1 && !inferred) {
            // TensorFlow infers the one size it cannot know: a constant shape keeps the others static
            sizes = sizes.stream().map(s -> s.isKnown() ? s : of(-1)).toList();
        }
        if (sizes.stream().allMatch(Size::isKnown)) {
            int[] dims = new int[sizes.size()];
            for (int i = 0; i < dims.length; i++) dims[i] = Math.toIntExact(sizes.get(i).known);
            return tf.reshape(x, tf.constant(dims));
        }
        List<Operand<TInt32>> parts = new ArrayList<>();
        for (Size s : sizes) parts.add(s.operand(tf));
        return tf.reshape(x, tf.stack(parts));
    }

    /** Reshapes {@code x} to the batch of {@code x} followed by {@code dims}; one dimension may be -1. */
    static <T extends TType> Operand<T> reshapeKeepingBatch(Ops tf, Operand<T> x, long... dims) {
        boolean inferred = false;
        for (long d : dims) inferred |= d < 0;
        List<Size> sizes = new ArrayList<>();
        sizes.add(inferred ? of(tf, x, 0) : of(-1));
        for (long d : dims) sizes.add(of(d));
        return reshape(tf, x, sizes);
    }
}
