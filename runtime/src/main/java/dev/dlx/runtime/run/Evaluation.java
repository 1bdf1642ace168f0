package dev.dlx.runtime.run;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.train.EvaluateIR;
import dev.dlx.compiler.train.Metric;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.detect.AveragePrecision;
import dev.dlx.runtime.detect.Detections;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.train.TrainGraph;
import dev.dlx.runtime.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * `dlxc evaluate RUN|FILE`: a saved run's weights on a split of its data (the same split as in
 * training: same seed), or a file's `evaluate` statements with the newest run of each model.
 */
public final class Evaluation {

    private final PrintWriter out;
    private final PrintWriter err;
    private final int threads;

    public Evaluation(PrintWriter out, PrintWriter err, int threads) {
        this.out = out;
        this.err = err;
        this.threads = threads;
    }

    /** How a translator's outputs are decoded for their scores (beam 5, α 0.7 unless {@link #decoding} says otherwise). */
    private dev.dlx.runtime.decode.BeamSearch beam = new dev.dlx.runtime.decode.BeamSearch(5, dev.dlx.runtime.decode.BeamSearch.DEFAULT_ALPHA);

    /** Translators are scored with beam search of width {@code width} and length normalization {@code alpha}. */
    public Evaluation decoding(int width, double alpha) {
        this.beam = new dev.dlx.runtime.decode.BeamSearch(width, alpha);
        return this;
    }

    /** The samples of `DATA.SPLIT`, or every sample of the dataset when {@code split} is null. */
    public static List<SampleSet> sets(LoadedData d, String split, long seed) {
        List<SampleSet> out = new ArrayList<>();
        if (split == null) {
            out.add(d.samples().all());
            if (d.testSamples() != null) out.add(d.testSamples().all());
            return out;
        }
        Splitter.Splits s = Splitter.split(d, seed);
        out.add(switch (split) {
            case DatasetIR.TRAIN -> s.train();
            case DatasetIR.VAL -> s.val();
            default -> s.test();
        });
        return out;
    }

    /** Evaluates a run folder on {@code split} (null: test, else val). */
    public int run(Path dir, String split, String which) {
        SavedRun r = SavedRun.open(dir, which, err);
        if (r == null) return Runner.ERRORS;
        try {
            LoadedData data = LoadedData.load(r.dataset(), r.seed());
            data.checkFits(r.model());
            String s = split;
            if (s == null) s = r.dataset().hasSplit(DatasetIR.TEST) ? DatasetIR.TEST : r.dataset().hasSplit(DatasetIR.VAL) ? DatasetIR.VAL : DatasetIR.TRAIN;
            if (!r.dataset().hasSplit(s)) {
                err.println("dlxc: dataset `" + r.dataset().name() + "` has no `" + s + "` split (it has " + String.join(", ", r.dataset().splitNames()) + ")");
                return Runner.ERRORS;
            }
            Measured m = evaluate(r, data, sets(data, s, r.seed()), r.train().metrics());
            out.println(String.format(Locale.ROOT, "%s (%s weights, epoch %d) on %s.%s: %s  (%,d samples)", r.model().name(),
                r.checkpointName(), r.checkpoint().epoch(), r.dataset().name(), s, Runner.metricsLine(m.metrics()), m.samples()));
            averagePrecision(r, data, sets(data, s, r.seed()));
            if (r.dataset().source() instanceof dev.dlx.compiler.data.ParallelSource) {
                try {
                    TranslationScores.report(r, s, beam, threads, out);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    // a model that does not fit translation (no `previous` input, several outputs): said, not a stack trace
                    out.flush();
                    err.println("dlxc: cannot score translations of `" + r.model().name() + "`: " + e.getMessage());
                    err.flush();
                    return Runner.ERRORS;
                }
            }
            out.flush();
            return Runner.OK;
        } catch (DataException e) {
            err.print(e.render());
            err.flush();
            return Runner.ERRORS;
        } catch (IOException e) {
            err.println("dlxc: " + e.getMessage());
            err.flush();
            return Runner.ERRORS;
        }
    }

    /**
     * For a `yolo` head on box labels: AP@0.5 and AP@0.5:0.95 per class and their means over the
     * images of {@code sets}, boxes kept down to p 0.01 and suppressed at IoU 0.5 (see {@link Detections}).
     */
    private void averagePrecision(SavedRun r, LoadedData data, List<SampleSet> sets) {
        Detections head = Detections.of(r.model());
        if (head == null || data.labels() == null || !data.labels().isBoxes()) return;
        List<AveragePrecision.Image> images = new ArrayList<>();
        try (TrainGraph g = r.graph(threads)) {
            for (SampleSet s : sets) if (!s.isEmpty()) images.addAll(head.run(g, data.labels(), r.normalizer(), s, Detections.FOR_SCORING));
        }
        out.print(AveragePrecision.table(images, data.classNames()));
    }

    /** Metrics by name (`loss`, then each label's `kind_loss`, `kind_accuracy`, ... for several outputs) and the samples they cover. */
    record Measured(Map<String, Double> metrics, long samples) {}

    private Measured evaluate(SavedRun r, LoadedData data, List<SampleSet> sets, List<Metric> metrics) throws DataException, IOException {
        Feeding feeding = r.feeding(data);
        if (!feeding.hasParts()) {
            try (TrainGraph g = r.graph(threads)) {
                MetricAccumulator acc = measure(g, r.train(), data.labels(), r.normalizer(), sets, r.train().batchSize());
                return new Measured(acc.result(metrics), acc.samples());
            }
        }
        Map<String, Normalizer> norms = r.normalizers(feeding);
        try (TrainGraph g = r.graph(threads, feeding)) {
            return measure(g, feeding, r.train(), norms, sets, r.train().batchSize(), metrics);
        }
    }

    /**
     * {@code sets} fed by {@code feeding} (each named feature to its input, each label to its
     * output) through {@code g}: the numbers of the `test` line of `dlxc run` for the same weights.
     */
    static Measured measure(TrainGraph g, Feeding feeding, TrainIR t, Map<String, Normalizer> norms, List<SampleSet> sets, int batch,
                            List<Metric> metrics) throws DataException {
        MetricAccumulator acc = Tasks.accumulator(Tasks.task(t.loss(), feeding.labels(), g.outputWidth()), g, t);
        List<BatchFeeder> feeders = new ArrayList<>();
        try {
            for (SampleSet s : sets) if (!s.isEmpty()) feeders.add(feeding.feeder(s, norms, null, Math.max(256, batch)));
            Map<String, Double> m = Trainer.evaluate(g, feeders, metrics, acc);
            return new Measured(m, acc.samples());
        } finally {
            feeders.forEach(BatchFeeder::close);
        }
    }

    /**
     * {@code sets} through {@code g}, batch by batch, into one accumulator: what `dlxc evaluate`, the
     * `evaluate` statements and the `test` line of `dlxc run` print, each with {@link #metrics}.
     */
    static MetricAccumulator measure(TrainGraph g, TrainIR t, LabelSpec labels, Normalizer normalizer, List<SampleSet> sets, int batch) {
        MetricAccumulator acc = Tasks.accumulator(Tasks.task(t.loss(), labels, g.outputWidth()), g, t);
        for (SampleSet s : sets) {
            if (s.isEmpty()) continue;
            try (BatchFeeder f = new BatchFeeder(s, labels, normalizer, null, Math.max(256, batch))) {
                Trainer.evaluateInto(g, f, acc);
            }
        }
        return acc;
    }

    /** The metrics an `evaluate` statement reports: its own `metrics`, else those of the model's training (as the `test` line). */
    static List<Metric> metrics(EvaluateIR e, TrainIR t) {
        return e.metrics().isEmpty() ? t.metrics() : e.metrics();
    }

    /** A file's `evaluate` statements (or, without any, each trained model on its test split) with the newest runs under {@code runs}. */
    public int file(Path file, Path runs) {
        Compilation c = Programs.compile(file, err);
        if (c == null) return Files.exists(file) ? Runner.ERRORS : Runner.USAGE;
        List<String[]> jobs = new ArrayList<>();
        for (EvaluateIR e : c.evaluations()) if (e.valid()) jobs.add(new String[] {e.model(), e.dataset(), e.split()});
        if (jobs.isEmpty()) for (TrainIR t : c.trainings()) jobs.add(new String[] {t.model(), t.dataset(), null});
        if (jobs.isEmpty()) {
            err.println("dlxc: `" + file + "` has no `evaluate` or `train` statement");
            return Runner.ERRORS;
        }
        int code = Runner.OK;
        for (String[] job : jobs) {
            Path dir = RunFolder.newest(runs, job[0], file);
            if (dir == null) {
                err.println("dlxc: no finished run of model `" + job[0] + "` in `" + Runner.display(runs) + "`: train it with `dlxc run " + file + "`");
                code = Runner.ERRORS;
                continue;
            }
            SavedRun r = SavedRun.open(dir, null, err);
            if (r == null) {
                code = Runner.ERRORS;
                continue;
            }
            try {
                DatasetIR ds = c.datasets().get(job[1]);
                LoadedData data = LoadedData.load(ds);
                data.checkFits(r.model());
                String split = job[2];
                if (split == null && job[1].equals(r.dataset().name())) split = ds.hasSplit(DatasetIR.TEST) ? DatasetIR.TEST : null;
                List<Metric> metrics = r.train().metrics();
                for (EvaluateIR e : c.evaluations()) {
                    if (e.model().equals(job[0]) && e.dataset().equals(job[1]) && java.util.Objects.equals(e.split(), job[2])) {
                        metrics = metrics(e, r.train());
                    }
                }
                Measured m = evaluate(r, data, sets(data, split, r.seed()), metrics);
                out.println(String.format(Locale.ROOT, "evaluate %s on %s%s (run %s, %s weights): %s  (%,d samples)", job[0], job[1],
                    split == null ? "" : "." + split, Runner.display(dir), r.checkpointName(), Runner.metricsLine(m.metrics()), m.samples()));
                averagePrecision(r, data, sets(data, split, r.seed()));
            } catch (DataException e) {
                err.print(e.render());
                code = Runner.ERRORS;
            } catch (IOException e) {
                err.println("dlxc: " + e.getMessage());
                code = Runner.ERRORS;
            }
        }
        out.flush();
        err.flush();
        return code;
    }
}
