package dev.dlx.compiler.schema;

import dev.dlx.compiler.diag.Span;
import java.util.List;
import java.util.stream.Collectors;

/** An evaluated argument, with the span of the text it came from. */
public sealed interface Value {
    Span span();

    /** The same value with its spans where {@code move} puts them (the text moved in a newer version of its file). */
    default Value relocated(java.util.function.UnaryOperator<Span> move) {
        if (this instanceof Num n) return new Num(n.value(), n.integral(), n.percent(), n.degrees(), move.apply(n.span()));
        if (this instanceof Str s) return new Str(s.value(), move.apply(s.span()));
        if (this instanceof Word w) return new Word(w.value(), move.apply(w.span()));
        if (this instanceof Sizes s) return new Sizes(s.sizes(), move.apply(s.span()));
        if (this instanceof ShapeV s) return new ShapeV(s.dims(), move.apply(s.span()));
        if (this instanceof RangeV r) return new RangeV(r.low().relocated(move), r.high().relocated(move), move.apply(r.span()));
        TensorRef t = (TensorRef) this;
        return new TensorRef(t.name(), move.apply(t.span()));
    }

    /** A number; {@code integral} when written as a whole number, {@code percent} for `70%`, {@code degrees} for `10deg`. */
    record Num(double value, boolean integral, boolean percent, boolean degrees, Span span) implements Value {
        /** The number as a fraction: 70% is 0.7. */
        public double fraction() { return percent ? value / 100.0 : value; }
        @Override public String toString() {
            String base = integral && Math.abs(value) < 1e15 ? Long.toString((long) value) : trim(value);
            return base + (percent ? "%" : degrees ? "deg" : "");
        }
    }

    record Str(String value, Span span) implements Value {
        @Override public String toString() { return "\"" + value + "\""; }
    }

    /** A bare word such as `same`, `relu`, `true`, or a dotted name such as `digits.test`. */
    record Word(String value, Span span) implements Value {
        @Override public String toString() { return value; }
    }

    /** 3x3 */
    record Sizes(List<Integer> sizes, Span span) implements Value {
        @Override public String toString() { return sizes.stream().map(String::valueOf).collect(Collectors.joining("x")); }
    }

    /** [8, 8, 1]; -1 stands for `?`. */
    record ShapeV(List<Long> dims, Span span) implements Value {
        @Override public String toString() {
            return dims.stream().map(d -> d < 0 ? "?" : String.valueOf(d)).collect(Collectors.joining(", ", "[", "]"));
        }
    }

    record RangeV(Value low, Value high, Span span) implements Value {
        @Override public String toString() { return low + ".." + high; }
    }

    /** A tensor passed where a value was expected (only merges and block calls take these). */
    record TensorRef(String name, Span span) implements Value {
        @Override public String toString() { return name; }
    }

    static String trim(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        String s = Double.toString(v);
        return s.contains("E") ? String.format("%g", v).replaceAll("0+e", "e") : s;
    }

    /** Words used in messages: "a number", "a string", ... */
    static String kindOf(Value v) {
        if (v instanceof Num n) return n.integral() ? "whole number `" + n + "`" : "number `" + n + "`";
        if (v instanceof Str s) return "string " + s;
        if (v instanceof Word w) return "`" + w + "`";
        if (v instanceof Sizes s) return "size `" + s + "`";
        if (v instanceof ShapeV s) return "shape `" + s + "`";
        if (v instanceof RangeV r) return "range `" + r + "`";
        return "tensor `" + ((TensorRef) v).name() + "`";
    }
}
