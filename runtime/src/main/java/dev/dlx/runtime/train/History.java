package dev.dlx.runtime.train;

import java.util.List;

/**
 * How a training went: every epoch's record (those of this process; a resumed run's earlier epochs
 * are in its metrics.csv), why it ended, the best epoch by the monitored metric, and whether the
 * weights in the graph afterwards are the best ones (restored) or the last ones.
 */
public record History(List<EpochRecord> epochs, Stop stop, String monitor, double bestValue, int bestEpoch, boolean restoredBest,
                      TrainingFailure failure, int completedEpochs) {

    public enum Stop { COMPLETED, EARLY_STOPPED, INTERRUPTED, FAILED }

    public History { epochs = List.copyOf(epochs); }

    public EpochRecord last() { return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1); }
}
