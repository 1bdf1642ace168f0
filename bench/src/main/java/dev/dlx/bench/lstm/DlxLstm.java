package dev.dlx.bench.lstm;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.optim.LearningRate;
import dev.dlx.runtime.train.History;
import dev.dlx.runtime.train.TrainGraph;
import dev.dlx.runtime.train.TrainListener;
import dev.dlx.runtime.train.Trainer;

/**
 * W4 as `dlxc run` trains it: the workload's graph built by the runtime's lowering from the
 * checked model, the runtime's trainer running one epoch over the same windows (the dataset
 * statement's, read before the clock starts).
 */
public final class DlxLstm {
    private DlxLstm() {}

    /**
     * `bench/run lstm steps`: the hand-written program's training steps and dlx's ({@code TrainGraph.step}, what
     * the trainer runs per batch) alternated in one JVM, {@code steps} of each per round after three of
     * each to warm up, so that both see the same load; prints microseconds a step and the ratio, round by round.
     */
    public static void alternate(CharData data, int rounds, int steps) {
        TrainIR t = data.training();
        int batch = t.batchSize();
        int[] order = Lstm.shuffled(data.count(), 1);
        java.util.Random random = new java.util.Random(1);
        try (HandLstm hand = new HandLstm(Runtime.getRuntime().availableProcessors(), 2);
             TrainGraph g = TrainGraph.build(data.model(), t, data.dataset().labels(), 1, TrainGraph.Threads.auto(data.model(), batch), false);
             BatchFeeder feed = new BatchFeeder(data.train(), data.dataset().labels(), null, null, batch)) {
            g.initialize();
            int[] at = {0};
            Runnable dlxSteps = () -> {
                for (int s = 0; s < steps; s++, at[0]++) {
                    int start = (at[0] * batch) % (order.length - batch);
                    g.step(feed.batch(order, start, batch, random), true, at[0]);
                }
            };
            hand.steps(data, order, 0, 3);
            for (int s = 0; s < 3; s++, at[0]++) {
                g.step(feed.batch(order, s * batch, batch, random), true, s);
            }
            System.out.printf(java.util.Locale.ROOT, "%d rounds of %d steps each, batch %d, %s for dlx%n", rounds, steps, batch,
                TrainGraph.Threads.auto(data.model(), batch));
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                hand.steps(data, order, 3 + r * steps, steps);
                double handUs = (System.nanoTime() - t0) / 1e3 / steps;
                long t1 = System.nanoTime();
                dlxSteps.run();
                double dlxUs = (System.nanoTime() - t1) / 1e3 / steps;
                ratios[r] = handUs / dlxUs;
                System.out.printf(java.util.Locale.ROOT, "round %d: hand-written %.0f us a step, dlx %.0f us: %.2fx; load %s%n", r + 1, handUs, dlxUs,
                    ratios[r], dev.dlx.bench.W4.load());
            }
            java.util.Arrays.sort(ratios);
            System.out.printf(java.util.Locale.ROOT, "median dlx vs hand-written: %.2fx%n", ratios[rounds / 2]);
        }
    }

    /** {@code warm} untraced training steps of dlx's graph, then {@code traced} steps with TensorFlow's step statistics. */
    public static String profile(CharData data, int warm, int traced) {
        TrainIR t = data.training();
        int batch = t.batchSize();
        try (TrainGraph g = TrainGraph.build(data.model(), t, data.dataset().labels(), 1, TrainGraph.Threads.auto(data.model(), batch), false);
             BatchFeeder feed = new BatchFeeder(data.train(), data.dataset().labels(), null, null, batch)) {
            g.initialize();
            StepProfile profile = new StepProfile();
            int[] order = Lstm.shuffled(data.count(), 1);
            java.util.Random random = new java.util.Random(1);
            for (int s = 0; s < warm + traced; s++) {
                BatchFeeder.Batch b = feed.batch(order, (s * batch) % (order.length - batch), batch, random);
                if (s == warm) g.traceSteps(profile::add);
                g.step(b, true, s);
            }
            g.traceSteps(null);
            return profile.table("dlx (" + t.model() + ", runtime lowering)", 15);
        }
    }

    /**
     * Trains one epoch with the runtime's threads ({@code threads} null) or the given ones; returns
     * {setup seconds, first step seconds, epoch seconds, mean loss of the epoch}.
     */
    public static double[] run(CharData data, long seed, TrainGraph.Threads threads) throws Exception {
        TrainIR t = data.training();
        DatasetIR ds = data.dataset();
        int batch = t.batchSize();
        long t0 = System.nanoTime();
        boolean stage = TrainGraph.worthStaging(data.count(), data.train().base().sampleSize(), false);
        try (TrainGraph g = TrainGraph.build(data.model(), t, ds.labels(), seed,
                 threads != null ? threads : TrainGraph.Threads.auto(data.model(), batch), stage);
             BatchFeeder feed = new BatchFeeder(data.train(), ds.labels(), null, null, batch)) {
            double setup = (System.nanoTime() - t0) / 1e9;
            double[] first = {Double.NaN}, loss = {Double.NaN};
            TrainListener listener = new TrainListener() {
                @Override public void batchEnd(int b, int n, double running, double acc, long samples, double seconds) {
                    if (b == 1 && Double.isNaN(first[0])) first[0] = seconds;
                    loss[0] = running;
                }
            };
            Trainer.Settings settings = new Trainer.Settings(1, t.metrics(), null, "loss", false, 0, ds.shuffle(), seed,
                MetricAccumulator.Task.MULTICLASS, t.loss().fromLogits());
            Trainer trainer = new Trainer(g, new LearningRate(t.schedule(), t.optimizer().lr(), 1), settings, listener, null, null, null);
            History h = trainer.fit(feed, null, batch, null);
            if (h.stop() != History.Stop.COMPLETED) throw new IllegalStateException("training stopped: " + h.stop());
            return new double[] {setup, first[0], h.epochs().get(0).seconds(), loss[0]};
        }
    }
}
