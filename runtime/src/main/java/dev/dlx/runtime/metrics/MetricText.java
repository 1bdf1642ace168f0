package dev.dlx.runtime.metrics;

import java.util.Locale;

/**
 * A loss or metric as the console prints it: four decimals (`0.1494`) in the usual range, and
 * scientific notation (`2.8265e+30`) from {@link #LARGE} up or below {@link #SMALL}, so a diverging
 * loss stays one short word. The run folder's metrics.csv keeps its own machine-readable form.
 */
public final class MetricText {
    private MetricText() {}

    /** From here up a value is printed as `d.dddde+NN`. */
    public static final double LARGE = 1e5;
    /** Below this (and not 0) a value is printed as `d.dddde-NN`, not as 0.0000. */
    public static final double SMALL = 1e-4;

    public static String of(double v) {
        if (Double.isNaN(v)) return "-";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        double a = Math.abs(v);
        if (a >= LARGE || (a < SMALL && a > 0)) return String.format(Locale.ROOT, "%.4e", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
