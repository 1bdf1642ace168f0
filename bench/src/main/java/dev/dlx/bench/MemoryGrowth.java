package dev.dlx.bench;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.optim.LearningRate;
import dev.dlx.runtime.run.Programs;
import dev.dlx.runtime.train.EpochRecord;
import dev.dlx.runtime.train.TrainGraph;
import dev.dlx.runtime.train.TrainListener;
import dev.dlx.runtime.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** `MemoryGrowth WORKLOAD EPOCHS`: trains with dlx and prints the resident set after every epoch. */
public final class MemoryGrowth {
    private MemoryGrowth() {}

    public static void main(String[] args) throws Exception {
        Workload w = Workload.valueOf(args[0]);
        int epochs = Integer.parseInt(args[1]);
        Path repo = Path.of(System.getProperty("dlx.repo", ".")).toAbsolutePath().normalize();
        Compilation c = Programs.compile(w.file(repo), new PrintWriter(System.err, true));
        TrainIR t = c.trainings().get(0);
        ModelIR model = c.models().get(t.model());
        DatasetIR ds = c.datasets().get(t.dataset());
        LoadedData data = LoadedData.load(ds);
        var train = Splitter.split(data, 1).train();
        int batch = t.batchSize();
        boolean stage = TrainGraph.worthStaging(train.size(), data.samples().sampleSize(), false);
        try (TrainGraph g = TrainGraph.build(model, t, ds.labels(), 1, TrainGraph.Threads.auto(model, batch), stage);
             BatchFeeder feed = new BatchFeeder(train, ds.labels(), null, null, batch)) {
            double[] first = {Double.NaN};
            TrainListener listener = new TrainListener() {
                @Override public void epochEnd(EpochRecord r, boolean improved, int total) {
                    double rss = Measurement.processRssMb();
                    Runtime rt = Runtime.getRuntime();
                    double committed = rt.totalMemory() / 1048576.0, used = (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
                    if (Double.isNaN(first[0])) first[0] = rss;
                    // resident = Java heap the JVM has taken (it grows until collections keep up) + everything else
                    System.out.printf(Locale.ROOT, "epoch %2d: %6.0f MB resident (%+.0f MB since epoch 1); Java heap %4.0f MB committed, %4.0f MB used;"
                        + " outside the heap %6.0f MB; %.0f samples/s%n", r.epoch(), rss, rss - first[0], committed, used, rss - committed,
                        r.samplesPerSecond());
                    System.out.flush();
                }
            };
            Trainer.Settings settings = new Trainer.Settings(epochs, t.metrics(), null, "loss", false, 0, true, 1,
                MetricAccumulator.Task.MULTICLASS, false);
            new Trainer(g, new LearningRate(t.schedule(), t.optimizer().lr(), epochs), settings, listener, null, null, null)
                .fit(feed, null, batch, null);
        }
    }
}
