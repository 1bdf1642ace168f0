package dev.dlx.compiler.ir;

import java.util.List;

/** One weight tensor of a layer. Parameter counts are derived from these, never written by hand. */
public record ParamSpec(String name, List<Long> shape, boolean trainable) {
    public ParamSpec { shape = List.copyOf(shape); }

    public static ParamSpec trainable(String name, long... shape) {
        return new ParamSpec(name, java.util.Arrays.stream(shape).boxed().toList(), true);
    }

    public static ParamSpec frozen(String name, long... shape) {
        return new ParamSpec(name, java.util.Arrays.stream(shape).boxed().toList(), false);
    }

    public long count() {
        long n = 1;
        for (long d : shape) n = dev.dlx.compiler.shape.Shape.saturatingMultiply(n, d);
        return n;
    }
}
