package dev.dlx.bench;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.Augmenter;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.optim.LearningRate;
import dev.dlx.runtime.run.Programs;
import dev.dlx.runtime.train.EpochRecord;
import dev.dlx.runtime.train.History;
import dev.dlx.runtime.train.TrainGraph;
import dev.dlx.runtime.train.TrainListener;
import dev.dlx.runtime.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * dlx as `dlxc run` trains: the workload's `.dlx` file compiled, its data read by the dataset
 * statement (outside the timing, like the peers' in-memory arrays), the graph built from the
 * checked model by the runtime's lowering, and the runtime's trainer running the epoch.
 */
public final class DlxSystem {
    private DlxSystem() {}

    public static Measurement run(Workload w, Path repo, int epochs, boolean augment) throws Exception {
        return run(w, repo, epochs, augment, dev.dlx.compiler.train.Precision.DEFAULT);
    }

    /** The workload with its products in {@code precision} (`precision bf16` added to its training). */
    public static Measurement run(Workload w, Path repo, int epochs, boolean augment, dev.dlx.compiler.train.Precision precision)
            throws Exception {
        PrintWriter err = new PrintWriter(System.err, true);
        Compilation c = Programs.compile(w.file(repo), err);
        if (c == null) throw new IllegalStateException("cannot compile " + w.file(repo));
        TrainIR t = c.trainings().get(0).withPrecision(precision);
        ModelIR model = c.models().get(t.model());
        DatasetIR ds = c.datasets().get(t.dataset());
        LoadedData data = LoadedData.load(ds);
        long seed = 1;
        Splitter.Splits splits = Splitter.split(data, seed);
        var train = splits.train();
        Normalizer normalizer = ds.normalize() == null ? null : Normalizer.fit(ds.normalize(), train);
        Augmenter aug = augment ? ds.augmentsFor(DatasetIR.TRAIN).map(a -> new Augmenter(a.steps(), data.sampleShape())).orElse(null) : null;
        int batch = t.batchSize();
        long t0 = System.nanoTime();
        boolean stage = TrainGraph.worthStaging(train.size(), data.samples().sampleSize(), aug != null);
        try (TrainGraph g = TrainGraph.build(model, t, ds.labels(), seed, TrainGraph.Threads.auto(model, batch), stage);
             BatchFeeder trainFeed = new BatchFeeder(train, ds.labels(), normalizer, aug, batch);
             BatchFeeder testFeed = new BatchFeeder(splits.test(), ds.labels(), normalizer, null, 1000)) {
            double setup = (System.nanoTime() - t0) / 1e9;
            double[] first = {Double.NaN};
            TrainListener listener = new TrainListener() {
                @Override public void batchEnd(int b, int n, double loss, double acc, long samples, double seconds) {
                    if (b == 1 && Double.isNaN(first[0])) first[0] = seconds;
                }
            };
            Trainer.Settings settings = new Trainer.Settings(epochs, t.metrics(), null, "loss", false, 0, ds.shuffle(), seed,
                MetricAccumulator.Task.MULTICLASS, t.loss().fromLogits());
            Trainer trainer = new Trainer(g, new LearningRate(t.schedule(), t.optimizer().lr(), epochs), settings, listener, null, null, null);
            History h = trainer.fit(trainFeed, null, batch, null);
            if (h.stop() != History.Stop.COMPLETED) throw new IllegalStateException("training stopped: " + h.stop());
            double seconds = h.epochs().get(0).seconds(), last = h.last().seconds();
            Map<String, Double> test = Trainer.evaluate(g, testFeed, List.of(dev.dlx.compiler.train.Metric.ACCURACY),
                new MetricAccumulator(MetricAccumulator.Task.MULTICLASS, g.outputWidth(), t.loss().fromLogits()));
            double sps = train.size() / seconds;
            String system = precision == dev.dlx.compiler.train.Precision.DEFAULT ? "dlx" : "dlx-" + precision.word();
            return new Measurement(system, w.name(), setup, first[0] * 1e3, seconds, sps, train.size() / last, test.get("accuracy"),
                Measurement.processPeakRssMb(), sps * w.trainFlops() / 1e9, (augment ? "augmentation on" : "") + (precision == dev.dlx.compiler.train.Precision.DEFAULT ? "" : " precision " + precision.word()));
        }
    }
}
