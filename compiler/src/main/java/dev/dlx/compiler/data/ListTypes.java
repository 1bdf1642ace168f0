package dev.dlx.compiler.data;

import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.schema.Value;
import java.util.List;

/** Attribute types that collect several values: `features 0..3 5 7..9`, `names "a" "b"`. */
final class ListTypes {
    private ListTypes() {}

    /**
     * Column numbers, header names and inclusive ranges of either; a number or a range of numbers
     * converts to a list of indices, a name to a {@link ColumnRef} resolved later against the
     * header. The binder collects them.
     */
    static final Type COLUMNS = new Type("column numbers, header names in quotes, or ranges such as `0..63`") {
        @Override public Object convert(Value v) {
            if (v instanceof Value.Str s) return new ColumnRef.Name(s.value(), s.span());
            if (v instanceof Value.RangeV r && r.low() instanceof Value.Str a && r.high() instanceof Value.Str b) {
                return new ColumnRef.NameRange(new ColumnRef.Name(a.value(), a.span()), new ColumnRef.Name(b.value(), b.span()), r.span());
            }
            if (v instanceof Value.Num n && n.integral() && !n.percent() && !n.degrees() && n.value() >= 0) {
                return List.of((int) n.value());
            }
            if (v instanceof Value.RangeV r && r.low() instanceof Value.Num a && r.high() instanceof Value.Num b
                    && a.integral() && b.integral() && a.value() >= 0 && a.value() <= b.value()
                    && b.value() - a.value() < 1_000_000) {
                return Type.COLUMNS.convert(v);
            }
            return MISMATCH;
        }
        @Override public boolean isList() { return true; }
    };

    /** Several strings in quotes. */
    static final Type STRINGS = new Type("strings in quotes") {
        @Override public Object convert(Value v) { return v instanceof Value.Str s ? s.value() : MISMATCH; }
        @Override public boolean isList() { return true; }
    };

    /**
     * The lists a list-typed attribute collected, joined: [[0..63], [70]] -> [0, ..., 63, 70];
     * header names are left as {@link ColumnRef}s (see {@link #columns(Object)} for numbers only).
     */
    @SuppressWarnings("unchecked")
    static List<Object> columnRefs(Object collected) {
        if (collected == null) return List.of();
        return ((List<Object>) collected).stream()
            .flatMap(o -> o instanceof List<?> l ? ((List<Object>) l).stream() : java.util.stream.Stream.of(o))
            .toList();
    }

    /** The column numbers a list-typed attribute collected, joined: [[0..63], [70]] -> [0, ..., 63, 70]. */
    static List<Integer> columns(Object collected) {
        return columnRefs(collected).stream().filter(o -> o instanceof Integer).map(o -> (Integer) o).toList();
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Object collected) {
        return collected == null ? List.of() : List.copyOf((List<String>) collected);
    }
}
