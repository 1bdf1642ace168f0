package dev.dlx.compiler.schema;

import dev.dlx.compiler.diag.Span;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attribute values after binding: every attribute of the schema has a value (given or default),
 * except required ones that were missing (then {@link #complete()} is false).
 */
public final class Attrs {
    private final Map<String, Object> values;
    private final Map<String, Span> spans;
    private final Span owner;
    private final boolean complete;

    public Attrs(Map<String, Object> values, Map<String, Span> spans, Span owner, boolean complete) {
        this(Collections.unmodifiableMap(new LinkedHashMap<>(values)), Collections.unmodifiableMap(new LinkedHashMap<>(spans)), owner, complete, true);
    }

    /** Maps that are already private copies, unmodifiable. */
    private Attrs(Map<String, Object> values, Map<String, Span> spans, Span owner, boolean complete, boolean owned) {
        this.values = values;
        this.spans = spans;
        this.owner = owner;
        this.complete = complete;
    }

    /** False when a required attribute was missing or a value was invalid; shape inference then gives up quietly. */
    public boolean complete() { return complete; }

    public boolean given(String name) { return spans.containsKey(name); }
    public Object get(String name) { return values.get(name); }
    public int integer(String name) { return ((Number) values.get(name)).intValue(); }
    public double number(String name) { return ((Number) values.get(name)).doubleValue(); }
    public boolean flag(String name) { return Boolean.TRUE.equals(values.get(name)); }
    public String word(String name) { return (String) values.get(name); }

    @SuppressWarnings("unchecked")
    public List<Integer> sizes(String name) { return (List<Integer>) values.get(name); }

    @SuppressWarnings("unchecked")
    public <T> T as(String name) { return (T) values.get(name); }

    /** Where the attribute was written, or the owner's span for a default. */
    public Span span(String name) { return spans.getOrDefault(name, owner); }
    public Span owner() { return owner; }
    public Map<String, Object> values() { return values; }

    /** The same attributes with every span where {@code move} puts it (the text moved in a newer version of its file). */
    public Attrs relocated(java.util.function.UnaryOperator<Span> move) {
        Map<String, Object> v = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) v.put(e.getKey(), relocated(e.getValue(), move));
        Map<String, Span> s = new LinkedHashMap<>();
        for (Map.Entry<String, Span> e : spans.entrySet()) s.put(e.getKey(), move.apply(e.getValue()));
        return new Attrs(Collections.unmodifiableMap(v), Collections.unmodifiableMap(s), owner == null ? null : move.apply(owner), complete, true);
    }

    private static Object relocated(Object value, java.util.function.UnaryOperator<Span> move) {
        if (value instanceof Value v) return v.relocated(move);
        if (value instanceof Span s) return move.apply(s);
        if (value instanceof List<?> list) {
            for (Object x : list) {
                if (x instanceof Value || x instanceof Span || x instanceof List) return list.stream().map(y -> relocated(y, move)).toList();
            }
        }
        return value;
    }

    /** Given attributes in order, as written: `32 3 padding same`. */
    public Map<String, Span> givenSpans() { return spans; }
}
