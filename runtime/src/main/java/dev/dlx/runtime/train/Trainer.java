package dev.dlx.runtime.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.train.EarlyStop;
import dev.dlx.compiler.train.Metric;
import dev.dlx.runtime.cluster.Cluster;
import dev.dlx.runtime.cluster.Shards;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.optim.LearningRate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The training loop: epochs of shuffled mini-batches (one {@code Session.run} each; when the graph
 * holds the training split, a step feeds only its samples' positions), validation
 * after every epoch, the learning-rate schedule, checkpoints (`best` when the monitored metric
 * improves, `last` after every epoch), early stopping (restoring the best weights when asked), a
 * stop request honoured after the current batch (saving `last`), and a non-finite step stopping
 * everything with a diagnosis and no checkpoint written. Randomness comes from the seed, the
 * epoch and the batch, so a resumed run shuffles, augments and draws dropout masks as the
 * uninterrupted one would have (but `triplets mining semihard`, resumed in the middle of an
 * epoch, mines that epoch's negatives from the weights it resumes with).
 */
public final class Trainer {

    /**
     * @param epochs         total epochs (a resumed run continues up to it)
     * @param monitor        what `best` and early stopping watch: `val_loss`, `loss`, `val_accuracy`, ...
     * @param monitorHigher  larger values are better
     * @param minDelta       improvement that counts (early stopping's)
     * @param evalBatch      batch size for validation
     */
    public record Settings(int epochs, List<Metric> metrics, EarlyStop earlyStop, String monitor, boolean monitorHigher, double minDelta,
                           boolean shuffle, long seed, MetricAccumulator.Task task, boolean fromLogits) {}

    /**
     * Where a resumed run picks up: completed epochs (and the batches done of the next one, when it
     * was interrupted), optimizer state, schedule and monitor state, the best weights, and the
     * optimizer steps taken before ({@code stepsDone}, which steps.csv's step column goes on from;
     * -1 for a checkpoint that does not say: then counted as {@code completedEpochs} epochs and
     * {@code batchesDone} batches of this training's size).
     */
    public record Resume(int completedEpochs, int batchesDone, Map<String, float[]> weights, Map<String, float[]> optimizer,
                         double[] schedule, double[] monitor, Map<String, float[]> bestWeights, long stepsDone) {}

    /** A checkpoint's entry for {@link Resume#stepsDone}. */
    public static final String STEPS_DONE = "steps_done";

    private final TrainGraph graph;
    /** Optimizer steps taken, over every epoch and every training this one goes on from (see {@link Resume#stepsDone}). */
    private long steps;
    private final LearningRate lr;
    private final Settings settings;
    private final TrainListener listener;
    private final CheckpointStore store;
    private final StopSignal stop;
    private final JsonObject baseMeta;
    private int logEvery;

    public Trainer(TrainGraph graph, LearningRate lr, Settings settings, TrainListener listener, CheckpointStore store, StopSignal stop,
                   JsonObject baseMeta) {
        this.graph = graph;
        this.lr = lr;
        this.settings = settings;
        this.listener = listener == null ? TrainListener.NONE : listener;
        this.store = store == null ? CheckpointStore.NONE : store;
        this.stop = stop == null ? new StopSignal() : stop;
        this.baseMeta = baseMeta == null ? new JsonObject() : baseMeta;
    }

    /** The optimizer steps taken so far, those before the resumed point included (after {@link #fit}: all of them). */
    public long stepsDone() { return steps; }

    /** Reports the training loss every {@code steps} steps ({@link StepLosses}, {@link TrainListener#stepLosses}); 0: not. */
    public Trainer logEvery(int steps) {
        this.logEvery = steps;
        return this;
    }

    /** A random stream for (seed, epoch, batch, purpose) that does not depend on earlier epochs or batches. */
    public static Random random(long seed, int epoch, int batch, int purpose) {
        long x = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + batch * 0xD6E8FEB86659FD93L + purpose * 0x94D049BB133111EBL;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        return new Random(x ^ (x >>> 31));
    }

    public History fit(BatchFeeder train, BatchFeeder val, int batchSize, Resume resume) {
        EarlyStop es = settings.earlyStop();
        Monitor monitor = new Monitor(settings.monitor(), settings.monitorHigher(), settings.minDelta());
        int start = 0, skip = 0;
        Map<String, float[]> bestWeights = null;
        if (resume != null) {
            graph.writeWeights(resume.weights());
            if (resume.optimizer() != null && !resume.optimizer().isEmpty() && !graph.writeOptimizerState(resume.optimizer())) {
                listener.message("the saved optimizer state does not match this optimizer: it starts afresh");
            }
            if (resume.schedule() != null) lr.restore(resume.schedule());
            if (resume.monitor() != null) monitor.restore(resume.monitor());
            bestWeights = resume.bestWeights();
            start = resume.completedEpochs();
            skip = resume.batchesDone();
        }
        List<EpochRecord> records = new ArrayList<>();
        boolean staged = graph.stageable() && !train.augments();
        if (staged) graph.stage(train);
        graph.scoreStepsByLogits(settings.task() == MetricAccumulator.Task.MULTICLASS && !settings.metrics().contains(Metric.MAE)
            && !settings.metrics().contains(Metric.MSE));
        Cluster cluster = Cluster.joined();
        boolean sharded = cluster != null;
        int n = sharded ? Shards.samples(train.size(), batchSize, cluster.size()) : train.size();
        int batches = (n + batchSize - 1) / batchSize;
        if (sharded && n < batchSize) {
            throw new IllegalArgumentException(cluster.size() + " workers with batch " + batchSize + " need at least "
                + (cluster.size() * batchSize) + " training samples, not " + train.size());
        }
        steps = resume != null && resume.stepsDone() >= 0 ? resume.stepsDone() : (long) start * batches + Math.min(skip, batches);
        History.Stop why = History.Stop.COMPLETED;
        int completed = start;
        Divergence.Watch divergence = new Divergence.Watch();
        StepLosses logged = logEvery > 0 ? new StepLosses(logEvery) : null;
        // in a cluster, the workers stop together: after the step in which any of them was asked to
        boolean together = graph.agreesOnStop();
        if (together && start < settings.epochs()) {
            TrainGraph.AllReduce r = graph.allReduce();
            listener.message(String.format(java.util.Locale.ROOT, "all-reduce: %,d bytes a step in %d collectives over %d workers (the trained weights: %,d bytes)",
                r.bytes(), r.collectives(), cluster.size(), r.trainedBytes()));
        }
        for (int epoch = start; epoch < settings.epochs(); epoch++) {
            if (together ? graph.stopAgreed() : stop.requested()) {
                why = History.Stop.INTERRUPTED;
                break;
            }
            double rate = lr.at(epoch);
            graph.setLearningRate(rate);
            train.startEpoch(epoch);
            int[] order = new int[train.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            if (settings.shuffle()) Splitter.shuffle(order, random(settings.seed(), epoch, 0, 1));
            if (sharded) order = Shards.of(order, train.size(), batchSize, cluster);
            MetricAccumulator acc = accumulator();
            TermMetrics terms = TermMetrics.of(graph);
            int first = epoch == start ? Math.min(skip, batches) : 0;
            if (first > 0) listener.message("epoch " + (epoch + 1) + ": continuing after batch " + first + " of " + batches);
            listener.epochStart(epoch + 1, settings.epochs(), batches, rate);
            long t0 = System.nanoTime();
            boolean interrupted = false;
            int done = first;
            int ep = epoch;
            // fed batches are made on a background thread while the graph trains on the one before
            try (BatchFeeder.Prefetch ahead = staged ? null
                     : train.prefetch(order, batchSize, first, batches, b -> random(settings.seed(), ep, b, 2))) {
                for (int b = first; b < batches; b++) {
                    int from = b * batchSize, count = Math.min(batchSize, n - from);
                    BatchFeeder.Batch batch = staged ? train.positions(order, from, count) : ahead.next();
                    // the step's global index picks its dropout masks: a resumed run (start, first) draws the uninterrupted run's
                    if (together) graph.askStop(stop.requested());
                    TrainGraph.StepLoss loss = graph.step(batch, true, (long) epoch * batches + b);
                    if (!loss.finite()) {
                        BatchFeeder.Batch replay = staged ? train.batch(order, from, count, null) : batch;
                        TrainingFailure failure = new TrainingFailure(epoch + 1, b + 1, loss.objective(), rate, graph.diagnose(replay, (long) epoch * batches + b));
                        return new History(records, History.Stop.FAILED, monitor.name(), monitor.best(), monitor.bestEpoch(), false, failure,
                            completed);
                    }
                    divergence.firstBatch(loss.objective());
                    if (terms == null) {
                        acc.add(graph.predictions(), count, batch.classes, batch.targets, loss.objective(), loss.data());
                    } else {
                        acc.addLoss(count, loss.objective(), loss.data());
                        terms.add(batch, count);
                    }
                    acc.addNamed(graph.expressionMetrics(), count);
                    steps++;
                    if (logged != null) logged.add(epoch + 1, b + 1, batches, steps, count, loss.objective());
                    double accuracy = terms != null ? terms.accuracy() : acc.task() == MetricAccumulator.Task.REGRESSION ? Double.NaN : acc.accuracy();
                    listener.batchEnd(b + 1, batches, acc.loss(), accuracy, acc.samples(), (System.nanoTime() - t0) / 1e9);
                    done = b + 1;
                    if ((together ? graph.stopAgreed() : stop.requested()) && b + 1 < batches) {
                        interrupted = true;
                        break;
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (logged != null) {
                // every worker gets here after the same batch (a stop is agreed on), with as many rows
                logged.end(epoch + 1, done, steps);
                listener.stepLosses(logged.take(cluster));
            }
            if (interrupted) {
                // the epoch is not complete: `last` holds the weights after its batch `done`, where a resumed run goes on
                save(false, epoch, monitor, rate, null, done);
                why = History.Stop.INTERRUPTED;
                break;
            }
            Divergence diverged = divergence.epoch(acc.loss());
            if (diverged != null) {
                TrainingFailure failure = new TrainingFailure(epoch + 1, 0, acc.loss(), rate, null, diverged);
                return new History(records, History.Stop.FAILED, monitor.name(), monitor.best(), monitor.bestEpoch(), false, failure, completed);
            }
            Map<String, Double> trainMetrics = terms == null ? acc.result(settings.metrics()) : terms.result(acc, settings.metrics());
            if (sharded) trainMetrics = Shards.mean(cluster, trainMetrics);
            Map<String, Double> valMetrics = val == null || val.size() == 0 ? null : evaluate(graph, val, settings.metrics(), accumulator());
            // in a cluster, the samples of all the workers (each trained as many)
            long trainedSamples = acc.samples() * (sharded ? cluster.size() : 1);
            EpochRecord record = new EpochRecord(epoch + 1, rate, trainMetrics, valMetrics, seconds, trainedSamples / Math.max(seconds, 1e-9));
            records.add(record);
            completed = epoch + 1;
            double watched = record.get(monitor.name());
            boolean improved = monitor.update(watched, epoch + 1);
            listener.epochEnd(record, improved, settings.epochs());
            if (improved) {
                Map<String, float[]> weights = graph.readWeights();
                if (es != null && es.restoreBest()) bestWeights = weights;
                save(true, epoch + 1, monitor, rate, record, 0, weights);
            }
            if (lr.monitor() != null) {
                boolean reduced = lr.observe(record.get(lr.monitor()), higherIsBetter(lr.monitor()));
                if (reduced) listener.message(String.format("epoch %d: %s did not improve; learning rate lowered to %.3g", epoch + 1,
                    lr.monitor(), lr.at(epoch + 1)));
            }
            save(false, epoch + 1, monitor, rate, record, 0);
            if (es != null && !improved && monitor.sinceBest() >= es.patience() && epoch + 1 < settings.epochs()) {
                why = History.Stop.EARLY_STOPPED;
                listener.message(String.format("early stop after epoch %d: %s has not improved for %d epoch%s (best %s at epoch %d)",
                    epoch + 1, monitor.name(), monitor.sinceBest(), monitor.sinceBest() == 1 ? "" : "s",
                    dev.dlx.runtime.metrics.MetricText.of(monitor.best()), monitor.bestEpoch()));
                break;
            }
        }
        boolean restored = false;
        if (why != History.Stop.INTERRUPTED && es != null && es.restoreBest() && bestWeights != null && monitor.bestEpoch() != completed) {
            graph.writeWeights(bestWeights);
            restored = true;
            listener.message("restored the weights of epoch " + monitor.bestEpoch() + " (best " + monitor.name() + ")");
        }
        return new History(records, why, monitor.name(), monitor.best(), monitor.bestEpoch(), restored, null, completed);
    }

    private static boolean higherIsBetter(String name) {
        String base = name.startsWith("val_") ? name.substring(4) : name;
        return Metric.byWord(base).map(Metric::higherIsBetter).orElse(false);
    }

    private MetricAccumulator accumulator() {
        int steps = graph.labelSteps();
        return new MetricAccumulator(settings.task(), graph.outputWidth() / steps, settings.fromLogits(), steps);
    }

    /** Loss and metrics of a whole split in inference mode. */
    public static Map<String, Double> evaluate(TrainGraph graph, BatchFeeder data, List<Metric> metrics, MetricAccumulator acc) {
        TermMetrics terms = TermMetrics.of(graph);
        evaluateInto(graph, data, acc, terms);
        return terms == null ? acc.result(metrics) : terms.result(acc, metrics);
    }

    /** {@link #evaluate(TrainGraph, BatchFeeder, List, MetricAccumulator)} over several feeders, into one result. */
    public static Map<String, Double> evaluate(TrainGraph graph, List<BatchFeeder> data, List<Metric> metrics, MetricAccumulator acc) {
        TermMetrics terms = TermMetrics.of(graph);
        for (BatchFeeder f : data) evaluateInto(graph, f, acc, terms);
        return terms == null ? acc.result(metrics) : terms.result(acc, metrics);
    }

    public static MetricAccumulator evaluateInto(TrainGraph graph, BatchFeeder data, MetricAccumulator acc) {
        return evaluateInto(graph, data, acc, null);
    }

    private static MetricAccumulator evaluateInto(TrainGraph graph, BatchFeeder data, MetricAccumulator acc, TermMetrics terms) {
        int n = data.size(), batch = data.capacity();
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            BatchFeeder.Batch b = data.batch(null, from, count, null);
            TrainGraph.StepLoss loss = graph.evaluate(b);
            if (terms == null) {
                acc.add(graph.predictions(), count, b.classes, b.targets, loss.objective(), loss.data());
            } else {
                acc.addLoss(count, loss.objective(), loss.data());
                terms.add(b, count);
            }
            if (graph.hasLoss(b)) acc.addNamed(graph.expressionMetrics(), count);
        }
        return acc;
    }

    private void save(boolean best, int epoch, Monitor monitor, double rate, EpochRecord record, int batchesDone) {
        save(best, epoch, monitor, rate, record, batchesDone, graph.readWeights());
    }

    /** {@code batchesDone} > 0: saved during epoch {@code epoch + 1}, after that many of its batches. */
    private void save(boolean best, int epoch, Monitor monitor, double rate, EpochRecord record, int batchesDone,
                      Map<String, float[]> weights) {
        JsonObject meta = baseMeta.deepCopy();
        meta.addProperty("epoch", epoch);
        meta.addProperty(STEPS_DONE, steps);
        if (batchesDone > 0) {
            meta.addProperty("interrupted_during_epoch", epoch + 1);
            meta.addProperty("batches_done", batchesDone);
            // each worker's count of batches: the same batch is reached again only with as many workers
            if (Cluster.joined() != null) meta.addProperty("workers", Cluster.joined().size());
        }
        meta.addProperty("learning_rate", rate);
        meta.add("schedule_state", array(lr.state()));
        JsonObject mon = new JsonObject();
        mon.addProperty("name", monitor.name());
        mon.addProperty("higher_is_better", monitor.higherIsBetter());
        mon.add("state", array(monitor.state()));
        meta.add("monitor", mon);
        if (record != null) {
            JsonObject m = new JsonObject();
            record.train().forEach(m::addProperty);
            record.val().forEach((k, v) -> m.addProperty("val_" + k, v));
            meta.add("metrics", m);
        }
        Checkpoint c = new Checkpoint(weights, graph.shapes(), graph.readOptimizerState(), meta);
        try {
            if (best) store.saveBest(c);
            else store.saveLast(c);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the " + (best ? "best" : "last") + " checkpoint: " + e.getMessage(), e);
        }
    }

    private static JsonArray array(double[] values) {
        JsonArray a = new JsonArray();
        for (double v : values) a.add(Double.isNaN(v) ? null : v);
        return a;
    }

    /** Reads a state array saved by the trainer (NaN for nulls). */
    public static double[] doubles(JsonArray a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).isJsonNull() ? Double.NaN : a.get(i).getAsDouble();
        return out;
    }

    /** The overfit check's outcome: the loss on one batch before and after, and whether it went near zero. */
    public record OverfitResult(int samples, int steps, double firstLoss, double lastLoss, double accuracy, boolean reached, double target) {}

    /**
     * Trains on the first mini-batch alone (no augmentation, dropout off) until its loss (without
     * penalties) is below {@code target} or {@code maxSteps} steps are done.
     */
    public OverfitResult overfit(BatchFeeder train, int batchSize, int maxSteps, double target, boolean regression) {
        int count = Math.min(batchSize, train.size());
        graph.setLearningRate(lr.at(0));
        BatchFeeder.Batch batch = train.batch(null, 0, count, null);
        double first = Double.NaN, last = Double.NaN, threshold = target;
        int steps = 0;
        double accuracy = Double.NaN;
        for (; steps < maxSteps; steps++) {
            TrainGraph.StepLoss loss = graph.step(batch, false);
            if (!loss.finite()) {
                last = loss.data();
                break;
            }
            if (steps == 0) {
                first = loss.data();
                if (regression) threshold = Math.max(target * first, 1e-6);
            }
            last = loss.data();
            if (steps % 50 == 0) listener.message(String.format("step %d: loss %.5f", steps, last));
            if (last < threshold) {
                steps++;
                break;
            }
        }
        TrainGraph.StepLoss after = graph.evaluate(batch);
        TermMetrics terms = TermMetrics.of(graph);
        if (terms != null) {
            terms.add(batch, count);
            accuracy = terms.accuracy();
        } else {
            MetricAccumulator acc = accumulator();
            acc.add(graph.predictions(), count, batch.classes, batch.targets, after.objective(), after.data());
            if (acc.task() != MetricAccumulator.Task.REGRESSION) accuracy = acc.accuracy();
        }
        return new OverfitResult(count, steps, first, last, accuracy, last < threshold, threshold);
    }
}
