package dev.dlx.runtime.train;

import dev.dlx.compiler.train.Step;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.Splitter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop of a training with several update steps: epochs of shuffled mini-batches, and
 * on each batch every step in `alternate` order (`D * 2` runs D twice, each with fresh noise).
 * Each step's loss is recorded per epoch as `STEP_loss` (the mean over the epoch's batches, before
 * each update) and, on validation data, the same losses with nothing updated. Shuffling, noise and
 * dropout come from the seed, the epoch and the batch, so a run repeats exactly. A stop request ends
 * the epoch after its current batch; a step whose loss or gradient is not finite ends the training.
 */
public final class StepTrainer {
    /** What runs after each epoch (pictures, checkpoints); a failure there is reported as a message. */
    public interface EpochEnd {
        void after(EpochRecord record) throws IOException;
    }

    private final StepGraph graph;
    private final TrainListener listener;
    private final StopSignal stop;

    public StepTrainer(StepGraph graph, TrainListener listener, StopSignal stop) {
        this.graph = graph;
        this.listener = listener == null ? TrainListener.NONE : listener;
        this.stop = stop == null ? new StopSignal() : stop;
    }

    /** The metric name of step {@code s}'s loss. */
    public static String lossName(Step s) { return s.name() + "_loss"; }

    public History fit(BatchFeeder train, BatchFeeder val, int batchSize, int epochs, boolean shuffle, long seed, EpochEnd end) {
        return fit(train, val, batchSize, 0, epochs, shuffle, seed, end);
    }

    /**
     * Trains epochs {@code start + 1} to {@code epochs}: a resumed run (weights and optimizer state
     * restored by the caller) shuffles and draws its noise and dropout masks as the uninterrupted run
     * did in those epochs, so it ends with the same weights.
     */
    public History fit(BatchFeeder train, BatchFeeder val, int batchSize, int start, int epochs, boolean shuffle, long seed, EpochEnd end) {
        List<Step> steps = graph.steps();
        int draws = steps.stream().mapToInt(Step::repeat).sum();
        int n = train.size();
        int batches = (n + batchSize - 1) / batchSize;
        List<EpochRecord> records = new ArrayList<>();
        History.Stop why = History.Stop.COMPLETED;
        for (int epoch = start; epoch < epochs; epoch++) {
            if (stop.requested()) {
                why = History.Stop.INTERRUPTED;
                break;
            }
            train.startEpoch(epoch);
            int[] order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            if (shuffle) Splitter.shuffle(order, Trainer.random(seed, epoch, 0, 1));
            double[] sums = new double[steps.size()];
            long[] counts = new long[steps.size()];
            long samples = 0;
            listener.epochStart(epoch + 1, epochs, batches, steps.get(0).optimizer().lr());
            long t0 = System.nanoTime();
            int ep = epoch;
            boolean interrupted = false;
            try (BatchFeeder.Prefetch ahead = train.prefetch(order, batchSize, 0, batches, b -> Trainer.random(seed, ep, b, 2))) {
                for (int b = 0; b < batches; b++) {
                    BatchFeeder.Batch batch = ahead.next();
                    int draw = 0;
                    for (int k = 0; k < steps.size(); k++) {
                        for (int r = 0; r < steps.get(k).repeat(); r++, draw++) {
                            long index = ((long) epoch * batches + b) * draws + draw;
                            double loss = graph.step(k, batch, epoch, b, draw, index);
                            if (!Double.isFinite(loss)) {
                                listener.message("step `" + steps.get(k).name() + "`: the loss or a gradient is not finite at epoch "
                                    + (epoch + 1) + ", batch " + (b + 1) + "; nothing was updated by it");
                                TrainingFailure failure = new TrainingFailure(epoch + 1, b + 1, loss, steps.get(k).optimizer().lr(), null);
                                return new History(records, History.Stop.FAILED, lossName(steps.get(0)), Double.NaN, 0, false, failure,
                                    start + records.size());
                            }
                            sums[k] += loss * batch.count;
                            counts[k] += batch.count;
                        }
                    }
                    samples += batch.count;
                    listener.batchEnd(b + 1, batches, sums[0] / Math.max(1, counts[0]), Double.NaN, samples, (System.nanoTime() - t0) / 1e9);
                    if (stop.requested() && b + 1 < batches) {
                        interrupted = true;
                        break;
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (interrupted) {
                why = History.Stop.INTERRUPTED;
                break;
            }
            Map<String, Double> trainLosses = new LinkedHashMap<>();
            for (int k = 0; k < steps.size(); k++) trainLosses.put(lossName(steps.get(k)), sums[k] / Math.max(1, counts[k]));
            Map<String, Double> valLosses = val == null || val.size() == 0 ? null : evaluate(val, batchSize);
            EpochRecord record = new EpochRecord(epoch + 1, steps.get(0).optimizer().lr(), trainLosses, valLosses, seconds,
                samples / Math.max(seconds, 1e-9));
            records.add(record);
            listener.epochEnd(record, false, epochs);
            try {
                end.after(record);
            } catch (IOException | RuntimeException e) {
                listener.message("after epoch " + (epoch + 1) + ": " + e.getMessage());
            }
        }
        return new History(records, why, lossName(steps.get(0)), Double.NaN, 0, false, null, start + records.size());
    }

    /** Each step's loss on a split, nothing updated, with the same noise every epoch. */
    public Map<String, Double> evaluate(BatchFeeder data, int batchSize) {
        List<Step> steps = graph.steps();
        int n = data.size();
        double[] sums = new double[steps.size()];
        for (int from = 0, b = 0; from < n; from += batchSize, b++) {
            int count = Math.min(batchSize, n - from);
            BatchFeeder.Batch batch = data.batch(null, from, count, null);
            for (int k = 0; k < steps.size(); k++) sums[k] += graph.loss(k, batch, -1, b, k) * count;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k = 0; k < steps.size(); k++) out.put(lossName(steps.get(k)), sums[k] / Math.max(1, n));
        return out;
    }
}
