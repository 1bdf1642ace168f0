package dev.dlx.runtime.data;

import java.util.Arrays;

/** A growable float array (the data are read before their count is known). */
final class FloatList {
    private float[] values;
    private int size;

    FloatList(int capacity) { values = new float[Math.max(16, capacity)]; }

    void add(float v) {
        if (size == values.length) grow(size + 1);
        values[size++] = v;
    }

    void ensure(int extra) { if (size + extra > values.length) grow(size + extra); }

    private void grow(int needed) {
        long next = Math.max(needed, (long) values.length * 2);
        if (next > Integer.MAX_VALUE - 8) next = Integer.MAX_VALUE - 8;
        if (next < needed) throw new OutOfMemoryError("more than 2^31 values");
        values = Arrays.copyOf(values, (int) next);
    }

    int size() { return size; }

    float[] toArray() { return size == values.length ? values : Arrays.copyOf(values, size); }
}
