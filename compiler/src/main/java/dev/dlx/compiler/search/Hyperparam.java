package dev.dlx.compiler.search;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One `param` of a search: a name and the values it may take. A range's values are reached from
 * a position u in [0, 1] (uniform: low + u·(high − low); loguniform: the same on the logarithm; int:
 * rounded), so that every strategy draws in the unit cube and the distribution lives here.
 *
 * @param low        range kinds: the lower bound (inclusive); choice: 0
 * @param high       range kinds: the upper bound (inclusive); choice: the number of choices − 1
 * @param choices    choice: the values in order; ranges: empty
 * @param given      the value written after `default`, or null
 * @param steps      points per range on a grid (`steps N`, default 3)
 */
public record Hyperparam(String name, Kind kind, double low, double high, List<Value> choices, Value given, int steps, Span span) {

    /** How the values are spread. */
    public enum Kind {
        UNIFORM("LOW..HIGH", "a number spread evenly between the bounds"),
        LOGUNIFORM("LOW..HIGH", "a number spread evenly on the log scale between the bounds (LOW > 0), as for learning rates"),
        INT("LOW..HIGH", "a whole number between the bounds"),
        CHOICE("V1, V2, ...", "one of the listed numbers or words");

        private final String values;
        private final String doc;

        Kind(String values, String doc) {
            this.values = values;
            this.doc = doc;
        }

        public String word() { return name().toLowerCase(Locale.ROOT); }

        /** `param NAME loguniform LOW..HIGH` */
        public String usage() { return "param NAME " + word() + " " + values; }

        public String doc() { return doc; }

        public static Optional<Kind> byWord(String w) {
            for (Kind k : values()) if (k.word().equals(w)) return Optional.of(k);
            return Optional.empty();
        }

        public static List<String> words() { return java.util.Arrays.stream(values()).map(Kind::word).toList(); }
    }

    public static final int DEFAULT_STEPS = 3;

    /** The words after a parameter's values, with their meaning. */
    public static final java.util.Map<String, String> OPTIONS = java.util.Map.of(
        "default", "`default V` after a search parameter's values: the value of a plain `dlxc run` or `check` "
            + "(without it: the first choice, or a range's (geometric) middle)",
        "steps", "`steps N` after a search parameter's range: how many points of the range a `grid` takes (3 by default)");

    /**
     * The value of a plain `dlxc run` or `check`: the `default` when written, else the first choice,
     * the middle of a uniform range, the geometric middle of a loguniform one, the rounded middle of an int one.
     */
    public Value defaultValue() {
        if (given != null) return given;
        return kind == Kind.CHOICE ? choices.get(0) : at(0.5);
    }

    /** The value at position {@code u} in [0, 1]. */
    public Value at(double u) {
        double x = Math.min(1, Math.max(0, u));
        return switch (kind) {
            case UNIFORM -> number(low + x * (high - low));
            case LOGUNIFORM -> number(Math.exp(Math.log(low) + x * (Math.log(high) - Math.log(low))));
            case INT -> whole(Math.round(low + x * (high - low)));
            case CHOICE -> choices.get((int) Math.min(choices.size() - 1, Math.floor(x * choices.size())));
        };
    }

    /** {@code v} as its text reads back ({@link #text}, {@link #parse}): the value a trial given it as text trains with. */
    public Value rounded(Value v) {
        return parse(text(v)).orElse(v);
    }

    /** The position in [0, 1] of a value of this parameter (choice: the middle of its cell); NaN when it is none of its values. */
    public double position(Value v) {
        if (kind == Kind.CHOICE) {
            for (int i = 0; i < choices.size(); i++) if (same(choices.get(i), v)) return (i + 0.5) / choices.size();
            return Double.NaN;
        }
        if (!(v instanceof Value.Num n)) return Double.NaN;
        double x = n.value();
        if (kind == Kind.LOGUNIFORM) return x <= 0 ? Double.NaN : (Math.log(x) - Math.log(low)) / (Math.log(high) - Math.log(low));
        return high == low ? 0.5 : (x - low) / (high - low);
    }

    /** The values a grid takes: every choice, or {@code steps} evenly spaced points of a range (on the log scale for loguniform). */
    public List<Value> gridValues() {
        if (kind == Kind.CHOICE) return choices;
        List<Value> out = new ArrayList<>();
        int n = kind == Kind.INT ? (int) Math.min(steps, high - low + 1) : steps;
        for (int i = 0; i < n; i++) {
            Value v = at(n == 1 ? 0.5 : (double) i / (n - 1));
            if (out.stream().noneMatch(o -> same(o, v))) out.add(v);
        }
        return out;
    }

    /** The values the checker tries for a strategy that samples: every choice, or a range's two ends. */
    public List<Value> extremes() {
        return kind == Kind.CHOICE ? choices : List.of(at(0), at(1));
    }

    /** Whether {@code v} is one of this parameter's values. */
    public boolean admits(Value v) {
        if (kind == Kind.CHOICE) return choices.stream().anyMatch(c -> same(c, v));
        if (!(v instanceof Value.Num n) || n.percent() || n.degrees()) return false;
        if (kind == Kind.INT && !n.integral()) return false;
        double tolerance = 1e-5 * Math.max(Math.abs(low), Math.abs(high)); // a value written back with 6 digits
        return n.value() >= low - tolerance && n.value() <= high + tolerance;
    }

    /** The value {@code text} names (as `--param name=text` writes it), or empty when it is none of this parameter's values. */
    public Optional<Value> parse(String text) {
        Value v = read(text.trim(), span);
        return admits(v) ? Optional.of(kind == Kind.CHOICE ? choices.stream().filter(c -> same(c, v)).findFirst().orElseThrow() : v)
            : Optional.empty();
    }

    /** What {@link #parse} accepts, for messages. */
    public String describe() {
        return switch (kind) {
            case CHOICE -> "one of " + String.join(", ", choices.stream().map(Hyperparam::text).toList());
            case INT -> "a whole number in " + text(whole((long) low)) + ".." + text(whole((long) high));
            default -> "a number in " + text(number(low)) + ".." + text(number(high));
        };
    }

    /** A value as a number (6 significant digits) or word, written back (`0.001`, `0.00316228`, `64`, `adam`). */
    public static String text(Value v) {
        if (v instanceof Value.Num n) {
            if (n.integral()) return Long.toString((long) n.value());
            double x = n.value();
            String s = String.format(Locale.ROOT, "%.6g", x);
            if (s.contains("e")) s = s.replaceAll("\\.?0+e", "e").replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
            else if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            return s;
        }
        if (v instanceof Value.Str s) return s.value();
        return v.toString();
    }

    static boolean same(Value a, Value b) {
        if (a instanceof Value.Num x && b instanceof Value.Num y) return x.value() == y.value();
        return a.getClass() == b.getClass() && text(a).equals(text(b));
    }

    private static Value read(String text, Span span) {
        try {
            double x = Double.parseDouble(text);
            boolean integral = text.matches("-?\\d+");
            return new Value.Num(x, integral, false, false, span);
        } catch (NumberFormatException e) {
            return text.startsWith("\"") && text.endsWith("\"") && text.length() >= 2
                ? new Value.Str(text.substring(1, text.length() - 1), span) : new Value.Word(text, span);
        }
    }

    private Value number(double x) { return new Value.Num(x, false, false, false, span); }

    private Value whole(long x) { return new Value.Num(x, true, false, false, span); }
}
