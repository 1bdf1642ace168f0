package dev.dlx.compiler.schema;

/**
 * One attribute of a layer kind, data step or training rule: its name, type, default, allowed
 * range and documentation. Positional attributes may be given without their name, in order.
 */
public record Attr(String name, Type type, Object defaultValue, boolean isRequired, boolean isPositional,
                   Double min, boolean minInclusive, Double max, boolean maxInclusive, String doc) {

    public static Attr of(String name, Type type, String doc) {
        return new Attr(name, type, null, false, false, null, true, null, true, doc);
    }

    public Attr positional() { return new Attr(name, type, defaultValue, isRequired, true, min, minInclusive, max, maxInclusive, doc); }
    public Attr required() { return new Attr(name, type, defaultValue, true, isPositional, min, minInclusive, max, maxInclusive, doc); }
    public Attr defaults(Object value) { return new Attr(name, type, value, false, isPositional, min, minInclusive, max, maxInclusive, doc); }
    public Attr atLeast(double v) { return new Attr(name, type, defaultValue, isRequired, isPositional, v, true, max, maxInclusive, doc); }
    public Attr above(double v) { return new Attr(name, type, defaultValue, isRequired, isPositional, v, false, max, maxInclusive, doc); }
    public Attr atMost(double v) { return new Attr(name, type, defaultValue, isRequired, isPositional, min, minInclusive, v, true, doc); }
    public Attr below(double v) { return new Attr(name, type, defaultValue, isRequired, isPositional, min, minInclusive, v, false, doc); }

    /** `[0, 1)`, `>= 1`, ... for messages. */
    public String rangeText() {
        if (min != null && max != null) {
            return (minInclusive ? "[" : "(") + fmt(min) + ", " + fmt(max) + (maxInclusive ? "]" : ")");
        }
        if (min != null) return (minInclusive ? ">= " : "> ") + fmt(min);
        if (max != null) return (maxInclusive ? "<= " : "< ") + fmt(max);
        return "any";
    }

    public boolean inRange(double v) {
        if (Double.isNaN(v)) return false;
        if (min != null && (minInclusive ? v < min : v <= min)) return false;
        return max == null || (maxInclusive ? v <= max : v < max);
    }

    private static String fmt(double d) { return Value.trim(d); }
}
