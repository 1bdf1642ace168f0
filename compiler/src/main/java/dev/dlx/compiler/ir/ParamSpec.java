package dev.dlx.compiler.ir;

import java.util.List;

/**
 * One weight tensor of a layer: its name within the layer, its shape, its role (declared by the
 * kind: see {@link WeightRole}) and whether training updates it (false for moving statistics and
 * for frozen layers). Parameter counts are derived from these, never written by hand.
 */
public record ParamSpec(String name, List<Long> shape, WeightRole role, boolean trainable) {
    public ParamSpec { shape = List.copyOf(shape); }

    /** A weight of {@code role}, trainable when the role is learned. */
    public static ParamSpec of(WeightRole role, String name, List<Long> shape) {
        return new ParamSpec(name, shape, role, role.learned());
    }

    public static ParamSpec of(WeightRole role, String name, long... shape) {
        return of(role, name, java.util.Arrays.stream(shape).boxed().toList());
    }

    /** The same weight, not updated by training (a frozen layer's). */
    public ParamSpec frozen() { return new ParamSpec(name, shape, role, false); }

    public long count() {
        long n = 1;
        for (long d : shape) n = dev.dlx.compiler.shape.Shape.saturatingMultiply(n, d);
        return n;
    }
}
