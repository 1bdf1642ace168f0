package dev.dlx.compiler.train;

import dev.dlx.compiler.diag.Span;

/**
 * `schedule ...`: how the learning rate changes during training (per epoch). Schemas live in
 * {@code Schedules}.
 */
public sealed interface Schedule {
    String name();
    Span span();

    /** `step every 10 factor 0.5`: multiply by {@code factor} every {@code every} epochs. */
    record Step(int every, double factor, Span span) implements Schedule {
        @Override public String name() { return "step"; }
    }

    /** `exponential rate 0.96 [every 1]`: lr = lr0 * rate^(epoch / every). */
    record Exponential(double rate, int every, Span span) implements Schedule {
        @Override public String name() { return "exponential"; }
    }

    /** `cosine [min 0]`: from lr0 down to {@code min} along half a cosine over the training epochs. */
    record Cosine(double min, Span span) implements Schedule {
        @Override public String name() { return "cosine"; }
    }

    /**
     * `plateau factor 0.1 patience 10 [min_lr 0] [min_delta 1e-4] [monitor val_loss]`: multiply by
     * {@code factor} when {@code monitor} has not improved by {@code minDelta} for {@code patience} epochs.
     */
    record Plateau(double factor, int patience, double minLr, double minDelta, String monitor, Span monitorSpan, Span span)
            implements Schedule {
        @Override public String name() { return "plateau"; }
    }
}
