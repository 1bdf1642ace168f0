package dev.dlx.runtime.train;

/** What the trainer reports while it runs (progress bars, logs); every method may be left out. */
public interface TrainListener {
    default void epochStart(int epoch, int epochs, int batches, double lr) {}

    /** After each batch: the running mean loss and the samples seen so far in this epoch. */
    default void batchEnd(int batch, int batches, double runningLoss, double runningAccuracy, long samples, double seconds) {}

    /** The training loss every K steps ({@link Trainer#logEvery}), at the end of an epoch or where a stop ended it. */
    default void stepLosses(java.util.List<StepLosses.Row> rows) {}

    default void epochEnd(EpochRecord record, boolean improved, int epochs) {}

    default void message(String text) {}

    TrainListener NONE = new TrainListener() {};
}
