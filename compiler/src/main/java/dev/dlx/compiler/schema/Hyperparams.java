package dev.dlx.compiler.schema;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The values a compilation gives the names its `search` block declares (`param lr loguniform
 * 1e-4..1e-2`): where an attribute takes a number or a word, the name stands for its value
 * (`optimizer adam lr lr`, `dense width`). One compilation binds them for its whole duration, on
 * its own thread; {@link #resolve} is how the binder reads them, and records which names were read.
 */
public final class Hyperparams {
    private record Scope(Map<String, Value> values, Set<String> used) {}

    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private Hyperparams() {}

    /** Runs {@code body} with {@code values} bound; {@code used} receives each name an attribute read. */
    public static <T> T within(Map<String, Value> values, Set<String> used, Supplier<T> body) {
        Scope outer = CURRENT.get();
        CURRENT.set(new Scope(Map.copyOf(values), used));
        try {
            return body.get();
        } finally {
            if (outer == null) CURRENT.remove();
            else CURRENT.set(outer);
        }
    }

    /** Runs {@code body} with {@code values} bound, not recording uses. */
    public static <T> T within(Map<String, Value> values, Supplier<T> body) {
        return within(values, new LinkedHashSet<>(), body);
    }

    /** The bound value of a word that names a search parameter, at the word's place; any other value as it is. */
    public static Value resolve(Value v) {
        Scope scope = CURRENT.get();
        if (scope == null || !(v instanceof Value.Word w) || w.value().contains(".")) return v;
        Value bound = scope.values().get(w.value());
        if (bound == null) return v;
        scope.used().add(w.value());
        return at(bound, w.span());
    }

    /** {@code v} as if written at {@code span}. */
    static Value at(Value v, dev.dlx.compiler.diag.Span span) {
        if (v instanceof Value.Num n) return new Value.Num(n.value(), n.integral(), n.percent(), n.degrees(), span);
        if (v instanceof Value.Word w) return new Value.Word(w.value(), span);
        if (v instanceof Value.Str s) return new Value.Str(s.value(), span);
        return v;
    }
}
