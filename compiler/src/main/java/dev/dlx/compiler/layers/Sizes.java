package dev.dlx.compiler.layers;

import java.util.Collections;
import java.util.List;

/**
 * A size per spatial axis as written: one for every axis (`3`) or one each (`3x5`). Which it
 * must be depends on the input's rank, known only at shape inference: {@link #fits} says whether
 * it suits that many axes and {@link #on} gives one size per axis.
 */
public record Sizes(List<Integer> written) {
    public Sizes {
        written = List.copyOf(written);
        if (written.isEmpty()) throw new IllegalArgumentException("no sizes");
    }

    public static Sizes of(Integer... sizes) { return new Sizes(List.of(sizes)); }

    /** Whether these sizes can apply to {@code axes} spatial axes. */
    public boolean fits(int axes) { return written.size() == 1 || written.size() == axes; }

    /** One size per axis (the single written size repeated, or the written list). */
    public List<Integer> on(int axes) { return written.size() == 1 ? Collections.nCopies(axes, written.get(0)) : written; }

    @Override public String toString() {
        return String.join("x", written.stream().map(String::valueOf).toList());
    }
}
