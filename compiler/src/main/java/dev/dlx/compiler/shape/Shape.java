package dev.dlx.compiler.shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shape of one sample, without the batch dimension (Keras prints it as `(None, ...)`).
 * {@link #UNKNOWN} stands for a shape that could not be inferred after an error: layers pass it
 * on without further complaint, so one mistake gives one diagnostic.
 */
public final class Shape {
    public static final Shape UNKNOWN = new Shape(null);

    private final List<Dim> dims;

    private Shape(List<Dim> dims) { this.dims = dims == null ? null : List.copyOf(dims); }

    public static Shape of(List<Dim> dims) { return new Shape(dims); }
    public static Shape of(long... sizes) {
        return new Shape(Arrays.stream(sizes).mapToObj(Dim::of).toList());
    }

    public boolean isUnknown() { return dims == null; }
    public int rank() { return dims.size(); }
    public List<Dim> dims() { return dims; }
    public Dim dim(int i) { return dims.get(i < 0 ? dims.size() + i : i); }
    public Dim last() { return dims.get(dims.size() - 1); }

    /** Product of the dimensions, or -1 when one is unknown; saturates at Long.MAX_VALUE. */
    public long elements() {
        long n = 1;
        for (Dim d : dims) {
            if (!d.known()) return -1;
            n = saturatingMultiply(n, Math.max(1, d.size()));
        }
        return n;
    }

    public static long saturatingMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
    }

    public boolean fullyKnown() { return !isUnknown() && dims.stream().allMatch(Dim::known); }

    public Shape withLast(Dim d) {
        List<Dim> copy = new ArrayList<>(dims);
        copy.set(copy.size() - 1, d);
        return new Shape(copy);
    }

    public Shape without(int axis) {
        List<Dim> copy = new ArrayList<>(dims);
        copy.remove(axis);
        return new Shape(copy);
    }

    /** Equal where both are known; an unknown dimension matches anything. */
    public boolean compatible(Shape other) {
        if (isUnknown() || other.isUnknown()) return true;
        if (rank() != other.rank()) return false;
        for (int i = 0; i < rank(); i++) {
            Dim a = dims.get(i), b = other.dims.get(i);
            if (a.known() && b.known() && a.size() != b.size()) return false;
        }
        return true;
    }

    /** `[8, 8, 1]`, as shapes are written in dlx. */
    @Override public String toString() {
        if (dims == null) return "[unknown]";
        return dims.stream().map(Dim::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    /** `(None, 8, 8, 1)`, as Keras prints it with the batch dimension. */
    public String withBatch() {
        if (dims == null) return "?";
        StringBuilder s = new StringBuilder("(None");
        for (Dim d : dims) s.append(", ").append(d.known() ? Long.toString(d.size()) : "None");
        return s.append(')').toString();
    }

    @Override public boolean equals(Object o) {
        return o instanceof Shape s && java.util.Objects.equals(dims, s.dims);
    }

    @Override public int hashCode() { return java.util.Objects.hashCode(dims); }
}
