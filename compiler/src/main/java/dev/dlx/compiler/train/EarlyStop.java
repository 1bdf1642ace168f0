package dev.dlx.compiler.train;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;

/**
 * `early_stop on val_loss patience 5 min_delta 0 restore_best [mode min|max]`: stop when the
 * monitored metric has not improved by {@code minDelta} for {@code patience} epochs.
 *
 * @param mode        MIN for losses and errors, MAX for accuracy-like metrics (from the metric
 *                    unless written)
 * @param restoreBest put back the weights of the best epoch when stopping
 */
public record EarlyStop(String monitor, Span monitorSpan, int patience, double minDelta, boolean restoreBest, Mode mode,
                        Span span) {

    public enum Mode { MIN, MAX }

    public static final Schema SCHEMA = Schema.of(
        Attr.of("on", Type.NAME, "the metric watched: `val_loss` (`loss` without validation data), or `val_` + a metric"),
        Attr.of("patience", Type.INT, "epochs without improvement before stopping").defaults(5).atLeast(0),
        Attr.of("min_delta", Type.FLOAT, "smallest change that counts as improvement").defaults(0.0).atLeast(0),
        Attr.of("restore_best", Type.BOOL, "restore the weights of the best epoch").defaults(false),
        Attr.of("mode", Type.choice("auto", "min", "max"), "whether lower or higher is better; `auto` decides by the metric")
            .defaults("auto"));

    /** Whether a larger value of {@code monitor} is an improvement. */
    public static Mode modeFor(String monitor) {
        String base = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        return Metric.byWord(base).map(m -> m.higherIsBetter() ? Mode.MAX : Mode.MIN).orElse(Mode.MIN);
    }
}
