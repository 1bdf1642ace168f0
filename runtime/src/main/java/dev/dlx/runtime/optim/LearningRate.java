package dev.dlx.runtime.optim;

import dev.dlx.compiler.train.Schedule;

/**
 * The learning rate of each epoch (0-based) from the optimizer's α and the `schedule`:
 * <ul>
 *   <li>none: α</li>
 *   <li>step every N factor f: α f^floor(e / N)</li>
 *   <li>exponential rate r every N: α r^(e / N) (continuous, as Keras's ExponentialDecay)</li>
 *   <li>cosine min m: m + (α - m) (1 + cos(π e / E)) / 2 over the E training epochs</li>
 *   <li>plateau factor f patience p min_lr m min_delta d: α, multiplied by f (not below m) after
 *       p epochs in a row without the monitored value improving by more than d; the wait starts
 *       again after each reduction</li>
 * </ul>
 * Mutable state (the plateau's) is exposed for checkpoints.
 */
public final class LearningRate {
    private final Schedule schedule;
    private final double initial;
    private final int epochs;
    private double plateauLr;
    private double best = Double.NaN;
    private int wait;

    public LearningRate(Schedule schedule, double initial, int epochs) {
        this.schedule = schedule;
        this.initial = initial;
        this.epochs = Math.max(1, epochs);
        this.plateauLr = initial;
    }

    public Schedule schedule() { return schedule; }

    public double at(int epoch) {
        if (schedule == null) return initial;
        if (schedule instanceof Schedule.Step s) return initial * Math.pow(s.factor(), Math.floorDiv(epoch, s.every()));
        if (schedule instanceof Schedule.Exponential x) return initial * Math.pow(x.rate(), (double) epoch / x.every());
        if (schedule instanceof Schedule.Cosine c) return c.min() + (initial - c.min()) * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
        if (schedule instanceof Schedule.Plateau) return plateauLr;
        throw new IllegalArgumentException("unknown schedule " + schedule.name());
    }

    /** The monitored value after an epoch (plateau only; others ignore it). Returns true when the rate was reduced. */
    public boolean observe(double value, boolean higherIsBetter) {
        if (!(schedule instanceof Schedule.Plateau p) || Double.isNaN(value)) return false;
        boolean improved = Double.isNaN(best) || (higherIsBetter ? value > best + p.minDelta() : value < best - p.minDelta());
        if (improved) {
            best = value;
            wait = 0;
            return false;
        }
        wait++;
        if (wait > p.patience() - 1 && plateauLr > p.minLr()) {
            plateauLr = Math.max(p.minLr(), plateauLr * p.factor());
            wait = 0;
            return true;
        }
        return false;
    }

    /** The monitored metric of a plateau schedule, or null. */
    public String monitor() { return schedule instanceof Schedule.Plateau p ? p.monitor() : null; }

    public double[] state() { return new double[] {plateauLr, best, wait}; }

    public void restore(double[] state) {
        plateauLr = state[0];
        best = state[1];
        wait = (int) state[2];
    }
}
