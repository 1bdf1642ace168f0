package dev.dlx.runtime.search;

import dev.dlx.compiler.schema.Value;
import java.util.Map;

/**
 * A finished trial as a strategy sees it: its point and its loss, the objective turned so that
 * smaller is better (a maximized metric negated); a failed trial has an infinite loss.
 */
public record Observation(Map<String, Value> point, double loss) {
    public boolean failed() { return !Double.isFinite(loss); }

    /** The loss of an objective value: {@code value} to minimize, {@code -value} to maximize; NaN (failed) is infinite. */
    public static double loss(double value, boolean maximize) {
        if (!Double.isFinite(value)) return Double.POSITIVE_INFINITY;
        return maximize ? -value : value;
    }
}
