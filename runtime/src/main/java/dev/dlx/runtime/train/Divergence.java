package dev.dlx.runtime.train;

import java.util.Locale;

/**
 * A loss that grows without becoming NaN (a learning rate far too high for the problem): the
 * epoch's training loss is more than {@link #FACTOR} times the first batch's, or more than
 * {@link #SUSTAINED_FACTOR} times it and rising for {@link #SUSTAINED_EPOCHS} epochs in a row.
 * The first batch's loss (at the initial weights) is the yardstick: training lowers it; a loss
 * a thousand times above it has left the problem behind. Losses below {@link #FLOOR} count as
 * the floor, so that a start near zero does not make every wobble a divergence.
 */
public record Divergence(double start, double factor, int epochs) {
    public static final double FACTOR = 1000;
    public static final double SUSTAINED_FACTOR = 10;
    public static final int SUSTAINED_EPOCHS = 3;
    public static final double FLOOR = 1e-2;

    /** Watches the epochs' training losses of one fit. */
    public static final class Watch {
        private double start = Double.NaN;
        private double previous = Double.NaN;
        private int rising;

        /** The first batch's loss (only the first call counts). */
        public void firstBatch(double loss) {
            if (Double.isNaN(start) && Double.isFinite(loss)) start = loss;
        }

        /** The divergence that an epoch with this mean training loss shows, or null. */
        public Divergence epoch(double loss) {
            if (Double.isNaN(start) || !Double.isFinite(loss)) return null;
            double base = Math.max(start, FLOOR);
            boolean high = loss > SUSTAINED_FACTOR * base;
            boolean up = !Double.isFinite(previous) || loss > previous;
            rising = high && up ? rising + 1 : 0;
            previous = loss;
            if (loss > FACTOR * base) return new Divergence(start, FACTOR, 1);
            if (rising >= SUSTAINED_EPOCHS) return new Divergence(start, SUSTAINED_FACTOR, rising);
            return null;
        }
    }

    String describe(double loss) {
        return String.format(Locale.ROOT, "the training loss %.3g is more than %,.0f times the first batch's (%.3g)%s", loss, factor, start,
            epochs > 1 ? " and has risen for " + epochs + " epochs" : "");
    }
}
