package dev.dlx.compiler.shape;

import java.util.List;

/** How a convolution or pooling window is padded: a mode, or explicit amounts per axis. */
public record Padding(Mode mode, List<Integer> explicit) {
    public enum Mode { VALID, SAME, FULL, EXPLICIT }

    public static final Padding VALID = new Padding(Mode.VALID, List.of());
    public static final Padding SAME = new Padding(Mode.SAME, List.of());
    public static final Padding FULL = new Padding(Mode.FULL, List.of());

    public static Padding explicit(List<Integer> perAxis) { return new Padding(Mode.EXPLICIT, List.copyOf(perAxis)); }

    /** Explicit padding on one axis (the same before and after); a single value applies to all axes. */
    public int explicitAt(int axis) {
        return explicit.size() == 1 ? explicit.get(0) : explicit.get(axis);
    }

    @Override public String toString() {
        return mode == Mode.EXPLICIT ? explicit.toString() : mode.name().toLowerCase();
    }
}
