package dev.dlx.compiler.shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Receptive field per spatial axis: {@code R_k = R_{k-1} + d(F_k - 1) J_{k-1}}, {@code J_k = J_{k-1} S_k}
 * (the cheatsheet's {@code R_k = 1 + sum (F_j - 1) prod S_i}). {@code whole} marks layers that see
 * the whole input (after flatten, dense, global pooling).
 */
public record ReceptiveField(List<Long> size, List<Long> jump, boolean whole) {
    public static final ReceptiveField NONE = new ReceptiveField(List.of(), List.of(), false);
    public static final ReceptiveField WHOLE = new ReceptiveField(List.of(), List.of(), true);

    public static ReceptiveField unit(int axes) {
        return new ReceptiveField(Collections.nCopies(axes, 1L), Collections.nCopies(axes, 1L), false);
    }

    public boolean spatial() { return !size.isEmpty() && !whole; }

    /** After a window of {@code kernel} with {@code stride} and {@code dilation} on each axis. */
    public ReceptiveField window(List<Integer> kernel, List<Integer> stride, List<Integer> dilation) {
        if (!spatial() || kernel.size() != size.size()) return this;
        List<Long> r = new ArrayList<>(), j = new ArrayList<>();
        for (int i = 0; i < size.size(); i++) {
            r.add(size.get(i) + (long) dilation.get(i) * (kernel.get(i) - 1) * jump.get(i));
            j.add(jump.get(i) * stride.get(i));
        }
        return new ReceptiveField(r, j, false);
    }

    /** Upsampling by an integer factor shrinks the step between neighbouring outputs. */
    public ReceptiveField upsample(List<Integer> factor) {
        if (!spatial() || factor.size() != size.size()) return this;
        List<Long> j = new ArrayList<>();
        for (int i = 0; i < jump.size(); i++) j.add(Math.max(1, jump.get(i) / factor.get(i)));
        return new ReceptiveField(size, j, false);
    }

    /** Where branches meet, the field is the largest of theirs. */
    public static ReceptiveField merge(List<ReceptiveField> fields) {
        ReceptiveField best = null;
        for (ReceptiveField f : fields) {
            if (f.whole) return WHOLE;
            if (!f.spatial()) continue;
            if (best == null || best.size.size() != f.size.size()) { best = f; continue; }
            List<Long> r = new ArrayList<>(), j = new ArrayList<>();
            for (int i = 0; i < f.size.size(); i++) {
                r.add(Math.max(best.size.get(i), f.size.get(i)));
                j.add(Math.max(best.jump.get(i), f.jump.get(i)));
            }
            best = new ReceptiveField(r, j, false);
        }
        return best == null ? NONE : best;
    }

    @Override public String toString() {
        if (whole) return "all";
        if (size.isEmpty()) return "-";
        if (size.stream().distinct().count() == 1) {
            long r = size.get(0);
            return size.size() == 1 ? Long.toString(r) : size.stream().map(String::valueOf).collect(Collectors.joining("x"));
        }
        return size.stream().map(String::valueOf).collect(Collectors.joining("x"));
    }
}
