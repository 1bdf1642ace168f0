package dev.dlx.runtime.train;

/**
 * A watched metric: the best value so far and how many epochs have passed without an improvement
 * of more than {@code minDelta} (lower is better unless {@code higherIsBetter}).
 */
public final class Monitor {
    private final String name;
    private final boolean higherIsBetter;
    private final double minDelta;
    private double best = Double.NaN;
    private int bestEpoch;
    private int wait;

    public Monitor(String name, boolean higherIsBetter, double minDelta) {
        this.name = name;
        this.higherIsBetter = higherIsBetter;
        this.minDelta = minDelta;
    }

    public String name() { return name; }
    public boolean higherIsBetter() { return higherIsBetter; }
    public double best() { return best; }
    /** 1-based epoch of the best value, 0 before any. */
    public int bestEpoch() { return bestEpoch; }
    public int sinceBest() { return wait; }

    /** Records an epoch's value; true when it improves on the best. */
    public boolean update(double value, int epoch) {
        if (Double.isNaN(value)) {
            wait++;
            return false;
        }
        boolean improved = Double.isNaN(best) || (higherIsBetter ? value > best + minDelta : value < best - minDelta);
        if (improved) {
            best = value;
            bestEpoch = epoch;
            wait = 0;
        } else {
            wait++;
        }
        return improved;
    }

    public double[] state() { return new double[] {best, bestEpoch, wait}; }

    public void restore(double[] s) {
        best = s[0];
        bestEpoch = (int) s[1];
        wait = (int) s[2];
    }
}
