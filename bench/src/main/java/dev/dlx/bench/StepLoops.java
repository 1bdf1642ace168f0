package dev.dlx.bench;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.optim.LearningRate;
import dev.dlx.runtime.run.Programs;
import dev.dlx.runtime.train.History;
import dev.dlx.runtime.train.TrainGraph;
import dev.dlx.runtime.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * `StepLoops WORKLOAD [ROUNDS]`: the hand-written program's epoch and dlx's trainer epoch, alternated
 * in one JVM with the same JVM options and TensorFlow environment (those `./dlxc` launches training
 * with), so the ratio is what dlx's graph and trainer give over a hand-written step, and nothing
 * else; prints microseconds per step for each, round by round. Both models keep training across
 * rounds (the numbers are per step, not accuracies).
 */
public final class StepLoops {
    private StepLoops() {}

    public static void main(String[] args) throws Exception {
        Workload w = Workload.valueOf(args[0]);
        if (w == Workload.W3) throw new IllegalArgumentException("the hand-written program covers W1 and W2");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path repo = Path.of(System.getProperty("dlx.repo", ".")).toAbsolutePath().normalize();
        Mnist mnist = Mnist.folder(w.data(repo))[0];
        Compilation c = Programs.compile(w.file(repo), new PrintWriter(System.err, true));
        if (c == null) throw new IllegalStateException("cannot compile " + w.file(repo));
        TrainIR t = c.trainings().get(0);
        ModelIR model = c.models().get(t.model());
        DatasetIR ds = c.datasets().get(t.dataset());
        var train = Splitter.split(LoadedData.load(ds), 1).train();
        Normalizer normalizer = ds.normalize() == null ? null : Normalizer.fit(ds.normalize(), train);
        int batch = t.batchSize(), steps = (train.size() + batch - 1) / batch;
        // the hand-written session first: TensorFlow's thread pools are sized by the first session of a process
        try (HandTf hand = new HandTf(w, Runtime.getRuntime().availableProcessors() == 1 || w == Workload.W1 ? 1 : 2);
             TrainGraph g = TrainGraph.build(model, t, ds.labels(), 1, TrainGraph.Threads.auto(model, batch), true);
             BatchFeeder feed = new BatchFeeder(train, ds.labels(), normalizer, null, batch)) {
            Trainer.Settings settings = new Trainer.Settings(1, t.metrics(), null, "loss", false, 0, true, 1,
                MetricAccumulator.Task.MULTICLASS, t.loss().fromLogits());
            System.out.printf(Locale.ROOT, "%s, %d steps of %d an epoch, %s for dlx%n", w, steps, batch, TrainGraph.Threads.auto(model, batch));
            for (int r = 1; r <= rounds; r++) {
                long t0 = System.nanoTime();
                hand.epoch(mnist, r);
                double handUs = (System.nanoTime() - t0) / 1e3 / (mnist.count() / batch + (mnist.count() % batch > 0 ? 1 : 0));
                Trainer trainer = new Trainer(g, new LearningRate(t.schedule(), t.optimizer().lr(), 1), settings, null, null, null, null);
                History h = trainer.fit(feed, null, batch, null);
                double dlxUs = h.epochs().get(0).seconds() * 1e6 / steps;
                System.out.printf(Locale.ROOT, "round %d: hand-written %.0f us a step, dlx %.0f us: %.2fx%n", r, handUs, dlxUs, handUs / dlxUs);
            }
        }
    }
}
