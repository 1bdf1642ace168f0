package dev.dlx.compiler.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * The type of an attribute, and how a written value converts to it. A conversion that fails
 * returns {@link #MISMATCH}; the binder then reports "expected ..., found ...".
 */
public abstract class Type {
    public static final Object MISMATCH = new Object();

    private final String description;

    protected Type(String description) { this.description = description; }

    /** Words for messages: "a whole number", "`valid`, `same` or `full`". */
    public String description() { return description; }

    public abstract Object convert(Value v);

    /** Whether a bare keyword with no value means `true` (flags such as `return_sequences`). */
    public boolean isFlag() { return false; }

    /** Whether the attribute takes every value up to the next attribute name (`metrics accuracy f1`). */
    public boolean isList() { return false; }

    public static final Type INT = new Type("a whole number") {
        @Override public Object convert(Value v) {
            return v instanceof Value.Num n && n.integral() && !n.percent() && !n.degrees() ? (int) n.value() : MISMATCH;
        }
    };

    public static final Type FLOAT = new Type("a number") {
        @Override public Object convert(Value v) {
            return v instanceof Value.Num n && !n.degrees() ? n.fraction() : MISMATCH;
        }
    };

    public static final Type ANGLE = new Type("an angle such as `15deg`") {
        @Override public Object convert(Value v) {
            return v instanceof Value.Num n && !n.percent() ? n.value() : MISMATCH;
        }
    };

    public static final Type BOOL = new Type("`true` or `false`") {
        @Override public Object convert(Value v) {
            if (v instanceof Value.Word w && w.value().equals("true")) return true;
            if (v instanceof Value.Word w && w.value().equals("false")) return false;
            return MISMATCH;
        }
        @Override public boolean isFlag() { return true; }
    };

    public static final Type STRING = new Type("a string in quotes") {
        @Override public Object convert(Value v) { return v instanceof Value.Str s ? s.value() : MISMATCH; }
    };

    public static final Type NAME = new Type("a name") {
        @Override public Object convert(Value v) { return v instanceof Value.Word w ? w.value() : MISMATCH; }
    };

    /** Several names: `metrics accuracy, f1` or `freeze conv_1 conv_2`. */
    public static final Type NAMES = new Type("one or more names") {
        @Override public Object convert(Value v) { return v instanceof Value.Word w ? w.value() : MISMATCH; }
        @Override public boolean isList() { return true; }
    };

    /** A window or factor per spatial axis: `3` (every axis) or `3x5`. Converted to a list. */
    public static final Type SIZES = new Type("a size such as `3` or `3x3`") {
        @Override public Object convert(Value v) {
            if (v instanceof Value.Num n && n.integral() && !n.percent() && !n.degrees()) return List.of((int) n.value());
            if (v instanceof Value.Sizes s) return s.sizes();
            return MISMATCH;
        }
    };

    public static final Type SHAPE = new Type("a shape such as `[8, 8, 1]`") {
        @Override public Object convert(Value v) { return v instanceof Value.ShapeV s ? s.dims() : MISMATCH; }
    };

    /** A range of numbers `lo..hi`, as a two-element double array; a single number x means x..x. */
    public static final Type NUMBER_RANGE = new Type("a range such as `0.8..1.2`") {
        @Override public Object convert(Value v) {
            if (v instanceof Value.RangeV r && r.low() instanceof Value.Num a && r.high() instanceof Value.Num b) {
                return new double[] {a.fraction(), b.fraction()};
            }
            if (v instanceof Value.Num n) return new double[] {n.fraction(), n.fraction()};
            return MISMATCH;
        }
    };

    /** Columns: `3`, `0..63` (inclusive) as a list of indices. */
    public static final Type COLUMNS = new Type("a column number or range such as `0..63`") {
        @Override public Object convert(Value v) {
            if (v instanceof Value.Num n && n.integral()) return List.of((int) n.value());
            if (v instanceof Value.RangeV r && r.low() instanceof Value.Num a && r.high() instanceof Value.Num b
                    && a.integral() && b.integral() && a.value() <= b.value() && b.value() - a.value() < 10_000_000) {
                List<Integer> cols = new ArrayList<>();
                for (int i = (int) a.value(); i <= (int) b.value(); i++) cols.add(i);
                return cols;
            }
            return MISMATCH;
        }
    };

    /** One of a fixed set of words. */
    public static Type choice(String... words) {
        List<String> options = List.of(words);
        return new Type(Suggest.list(options)) {
            @Override public Object convert(Value v) {
                return v instanceof Value.Word w && options.contains(w.value()) ? w.value() : MISMATCH;
            }
            @Override public List<String> choices() { return options; }
        };
    }

    /** Padding: `valid`, `same`, `full`, or explicit amounts `1` / `1x2`. */
    public static final Type PADDING = new Type("`valid`, `same`, `full` or an amount such as `1`") {
        @Override public Object convert(Value v) {
            if (v instanceof Value.Word w) {
                return switch (w.value()) {
                    case "valid" -> dev.dlx.compiler.shape.Padding.VALID;
                    case "same" -> dev.dlx.compiler.shape.Padding.SAME;
                    case "full" -> dev.dlx.compiler.shape.Padding.FULL;
                    default -> MISMATCH;
                };
            }
            Object sizes = SIZES.convert(v);
            if (sizes == MISMATCH) return MISMATCH;
            @SuppressWarnings("unchecked") List<Integer> amounts = (List<Integer>) sizes;
            return dev.dlx.compiler.shape.Padding.explicit(amounts);
        }
        @Override public List<String> choices() { return List.of("valid", "same", "full"); }
    };

    /** The words a choice accepts, for did-you-mean; empty for open types. */
    public List<String> choices() { return List.of(); }
}
