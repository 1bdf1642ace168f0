package dev.dlx.runtime.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.compiler.train.Step;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.graph.Weight;
import dev.dlx.runtime.train.Checkpoint;
import dev.dlx.runtime.train.EpochRecord;
import dev.dlx.runtime.train.History;
import dev.dlx.runtime.train.StepGraph;
import dev.dlx.runtime.train.StepTrainer;
import dev.dlx.runtime.train.StopSignal;
import dev.dlx.runtime.train.TrainListener;
import dev.dlx.runtime.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `dlxc run` of a training with several update steps (a GAN): the steps trained in turn on every
 * batch ({@link StepTrainer}), each step's loss per epoch in metrics.csv and the learning curves,
 * the `last` checkpoint after every epoch, and, when the model generates images from its noise
 * inputs, a grid of {@link #GRID} of them after every epoch (`samples_epoch_N.png`, always from the
 * same noise, so the grids show how the same codes change) and `samples.png` at the end.
 */
final class SteppedRun {
    /** Images in each epoch's grid. */
    static final int GRID = 64;
    /** The seed of the grids' noise. */
    static final long GRID_SEED = 1;

    private SteppedRun() {}

    static String gridFile(int epoch) { return "samples_epoch_" + epoch + ".png"; }

    /**
     * @param resume where a resumed run picks up (after a completed epoch: a training with steps
     *               saves `last` at epoch ends only), or null
     */
    static Runner.Result job(RunFolder folder, ModelIR model, TrainIR t, LoadedData data, SampleSet train, SampleSet val, long seed,
                             int epochs, TrainListener listener, StopSignal stop, PrintWriter out, int threads, Trainer.Resume resume)
            throws DataException, IOException {
        Feeding feeding = Feeding.of(model, t, data, seed);
        Map<String, Normalizer> normalizers = feeding.normalizers(train, folder, resume != null);
        int batch = t.batchSize();
        int evalBatch = Math.max(batch, 256);
        DatasetIR ds = data.ir();
        try (StepGraph g = StepGraph.build(model, t, feeding.feed(), seed, Runner.threads(threads, model, batch));
             BatchFeeder trainFeed = feeding.feeder(train, normalizers, DatasetIR.TRAIN, batch);
             BatchFeeder valFeed = val.isEmpty() ? null : feeding.feeder(val, normalizers, DatasetIR.VAL, evalBatch)) {
            for (int k = 0; k < g.steps().size(); k++) {
                Step s = g.steps().get(k);
                long params = g.trained(k).stream().mapToLong(Weight::size).sum();
                out.println(String.format(java.util.Locale.ROOT, "  step %s%s: updates %,d parameters (%d tensors) with %s", s.name(),
                    s.repeat() > 1 ? " * " + s.repeat() : "", params, g.trained(k).size(), Runner.describe(s.optimizer())));
            }
            out.flush();
            int start = 0;
            if (resume != null) {
                g.writeWeights(resume.weights());
                if (!g.writeOptimizerState(resume.optimizer())) {
                    listener.message("the saved optimizer state does not match these steps' optimizers: they start afresh");
                }
                start = resume.completedEpochs();
            }
            StepTrainer trainer = new StepTrainer(g, listener, stop);
            History h = trainer.fit(trainFeed, valFeed, batch, start, epochs, ds.shuffle(), seed, record -> {
                folder.appendMetrics(record);
                saveLast(folder, g, model, record, seed);
                writeGrid(g, folder, gridFile(record.epoch()));
            });
            if (h.stop() != History.Stop.FAILED && t.generated() != null && !h.epochs().isEmpty()) writeGrid(g, folder, "samples.png");
            try {
                folder.plot(model.name());
            } catch (IOException | RuntimeException e) {
                out.println("dlxc: warning: cannot draw the learning curves: " + e.getMessage());
            }
            return new Runner.Result(model.name(), folder.dir(), seed, h, h.last() == null ? null : h.last().val(), null, List.of(), null);
        }
    }

    private static void saveLast(RunFolder folder, StepGraph g, ModelIR model, EpochRecord record, long seed) throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Weight w : g.model().weights()) shapes.put(w.name(), w.shape());
        JsonObject meta = new JsonObject();
        meta.addProperty("model", model.name());
        meta.addProperty("seed", seed);
        meta.addProperty("epoch", record.epoch());
        JsonArray steps = new JsonArray();
        g.steps().forEach(s -> steps.add(s.name()));
        meta.add("steps", steps);
        JsonObject m = new JsonObject();
        record.train().forEach(m::addProperty);
        record.val().forEach((k, v) -> m.addProperty("val_" + k, v));
        meta.add("metrics", m);
        shapes.putAll(g.optimizerShapes());
        folder.saveLast(new Checkpoint(g.readWeights(), shapes, g.readOptimizerState(), meta));
    }

    /** The grid of {@link #GRID} generated images; nothing when the model generates none. */
    private static void writeGrid(StepGraph g, RunFolder folder, String name) throws IOException {
        String tensor = g.generatedTensor();
        if (tensor == null) return;
        Shape s = g.model().model().layer(tensor).orElseThrow().shape();
        float[] v = g.generate(GRID, GRID_SEED);
        ImageGrid.write(ImageGrid.render(v, GRID, (int) s.dim(0).size(), (int) s.dim(1).size(), (int) s.dim(2).size()), folder.file(name));
    }
}
