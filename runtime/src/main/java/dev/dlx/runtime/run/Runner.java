package dev.dlx.runtime.run;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.check.Summary;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.KFold;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.train.Bytes;
import dev.dlx.compiler.train.EvaluateIR;
import dev.dlx.compiler.train.MemoryEstimate;
import dev.dlx.compiler.train.MemoryWarning;
import dev.dlx.compiler.train.Metric;
import dev.dlx.compiler.train.Phase;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.Augmenter;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.loss.ExprLowering;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.metrics.MetricText;
import dev.dlx.runtime.optim.LearningRate;
import dev.dlx.runtime.train.Checkpoint;
import dev.dlx.runtime.train.EpochRecord;
import dev.dlx.runtime.train.History;
import dev.dlx.runtime.train.StepLosses;
import dev.dlx.runtime.train.StopSignal;
import dev.dlx.runtime.train.TrainGraph;
import dev.dlx.runtime.train.TrainListener;
import dev.dlx.runtime.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * `dlxc run`: compiles a file, and for each `train` block reads the data (every data problem is
 * reported before training), splits it, trains with validation after each epoch, evaluates the
 * test split and the file's `evaluate` statements, and leaves a {@link RunFolder}. Also K-fold
 * cross-validation (a model per fold, each fold's scores and their mean ± std), the overfit check
 * (`--overfit-batch`), and resuming an interrupted run. Returns exit codes: 0 done, 1 errors in the
 * program or the data (or training diverged, or the overfit check failed), 130 interrupted.
 */
public final class Runner {
    public static final int OK = 0;
    public static final int ERRORS = 1;
    public static final int USAGE = 2;
    public static final int INTERRUPTED = 130;

    /** What one `train` block produced (for callers and tests). */
    public record Result(String model, Path folder, long seed, History history, Map<String, Double> val, Map<String, Double> test,
                         List<Map<String, Double>> folds, Trainer.OverfitResult overfit) {}

    private final PrintWriter out;
    private final PrintWriter err;
    private final PrintStream barStream;
    private final StopSignal stop;
    private final List<Result> results = new ArrayList<>();

    public Runner(PrintWriter out, PrintWriter err, PrintStream barStream, StopSignal stop) {
        this.out = out;
        this.err = err;
        this.barStream = barStream;
        this.stop = stop == null ? new StopSignal() : stop;
    }

    public List<Result> results() { return List.copyOf(results); }

    /** A seed drawn for a run that names none: in a cluster, the chief's, so that every worker shuffles alike. */
    private static long randomSeed() {
        int mine = new SecureRandom().nextInt(1 << 30);
        dev.dlx.runtime.cluster.Cluster cluster = dev.dlx.runtime.cluster.Cluster.joined();
        return cluster == null || cluster.size() < 2 ? mine : dev.dlx.runtime.cluster.Collectives.fromChief(cluster, mine);
    }

    /** Trains every `train` block of {@code file} (or the one of {@code options.model()}). */
    public int run(Path file, RunOptions options) {
        configure(options);
        Compilation c = Programs.compile(file, err, options.params());
        if (c == null) return Files.exists(file) ? ERRORS : USAGE;
        Map<String, String> point = RunParams.point(c, options.params());
        if (!point.isEmpty()) {
            StringBuilder values = new StringBuilder();
            point.forEach((k, v) -> values.append(values.length() == 0 ? "" : ", ").append(k).append(" = ").append(v));
            out.println("search parameters: " + values + (options.params().isEmpty()
                ? " (the defaults; `dlxc search " + display(file) + "` tries the others)" : ""));
            out.flush();
        }
        List<TrainIR> trainings = c.trainings();
        if (options.model() != null) trainings = trainings.stream().filter(t -> t.model().equals(options.model())).toList();
        if (trainings.isEmpty()) {
            err.println("dlxc: `" + file + "` has no `train` block" + (options.model() == null ? "" : " for model `" + options.model() + "`")
                + "; add `train MODEL on DATASET { loss ...; optimizer ... }`");
            err.flush();
            return ERRORS;
        }
        boolean fit = true;
        for (TrainIR t : trainings) fit &= fitsMemory(c, t, options);
        if (!fit) return ERRORS;
        int code = OK;
        for (TrainIR t : trainings) {
            int index = c.trainings().indexOf(t);
            code = Math.max(code, guarded(() -> train(c, file, t, index, options, null, null)));
            if (code == INTERRUPTED) break;
        }
        return code;
    }

    /** Continues the run in {@code dir} from its `last` checkpoint. */
    public int resume(Path dir, RunOptions options) {
        configure(options);
        return guarded(() -> resumeRun(dir, options));
    }

    private interface Body {
        int run() throws DataException, IOException;
    }

    private int guarded(Body body) {
        try {
            return body.run();
        } catch (DataException e) {
            err.print(e.render());
            err.flush();
            return ERRORS;
        } catch (IOException | UncheckedIOException e) {
            err.println("dlxc: " + e.getMessage());
            err.flush();
            return ERRORS;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return ERRORS;
        } catch (org.tensorflow.exceptions.TensorFlowException e) {
            dev.dlx.runtime.cluster.Cluster cluster = dev.dlx.runtime.cluster.Cluster.joined();
            if (cluster != null && cluster.size() > 1) {
                err.println("error: worker " + cluster.task() + " of " + cluster.size() + ": a step with the other workers failed (a worker "
                    + "died, never started or cannot be reached; collectives wait " + cluster.timeoutSeconds() + " s): "
                    + e.getMessage().lines().findFirst().orElse(""));
                err.flush();
                return ERRORS;
            }
            err.println("error: TensorFlow refused to run the model: " + e.getMessage().lines().findFirst().orElse(""));
            err.flush();
            return ERRORS;
        }
    }

    /**
     * False after saying why when the training's {@link MemoryEstimate} exceeds the limit of {@code o}:
     * it is refused before any data are read or graph is built, rather than failing inside TensorFlow.
     */
    private boolean fitsMemory(Compilation c, TrainIR t, RunOptions o) {
        if (o.memoryLimit() <= 0) return true;
        MemoryEstimate e = MemoryEstimate.of(c.models().get(t.model()), t).orElse(null);
        if (e == null || e.total() <= o.memoryLimit()) return true;
        err.println("error: training `" + t.model() + "` on `" + t.dataset() + "` needs about " + Bytes.text(e.total()) + " (" + e.parts()
            + "), more than the " + Bytes.text(o.memoryLimit()) + " TensorFlow can use; nothing was run (" + MemoryWarning.advice(e)
            + ", or pass --ignore-memory to try anyway)");
        err.flush();
        return false;
    }

    private int train(Compilation c, Path file, TrainIR t, int index, RunOptions o, RunFolder existing, Trainer.Resume resume)
            throws DataException, IOException {
        ModelIR model = c.models().get(t.model());
        DatasetIR ds = c.datasets().get(t.dataset());
        long seed = o.seed() != null ? o.seed() : t.seed().isPresent() ? t.seed().getAsInt() : randomSeed();
        if (existing != null) seed = existing.readJson(RunFolder.RUN_JSON).get("seed").getAsLong();
        if (o.epochs() != null && t.phased()) throw new IllegalArgumentException("--epochs does not apply to a training in phases: change the phases' `epochs`");
        int epochs = o.epochs() != null ? o.epochs() : t.epochs();
        long started = System.nanoTime();

        out.println("training `" + model.name() + "` on `" + ds.name() + "`: reading the data...");
        out.flush();
        bf16Warning(t);
        LoadedData data = LoadedData.load(ds, seed);
        data.checkFits(model, t.noiseInputs());
        Splitter.Splits splits = Splitter.split(data, seed);
        if (splits.train().isEmpty()) throw DataException.general("the training split of `" + ds.name() + "` is empty", "lower the val and test shares");
        if (ds.sampling() != null) {
            // every split can be drawn from (two classes in each), before any run folder exists
            for (SampleSet s : List.of(splits.train(), splits.val(), splits.test())) dev.dlx.runtime.data.PairSampler.draw(ds.sampling(), s, seed);
        }
        out.println(String.format(Locale.ROOT, "  %,d samples %s: train %,d, val %,d, test %,d; seed %d%s", data.samples().count()
                + (data.testSamples() == null ? 0 : data.testSamples().count()), dev.dlx.runtime.data.Samples.shapeText(data.sampleShape()),
            splits.train().size(), splits.val().size(), splits.test().size(), seed,
            o.seed() == null && t.seed().isEmpty() && existing == null ? " (random: pass --seed " + seed + " to repeat)" : ""));
        out.flush();

        if (o.overfitBatch() && t.stepped()) throw new IllegalArgumentException("--overfit-batch checks one objective; this training has steps");
        if (o.overfitBatch()) return overfit(model, t, ds, data, splits, seed, o);

        RunFolder folder = existing;
        if (folder == null) {
            folder = RunFolder.create(o.runs(), model.name());
            String sourceCopy = folder.copySources(c.programs(), file);
            JsonObject run = new JsonObject();
            run.addProperty("format", "dlx-run 1");
            run.addProperty("file", file.toAbsolutePath().normalize().toString());
            run.addProperty("source", sourceCopy);
            run.addProperty("model", model.name());
            run.addProperty("dataset", ds.name());
            run.addProperty("training", index);
            run.addProperty("seed", seed);
            run.addProperty("epochs", epochs);
            run.addProperty("batch", t.batchSize());
            run.addProperty(RunRecord.LOG_EVERY, Math.max(0, o.logEvery())); // a resumed run goes on with it
            run.addProperty("started", Instant.now().toString());
            run.addProperty("status", "running");
            JsonObject sizes = new JsonObject();
            sizes.addProperty("train", o.trainOnVal() ? splits.pool().size() : splits.train().size()); // train+val: what it trained on
            sizes.addProperty("val", splits.val().size());
            sizes.addProperty("test", splits.test().size());
            run.add("split", sizes);
            if (ds.kfold() != null) run.addProperty("kfold", ds.kfold().k() + (ds.kfold().iterated() ? " x " + ds.kfold().repeats() : ""));
            Map<String, String> point = RunParams.point(c, o.params());
            if (!point.isEmpty()) run.add(RunParams.KEY, RunParams.json(point));
            if (o.trainOnVal()) run.addProperty("train_on_val", true);
            folder.writeJson(RunFolder.RUN_JSON, run);
            writeDataFiles(folder, data);
            folder.writeText(RunFolder.SUMMARY, Summary.render(model.freeze(t.frozen())) + "\n" + settings(t, ds, seed, epochs) + "\n");
        } else {
            folder.updateRun(Map.of("status", new JsonPrimitive("running"), "epochs", new JsonPrimitive(epochs)));
        }
        out.println("  run folder " + display(folder.dir()));
        out.flush();

        Result result;
        if (t.stepped()) {
            result = SteppedRun.job(folder, model, t, data, splits.train(), splits.val(), seed, epochs,
                new ConsoleListener(out, barStream, mode, ""), stop, out, threadCount, resume);
        } else if (ds.kfold() != null) {
            result = kfold(folder, c, model, t, ds, data, splits, seed, epochs);
        } else {
            boolean onVal = o.trainOnVal() || existing != null && existing.readJson(RunFolder.RUN_JSON).has("train_on_val");
            if (onVal) {
                out.println("  training on train and val together (" + splits.pool().size() + " samples); val is seen in training, so only test estimates");
                out.flush();
            }
            result = job(folder, c, model, t, ds, data, onVal ? splits.pool() : splits.train(), splits.val(), splits.test(), seed, epochs, "", resume);
        }
        results.add(result);
        double seconds = (System.nanoTime() - started) / 1e9;
        return finish(folder, result, seconds, t.stepped());
    }

    /** Writes classes.json and data.json: what evaluate and predict need to read data as training did. */
    private static void writeDataFiles(RunFolder folder, LoadedData data) throws IOException {
        if (data.classNames() != null) folder.writeJson(RunFolder.CLASSES, RunFolder.strings(data.classNames()));
        if (data.words() != null) folder.writeJson(RunFolder.VOCABULARY, RunFolder.strings(data.words().vocabulary()));
        if (data.ir().source() instanceof dev.dlx.compiler.data.ParallelSource) {
            for (String side : RunFolder.PARALLEL_SIDES) folder.writeJson(RunFolder.vocabularyFile(side), RunFolder.strings(data.part(side).classNames()));
        }
        JsonObject d = new JsonObject();
        d.addProperty("dataset", data.ir().name());
        com.google.gson.JsonArray shape = new com.google.gson.JsonArray();
        for (int s : data.sampleShape()) shape.add(s);
        d.add("sample_shape", shape);
        com.google.gson.JsonArray cols = new com.google.gson.JsonArray();
        data.featureColumns().forEach(cols::add);
        d.add("feature_columns", cols);
        JsonObject cats = new JsonObject();
        data.categories().forEach((k, v) -> cats.add(Integer.toString(k), RunFolder.strings(v)));
        d.add("categories", cats);
        if (data.ir().source() instanceof dev.dlx.compiler.data.CsvSource csv) d.addProperty("missing", csv.missing().word());
        if (data.missingFill() != null) {
            com.google.gson.JsonArray fill = new com.google.gson.JsonArray();
            for (float v : data.missingFill()) fill.add(v);
            d.add("missing_fill", fill);
        }
        d.addProperty("labels", data.labels() == null ? "none" : data.labels().encoding().name().toLowerCase(Locale.ROOT));
        if (data.hasParts()) {
            // each named feature's shape, each named label's encoding and class names (classes.NAME.json)
            JsonObject features = new JsonObject();
            for (dev.dlx.runtime.data.Part p : data.features()) {
                com.google.gson.JsonArray s = new com.google.gson.JsonArray();
                for (int v : p.samples().shape()) s.add(v);
                features.add(p.name(), s);
            }
            d.add("features", features);
            JsonObject labels = new JsonObject();
            for (dev.dlx.runtime.data.Part p : data.labelParts()) {
                labels.addProperty(p.name(), p.spec().encoding().name().toLowerCase(Locale.ROOT));
                if (p.classNames() != null) folder.writeJson(RunFolder.classesFile(p.name()), RunFolder.strings(p.classNames()));
            }
            d.add("named_labels", labels);
        }
        folder.writeJson(RunFolder.DATA, d);
    }

    private static String settings(TrainIR t, DatasetIR ds, long seed, int epochs) {
        StringBuilder s = new StringBuilder("training\n");
        s.append("  dataset    ").append(ds.name()).append('\n');
        boolean oneWord = t.objective() == null || ExprLowering.isPlain(t.objective());
        if (t.stepped()) {
            for (dev.dlx.compiler.train.Step step : t.steps()) {
                s.append("  step ").append(step.name()).append(step.repeat() > 1 ? " * " + step.repeat() : "").append('\n');
                s.append("    loss     ").append(step.objective().span().text()).append('\n');
                s.append("    updates  ").append(String.join(" ", step.named())).append('\n');
                s.append("    optimizer ").append(describe(step.optimizer())).append('\n');
            }
            t.noise().forEach(n -> s.append("  noise      ").append(n.input()).append(' ').append(n.kind().name().toLowerCase(Locale.ROOT))
                .append(n.kind() == dev.dlx.compiler.train.Noise.Kind.NORMAL ? " mean " + Num.compact(n.mean()) + " std " + Num.compact(n.std())
                    : " low " + Num.compact(n.low()) + " high " + Num.compact(n.high())).append('\n'));
        } else {
            s.append("  loss       ").append(oneWord ? t.loss().loss().word() : t.objective().span().text()).append('\n');
            s.append("  optimizer  ").append(describe(t.optimizer())).append('\n');
        }
        if (t.schedule() != null) s.append("  schedule   ").append(t.schedule().name()).append('\n');
        s.append("  epochs     ").append(epochs).append(", batch ").append(t.batchSize()).append(", seed ").append(seed).append('\n');
        if (!t.regularizers().isEmpty()) {
            t.regularizers().forEach(r -> s.append("  regularize ").append(r.kind().name().toLowerCase(Locale.ROOT)).append(' ').append(Num.compact(r.lambda()))
                .append(r.layers().isEmpty() ? "" : " on " + String.join(" ", r.layers())).append('\n'));
        }
        if (t.clip() != null) s.append("  clip       ").append(t.clip().kind().name().toLowerCase(Locale.ROOT)).append(' ').append(Num.compact(t.clip().threshold())).append('\n');
        if (t.earlyStop() != null) {
            s.append("  early stop ").append(t.earlyStop().monitor()).append(" patience ").append(t.earlyStop().patience())
                .append(t.earlyStop().restoreBest() ? " restore_best" : "").append('\n');
        }
        if (!t.frozen().isEmpty()) s.append("  frozen     ").append(String.join(" ", t.frozen())).append('\n');
        int from = 1;
        for (Phase p : t.phases()) {
            s.append("  phase ").append(p.name()).append(": epochs ").append(from).append('-').append(from + p.epochs() - 1)
                .append(", optimizer ").append(describe(p.optimizer())).append('\n');
            s.append("    frozen   ").append(p.frozen().isEmpty() ? "nothing" : String.join(" ", p.frozen())).append('\n');
            from += p.epochs();
        }
        return s.toString();
    }

    /** A warning before a `precision bf16` training on a CPU without bfloat16 units, where TensorFlow emulates it. */
    private void bf16Warning(TrainIR t) {
        if (t.precision() != dev.dlx.compiler.train.Precision.BF16) return;
        if (dev.dlx.runtime.device.Device.used().map(dev.dlx.runtime.device.Device::gpu).orElse(false)) return; // a GPU's units, not the CPU's
        java.util.Set<String> flags = dev.dlx.runtime.train.CpuFeatures.flags();
        if (dev.dlx.runtime.train.CpuFeatures.bfloat16Units(flags)) return;
        err.println("dlxc: warning: `precision bf16` on a CPU without bfloat16 units (no avx512_bf16 or amx_bf16; its vector flags: "
            + dev.dlx.runtime.train.CpuFeatures.vectorFlags(flags) + "): TensorFlow emulates bfloat16 here, far slower than float32; "
            + "leave `precision` out on this machine");
        err.flush();
    }

    static String describe(dev.dlx.compiler.train.Optimizer o) {
        if (o instanceof dev.dlx.compiler.train.Optimizer.Adam a) {
            return "adam lr " + Num.compact(a.lr()) + " beta1 " + Num.compact(a.beta1()) + " beta2 " + Num.compact(a.beta2())
                + " epsilon " + Num.compact(a.epsilon());
        }
        if (o instanceof dev.dlx.compiler.train.Optimizer.Momentum m) {
            return "momentum lr " + Num.compact(m.lr()) + " beta " + Num.compact(m.beta()) + (m.nesterov() ? " nesterov" : "");
        }
        if (o instanceof dev.dlx.compiler.train.Optimizer.RmsProp r) {
            return "rmsprop lr " + Num.compact(r.lr()) + " rho " + Num.compact(r.rho()) + " epsilon " + Num.compact(r.epsilon());
        }
        if (o instanceof dev.dlx.compiler.train.Optimizer.Adagrad a) {
            return "adagrad lr " + Num.compact(a.lr()) + " initial " + Num.compact(a.initial()) + " epsilon " + Num.compact(a.epsilon());
        }
        if (o instanceof dev.dlx.compiler.train.Optimizer.Adadelta a) {
            return "adadelta lr " + Num.compact(a.lr()) + " rho " + Num.compact(a.rho()) + " epsilon " + Num.compact(a.epsilon());
        }
        return "sgd lr " + Num.compact(o.lr());
    }

    /** One model trained on one train/val pair, tested, with its checkpoints and curves in {@code folder}. */
    private Result job(RunFolder folder, Compilation c, ModelIR model, TrainIR t, DatasetIR ds, LoadedData data, SampleSet train,
                       SampleSet val, SampleSet test, long seed, int epochs, String prefix, Trainer.Resume resume)
            throws DataException, IOException {
        Feeding feeding = Feeding.of(model, t, data, seed);
        Map<String, Normalizer> normalizers = feeding.normalizers(train, folder, resume != null);
        Normalizer normalizer = normalizers.get(feeding.firstInput());
        int batch = t.batchSize();
        int evalBatch = Math.max(batch, 256);
        boolean validation = !val.isEmpty();
        String monitor = Tasks.monitor(t, validation);
        if (monitor.startsWith("val_") && !validation) monitor = monitor.substring(4);
        if (ds.source() instanceof dev.dlx.compiler.data.TextSource text && text.windows() && resume == null) {
            out.println(prefix + "  " + dev.dlx.runtime.metrics.Perplexity.baselineLine(train, val, text.vocab()));
        }
        boolean stage = TrainGraph.worthStaging(train.size(), feeding.firstSampleSize(), ds.augmentsFor(DatasetIR.TRAIN).isPresent());
        // a training in phases: this graph trains the last phase and is evaluated; the earlier phases train in their own
        Phase lastPhase = t.phased() ? t.phases().get(t.phases().size() - 1) : null;
        TrainIR graphed = lastPhase == null ? t : t.phase(lastPhase);
        try (TrainGraph g = feeding.graph(model, graphed, seed, threads(model, graphed), stage);
             BatchFeeder trainFeed = feeding.feeder(train, normalizers, DatasetIR.TRAIN, batch);
             BatchFeeder valFeed = validation ? feeding.feeder(val, normalizers, DatasetIR.VAL, evalBatch) : null;
             BatchFeeder testFeed = test.isEmpty() ? null : feeding.feeder(test, normalizers, null, evalBatch)) {
            MetricAccumulator.Task task = Tasks.task(t.loss(), feeding.labels(), g.outputWidth());
            Trainer.Settings settings = new Trainer.Settings(epochs, t.metrics(), t.earlyStop(), monitor, Tasks.higherIsBetter(t, monitor),
                t.earlyStop() == null ? 0 : t.earlyStop().minDelta(), ds.shuffle(), seed, task, Tasks.fromLogits(t));
            JsonObject meta = new JsonObject();
            meta.addProperty("model", model.name());
            meta.addProperty("optimizer", t.optimizer().kind().word());
            meta.addProperty("seed", seed);
            ConsoleListener console = new ConsoleListener(out, barStream, mode, prefix);
            RunFolder f = folder;
            dev.dlx.runtime.cluster.Cluster joined = dev.dlx.runtime.cluster.Cluster.joined();
            boolean chief = joined == null || joined.chief();
            EventLog events = events(folder, g);
            TrainListener listener = new TrainListener() {
                @Override public void epochStart(int epoch, int total, int batches, double lr) { console.epochStart(epoch, total, batches, lr); }
                @Override public void batchEnd(int b, int n, double loss, double acc, long samples, double s) {
                    console.batchEnd(b, n, loss, acc, samples, s);
                }
                @Override public void stepLosses(List<StepLosses.Row> rows) {
                    // the rows are the same on every worker: the chief's run folder has them
                    if (chief) f.appendSteps(rows);
                }
                @Override public void epochEnd(EpochRecord r, boolean improved, int total) {
                    f.appendMetrics(r);
                    if (events != null) {
                        try {
                            events.epoch(r);
                        } catch (IOException e) {
                            console.message("cannot write the event file for TensorBoard: " + e.getMessage());
                        }
                    }
                    console.epochEnd(r, improved, total);
                }
                @Override public void message(String text) { console.message(text); }
            };
            History h;
            if (t.phased()) {
                h = phases(g, feeding, model, t, data, stage, trainFeed, valFeed, settings, listener, folder, meta, console, resume);
            } else {
                if (resume == null && t.load() != null) loadStartingWeights(g, t);
                if (resume == null) for (String line : dev.dlx.runtime.embed.VectorLoad.apply(g, model, data)) console.message(line);
                Trainer trainer = new Trainer(g, new LearningRate(t.schedule(), t.optimizer().lr(), epochs), settings, listener, folder, stop, meta).logEvery(logEvery);
                h = trainer.fit(trainFeed, valFeed, batch, resume);
            }
            Map<String, Double> valMetrics = null, testMetrics = null;
            if (h.stop() != History.Stop.FAILED && h.stop() != History.Stop.INTERRUPTED) {
                MetricAccumulator.Task tk = task;
                if (valFeed != null) valMetrics = Trainer.evaluate(g, valFeed, t.metrics(), Tasks.accumulator(tk, g, t));
                if (testFeed != null) {
                    testMetrics = Trainer.evaluate(g, testFeed, t.metrics(), Tasks.accumulator(tk, g, t));
                    out.println(prefix + "test  " + metricsLine(testMetrics) + String.format(Locale.ROOT, "  (%,d samples, %s weights)",
                        test.size(), h.restoredBest() ? "best" : "final"));
                }
                if (prefix.isEmpty()) evaluations(c, model, t, ds, data, seed, feeding, normalizers, g);
                if (ds.sampling() != null) {
                    long draws = ds.sampling().seed().isPresent() ? ds.sampling().seed().getAsInt() : seed;
                    MetricLearning.Scores scores = MetricLearning.measure(g, ds.sampling(), normalizer, train, val, test,
                        dev.dlx.runtime.data.Splitter.unseen(data), draws);
                    scores.lines().forEach(line -> out.println(prefix + line));
                    out.flush();
                    folder.writeJson(RunFolder.METRIC_LEARNING, scores.json());
                }
            }
            try {
                folder.plot(model.name());
            } catch (IOException | RuntimeException e) {
                err.println("dlxc: warning: cannot draw the learning curves: " + e.getMessage());
            }
            return new Result(model.name(), folder.dir(), seed, h, valMetrics, testMetrics, List.of(), null);
        }
    }

    /**
     * The phases of a training in order, each in a graph of its own frozen layers (run as at inference)
     * and its own optimizer, started afresh; the weights, moving statistics included, pass from
     * phase to phase. Epochs count on across the phases (the second phase of 3 + 2 epochs trains
     * epochs 4 and 5), metrics.csv names each epoch's phase, and checkpoints hold the phase in their
     * metadata. The last phase trains in {@code last}, which the run then evaluates. A phase that
     * fails or is interrupted ends the training; one that stops early hands on to the next.
     */
    private History phases(TrainGraph last, Feeding feeding, ModelIR model, TrainIR t, LoadedData data, boolean stage, BatchFeeder trainFeed,
                           BatchFeeder valFeed, Trainer.Settings s, TrainListener listener, RunFolder folder, JsonObject meta,
                           ConsoleListener console, Trainer.Resume resume) throws IOException {
        Map<String, float[]> weights = null;
        List<Phase> phases = t.phases();
        // resumed: the phase of the resumed epoch (PhaseResume made `resume` start inside it or at its start)
        int first = resume == null ? 0 : Math.max(0, PhaseResume.phaseOf(phases, resume.completedEpochs() + 1));
        int done = PhaseResume.start(phases, first);
        long steps = -1; // the optimizer steps of the phases before this one (each phase goes on counting)
        History h = null;
        // the console counts epochs out of the whole training (epoch 3/6), not out of the phase's end
        TrainListener counted = new TrainListener() {
            @Override public void epochStart(int epoch, int total, int batches, double lr) { listener.epochStart(epoch, t.epochs(), batches, lr); }
            @Override public void batchEnd(int b, int n, double loss, double acc, long samples, double sec) { listener.batchEnd(b, n, loss, acc, samples, sec); }
            @Override public void stepLosses(List<StepLosses.Row> rows) { listener.stepLosses(rows); }
            @Override public void epochEnd(EpochRecord r, boolean improved, int total) { listener.epochEnd(r, improved, t.epochs()); }
            @Override public void message(String text) { listener.message(text); }
        };
        for (int k = first; k < phases.size(); k++) {
            Phase p = phases.get(k);
            TrainIR pt = t.phase(p);
            TrainGraph g = k == phases.size() - 1 ? last : feeding.graph(model, pt, s.seed(), threads(model, pt), stage);
            try {
                if (k == 0 && resume == null) {
                    if (t.load() != null) loadStartingWeights(g, pt);
                    for (String line : dev.dlx.runtime.embed.VectorLoad.apply(g, model, data)) console.message(line);
                }
                console.message("phase " + p.name() + " (" + (k + 1) + " of " + phases.size() + "): epochs " + (done + 1) + "-" + (done + p.epochs())
                    + ", " + g.trained().size() + " weight tensors train" + (p.frozen().isEmpty() ? "" : ", frozen " + String.join(" ", p.frozen())));
                folder.phase(p.name());
                JsonObject pm = meta.deepCopy();
                pm.addProperty("phase", p.name());
                pm.addProperty("optimizer", p.optimizer().kind().word());
                Trainer.Settings ps = new Trainer.Settings(done + p.epochs(), s.metrics(), s.earlyStop(), s.monitor(), s.monitorHigher(), s.minDelta(),
                    s.shuffle(), s.seed(), s.task(), s.fromLogits());
                // the earlier phases' epochs as completed ones, with a fresh optimizer (no state to restore)
                Trainer.Resume from = k == first && resume != null ? resume
                    : k == 0 ? null : new Trainer.Resume(done, 0, weights, Map.of(), null, null, null, steps);
                Trainer trainer = new Trainer(g, new LearningRate(t.schedule(), p.optimizer().lr(), done + p.epochs()), ps, counted, folder, stop, pm).logEvery(logEvery);
                h = trainer.fit(trainFeed, valFeed, t.batchSize(), from);
                steps = trainer.stepsDone();
                weights = g.readWeights();
                done += p.epochs();
            } finally {
                if (g != last) g.close();
            }
            if (h.stop() == History.Stop.FAILED || h.stop() == History.Stop.INTERRUPTED) break;
        }
        return h;
    }

    /**
     * `load "runs/Base-..."` (fine-tuning): the weights of a run folder (its best checkpoint, else its
     * last) or of a `.npz` checkpoint, for every weight of this model with the same name and shape;
     * the others keep their initial values. A checkpoint of a model this one uses inside it loads
     * into that use (its weights are known here by the used model's name).
     */
    private void loadStartingWeights(TrainGraph g, TrainIR t) throws IOException {
        Path p = t.load();
        Path file = Files.isDirectory(p) ? (Files.exists(p.resolve(RunFolder.BEST)) ? p.resolve(RunFolder.BEST) : p.resolve(RunFolder.LAST)) : p;
        if (!Files.isRegularFile(file)) throw new IOException("`load`: no checkpoint at `" + display(p) + "` (a run folder or a .npz file)");
        if (foreign(file)) {
            loadForeignWeights(g, file);
            return;
        }
        Checkpoint c = Checkpoint.read(file);
        Map<String, long[]> shapes = g.shapes();
        Map<String, float[]> use = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        // a checkpoint of a model this one uses (an encoder trained alone): its `dense_1/kernel` is `Encoder/dense_1/kernel` here
        String from = c.meta().has("model") ? c.meta().get("model").getAsString() : null;
        boolean used = from != null && g.model().model().uses().stream().anyMatch(u -> u.model().equals(from));
        for (Map.Entry<String, float[]> e : c.weights().entrySet()) {
            String name = e.getKey();
            if (used && shapes.containsKey(from + "/" + name)) name = from + "/" + name; // the used model's layer, not this model's namesake
            long[] mine = shapes.get(name);
            if (mine != null && java.util.Arrays.equals(mine, c.shapes().get(e.getKey())) && g.model().weight(name).isPresent()) {
                use.put(name, e.getValue());
            } else {
                skipped.add(e.getKey());
            }
        }
        if (use.isEmpty()) {
            throw new IOException("`load`: none of the weights in `" + display(file) + "` fits model `" + g.model().model().name()
                + "` (names and shapes differ)");
        }
        g.writeWeights(use);
        int total = g.model().weights().size();
        out.println(String.format(Locale.ROOT, "  loaded %d of %d weight tensors from %s%s", use.size(), total, display(file),
            skipped.isEmpty() ? "" : " (" + skipped.size() + " in the file did not fit: " + String.join(", ", skipped.subList(0, Math.min(4, skipped.size())))
                + (skipped.size() > 4 ? ", ..." : "") + ")"));
        out.flush();
    }

    /** A run folder's event file for TensorBoard with the training graph; null (said on stderr) when it cannot be written. */
    private EventLog events(RunFolder folder, TrainGraph g) {
        try {
            return EventLog.create(folder.dir(), g.model().graph().toGraphDef());
        } catch (IOException | RuntimeException e) {
            err.println("dlxc: warning: no event file for TensorBoard: " + e.getMessage());
            return null;
        }
    }

    /** Whether {@code file} is a `.npz` written outside dlx: a zip without dlx's manifest. */
    private static boolean foreign(Path file) {
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            return zip.getEntry("manifest.json") == null;
        } catch (IOException e) {
            return false; // not a zip at all: Checkpoint.read says what is wrong
        }
    }

    /**
     * `load "weights.npz"` written by NumPy (from another framework's model of the same architecture):
     * each array named as dlx names the weight (`dense_1/kernel`, `conv_2/bias`: the layer as `dlxc
     * check` prints it, the parameter as a dlx checkpoint names it; a trailing `:0` is ignored), with
     * the weight's shape. An array no weight takes
     * or of another shape is an error, all of them listed; the model's weights the file lacks keep
     * their initial values, and are named.
     */
    private void loadForeignWeights(TrainGraph g, Path file) throws IOException {
        Map<String, dev.dlx.runtime.train.NumpyArrays.Array> arrays = dev.dlx.runtime.train.NumpyArrays.read(file);
        Map<String, long[]> shapes = g.shapes();
        Map<String, float[]> use = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, dev.dlx.runtime.train.NumpyArrays.Array> e : arrays.entrySet()) {
            String name = e.getKey().endsWith(":0") ? e.getKey().substring(0, e.getKey().length() - 2) : e.getKey();
            long[] mine = g.model().weight(name).isPresent() ? shapes.get(name) : null;
            if (mine == null) {
                var close = dev.dlx.compiler.schema.Suggest.closest(name, List.copyOf(g.model().weights().stream().map(w -> w.name()).toList()));
                problems.add("`" + e.getKey() + "`: model `" + g.model().model().name() + "` has no such weight" + close.map(c -> " (did you mean `" + c + "`?)").orElse(""));
            } else if (!java.util.Arrays.equals(mine, e.getValue().shape())) {
                problems.add("`" + e.getKey() + "`: " + java.util.Arrays.toString(e.getValue().shape()) + " in the file, " + java.util.Arrays.toString(mine)
                    + " in the model");
            } else {
                use.put(name, e.getValue().values());
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException("`load`: " + problems.size() + " array" + (problems.size() == 1 ? "" : "s") + " of `" + display(file)
                + "` do" + (problems.size() == 1 ? "es" : "") + " not fit:\n  " + String.join("\n  ", problems)
                + "\n  name each array LAYER/PARAM as a dlx checkpoint does (the layers as `dlxc check` prints them; "
                + "`np.load(\"runs/RUN/last.npz\").files` lists a run's), with the weight's shape");
        }
        g.writeWeights(use);
        List<String> missing = g.model().weights().stream().map(w -> w.name()).filter(n -> !use.containsKey(n)).toList();
        out.println(String.format(Locale.ROOT, "  loaded %d of %d weight tensors from %s%s", use.size(), g.model().weights().size(), display(file),
            missing.isEmpty() ? "" : "; these keep their initial values: " + String.join(", ", missing)));
        out.flush();
    }

    private ConsoleListener.Mode mode = ConsoleListener.Mode.AUTO;
    private int threadCount;
    private int logEvery;

    private void configure(RunOptions o) {
        this.mode = o.progress() == null ? ConsoleListener.Mode.AUTO : o.progress();
        this.threadCount = o.threads();
        this.logEvery = o.logEvery();
    }

    private TrainGraph.Threads threads(ModelIR model, TrainIR t) { return threads(threadCount, model, t.batchSize()); }

    /** TensorFlow's threads: {@code intraOp} inside one op, or (0) chosen by the model's size. */
    static TrainGraph.Threads threads(int intraOp, ModelIR model, int batch) {
        return intraOp > 0 ? TrainGraph.Threads.of(intraOp) : TrainGraph.Threads.auto(model, batch);
    }

    /** The file's `evaluate MODEL on DATA[.SPLIT]` statements for this model, with the trained weights. */
    private void evaluations(Compilation c, ModelIR model, TrainIR t, DatasetIR ds, LoadedData data, long seed, Feeding feeding,
                             Map<String, Normalizer> normalizers, TrainGraph g) {
        for (EvaluateIR e : c.evaluations()) {
            if (!e.valid() || !e.model().equals(model.name())) continue;
            boolean sameAsTest = e.dataset().equals(ds.name()) && DatasetIR.TEST.equals(e.split())
                && (e.metrics().isEmpty() || e.metrics().equals(t.metrics()));
            if (sameAsTest) continue; // printed as `test` already
            try {
                boolean own = e.dataset().equals(ds.name());
                LoadedData d = own ? data : LoadedData.load(c.datasets().get(e.dataset()), seed);
                List<SampleSet> sets = Evaluation.sets(d, e.split(), seed);
                Map<String, Double> metrics;
                long samples;
                Feeding fed = own ? feeding : Feeding.of(model, t, d, seed);
                if (!fed.hasParts()) {
                    MetricAccumulator acc = Evaluation.measure(g, t, d.labels(), normalizers.get(feeding.firstInput()), sets, e.batchSize());
                    metrics = acc.result(Evaluation.metrics(e, t));
                    samples = acc.samples();
                } else if (own) {
                    Evaluation.Measured m = Evaluation.measure(g, fed, t, normalizers, sets, e.batchSize(), Evaluation.metrics(e, t));
                    metrics = m.metrics();
                    samples = m.samples();
                } else {
                    // another dataset pairs its own features and labels: a graph of its feed, with the trained weights
                    try (TrainGraph other = fed.graph(model, t, seed, threads(model, t), false)) {
                        other.writeWeights(g.readWeights());
                        Evaluation.Measured m = Evaluation.measure(other, fed, t, normalizers, sets, e.batchSize(), Evaluation.metrics(e, t));
                        metrics = m.metrics();
                        samples = m.samples();
                    }
                }
                out.println("evaluate " + model.name() + " on " + e.dataset() + (e.split() == null ? "" : "." + e.split()) + ": "
                    + metricsLine(metrics) + String.format(Locale.ROOT, "  (%,d samples)", samples));
            } catch (DataException ex) {
                err.print(ex.render());
            }
        }
        out.flush();
    }

    static String metricsLine(Map<String, Double> m) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Double> e : m.entrySet()) {
            if (s.length() > 0) s.append("  ");
            s.append(e.getKey()).append(' ').append(MetricText.of(e.getValue()));
        }
        return s.toString();
    }

    /** K-fold: a model per fold (fresh weights, the fold's own normalization), then each fold's scores and mean ± std. */
    private Result kfold(RunFolder folder, Compilation c, ModelIR model, TrainIR t, DatasetIR ds, LoadedData data, Splitter.Splits splits,
                         long seed, int epochs) throws DataException, IOException {
        KFold k = ds.kfold();
        boolean stratify = ds.split() != null && ds.split().stratify();
        List<Splitter.Fold> folds = Splitter.folds(splits.pool(), k, seed, stratify);
        List<Map<String, Double>> scores = new ArrayList<>();
        List<Map<String, Double>> tests = new ArrayList<>();
        History lastHistory = null;
        StringBuilder table = new StringBuilder("k-fold cross-validation: " + k.k() + " folds" + (k.iterated() ? " x " + k.repeats() + " rounds" : "") + "\n");
        for (Splitter.Fold fold : folds) {
            String name = k.iterated() ? "fold-" + (fold.round() + 1) + "-" + (fold.index() + 1) : "fold-" + (fold.index() + 1);
            out.println(String.format(Locale.ROOT, "%s: train %,d, val %,d", name, fold.train().size(), fold.val().size()));
            out.flush();
            RunFolder sub = folder.child(name);
            JsonObject subRun = folder.readJson(RunFolder.RUN_JSON).deepCopy();
            subRun.remove("kfold");
            subRun.addProperty("fold", name);
            subRun.addProperty("source", "../" + subRun.get("source").getAsString());
            JsonObject sizes = new JsonObject();
            sizes.addProperty("train", fold.train().size());
            sizes.addProperty("val", fold.val().size());
            sizes.addProperty("test", splits.test().size());
            subRun.add("split", sizes);
            subRun.add("fold_round", new JsonPrimitive(fold.round()));
            subRun.add("fold_index", new JsonPrimitive(fold.index()));
            sub.writeJson(RunFolder.RUN_JSON, subRun);
            folder.copyDataFiles(sub);
            Result r = job(sub, c, model, t, ds, data, fold.train(), fold.val(), splits.test(), seed, epochs, "[" + name + "] ", null);
            lastHistory = r.history();
            sub.updateRun(Map.of("status", new JsonPrimitive(r.history().stop().name().toLowerCase(Locale.ROOT)),
                "completed_epochs", new JsonPrimitive(r.history().completedEpochs())));
            if (r.val() != null) sub.updateRun(Map.of("val", json(r.val())));
            if (r.history().stop() == History.Stop.FAILED || r.history().stop() == History.Stop.INTERRUPTED) {
                return new Result(model.name(), folder.dir(), seed, r.history(), null, null, scores, null);
            }
            scores.add(r.val());
            if (r.test() != null) tests.add(r.test());
            table.append(name).append("  ").append(metricsLine(prefixed("val_", r.val()))).append('\n');
            out.println(name + "  " + metricsLine(prefixed("val_", r.val())));
            out.flush();
        }
        Map<String, double[]> stats = meanStd(scores);
        StringBuilder mean = new StringBuilder();
        stats.forEach((key, v) -> mean.append(mean.length() == 0 ? "" : "  ").append("val_").append(key)
            .append(' ').append(MetricText.of(v[0])).append(" ± ").append(MetricText.of(v[1])));
        out.println("k-fold mean ± std over " + scores.size() + " folds: " + mean);
        table.append("mean ± std: ").append(mean).append('\n');
        if (!tests.isEmpty()) {
            StringBuilder tm = new StringBuilder();
            meanStd(tests).forEach((key, v) -> tm.append(tm.length() == 0 ? "" : "  ").append("test_").append(key)
                .append(' ').append(MetricText.of(v[0])).append(" ± ").append(MetricText.of(v[1])));
            out.println("test of the fold models: " + tm);
            table.append("test of the fold models: ").append(tm).append('\n');
        }
        folder.writeText("kfold.txt", table.toString());
        JsonObject summary = new JsonObject();
        stats.forEach((key, v) -> {
            JsonObject o = new JsonObject();
            o.addProperty("mean", v[0]);
            o.addProperty("std", v[1]);
            summary.add("val_" + key, o);
        });
        folder.updateRun(Map.of("kfold_results", summary));
        return new Result(model.name(), folder.dir(), seed, lastHistory, null, null, scores, null);
    }

    private static Map<String, Double> prefixed(String p, Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (m != null) m.forEach((k, v) -> out.put(p + k, v));
        return out;
    }

    /** Mean and (population) standard deviation of each metric over the folds. */
    static Map<String, double[]> meanStd(List<Map<String, Double>> rows) {
        Map<String, double[]> out = new LinkedHashMap<>();
        if (rows.isEmpty()) return out;
        for (String key : rows.get(0).keySet()) {
            double sum = 0, sq = 0;
            for (Map<String, Double> r : rows) sum += r.get(key);
            double mean = sum / rows.size();
            for (Map<String, Double> r : rows) sq += (r.get(key) - mean) * (r.get(key) - mean);
            out.put(key, new double[] {mean, Math.sqrt(sq / rows.size())});
        }
        return out;
    }

    /** @param epochEnds whether `last` is saved at epoch ends only (a training with steps), not after an interrupted batch */
    private int finish(RunFolder folder, Result r, double seconds, boolean epochEnds) throws IOException {
        History h = r.history();
        Map<String, JsonElement> changes = new LinkedHashMap<>();
        String status = h == null ? "completed" : h.stop().name().toLowerCase(Locale.ROOT);
        changes.put("status", new JsonPrimitive(status));
        changes.put("finished", new JsonPrimitive(Instant.now().toString()));
        changes.put("seconds", new JsonPrimitive(Math.round(seconds * 10) / 10.0));
        if (h != null) {
            changes.put("completed_epochs", new JsonPrimitive(h.completedEpochs()));
            changes.put("monitor", new JsonPrimitive(h.monitor()));
            if (h.bestEpoch() > 0) {
                changes.put("best_epoch", new JsonPrimitive(h.bestEpoch()));
                changes.put("best_value", new JsonPrimitive(h.bestValue()));
            }
            changes.put("restored_best", new JsonPrimitive(h.restoredBest()));
        }
        if (r.test() != null) changes.put("test", json(r.test()));
        if (r.val() != null) changes.put("val", json(r.val()));
        folder.updateRun(changes);
        StringBuilder results = new StringBuilder("results\n  status     " + status + "\n");
        if (h != null && h.bestEpoch() > 0) {
            results.append(String.format(Locale.ROOT, "  best       epoch %d, %s %s%n", h.bestEpoch(), h.monitor(), MetricText.of(h.bestValue())));
        }
        if (r.val() != null) results.append("  val        ").append(metricsLine(r.val())).append('\n');
        if (r.test() != null) results.append("  test       ").append(metricsLine(r.test())).append('\n');
        results.append(String.format(Locale.ROOT, "  time       %.1f s%n", seconds));
        Path summary = folder.file(RunFolder.SUMMARY);
        String before = Files.exists(summary) ? dev.dlx.support.TextFiles.read(summary, RunFolder.MAX_TEXT_BYTES) : "";
        int cut = before.indexOf("results\n");
        folder.writeText(RunFolder.SUMMARY, (cut >= 0 ? before.substring(0, cut) : before) + results);

        if (h != null && h.stop() == History.Stop.FAILED) {
            err.println("error: " + h.failure().message());
            err.println("  = help: " + h.failure().help());
            if (folder.has(RunFolder.BEST)) {
                err.println("  = note: training stopped; `" + display(folder.file(RunFolder.BEST)) + "` (epoch " + h.bestEpoch()
                    + ") was left as it was");
            } else {
                err.println("  = note: training stopped before any checkpoint was saved");
            }
            err.flush();
            return ERRORS;
        }
        if (h != null && h.stop() == History.Stop.INTERRUPTED) {
            if (!folder.has(RunFolder.LAST)) {
                out.println("interrupted before the first epoch ended: nothing was saved");
                out.flush();
                return INTERRUPTED;
            }
            dev.dlx.runtime.cluster.Cluster cluster = dev.dlx.runtime.cluster.Cluster.joined();
            String more = cluster == null || cluster.size() < 2 ? ""
                : " --workers " + cluster.size() + "` (every worker stopped after the same batch; any number of workers resumes it), or each worker of the cluster with `--resume "
                    + display(folder.dir());
            out.println("interrupted: `last` holds the weights after " + (epochEnds ? "epoch " + h.completedEpochs()
                + " (the epoch under way trains again when resumed)" : "the last batch") + "; continue with `dlxc run --resume "
                + display(folder.dir()) + more + "`");
            out.flush();
            return INTERRUPTED;
        }
        out.println(String.format(Locale.ROOT, "done in %.1f s: %s", seconds, display(folder.dir())));
        out.flush();
        return OK;
    }

    private static JsonObject json(Map<String, Double> m) {
        JsonObject o = new JsonObject();
        m.forEach(o::addProperty);
        return o;
    }

    static String display(Path p) { return DataException.display(p); }

    /** `--overfit-batch`: the seeds' sanity check, on the first training batch. */
    private int overfit(ModelIR model, TrainIR t, DatasetIR ds, LoadedData data, Splitter.Splits splits, long seed, RunOptions o)
            throws DataException {
        Feeding feeding = Feeding.of(model, t, data, seed);
        Map<String, Normalizer> normalizers = feeding.normalizers(splits.train());
        int batch = Math.min(t.batchSize(), splits.train().size());
        try (TrainGraph g = feeding.graph(model, t, seed, threads(model, t), false);
             BatchFeeder feed = feeding.feeder(splits.train(), normalizers, null, batch)) {
            MetricAccumulator.Task task = Tasks.task(t.loss(), feeding.labels(), g.outputWidth());
            Trainer.Settings settings = new Trainer.Settings(1, t.metrics(), null, "loss", false, 0, false, seed, task, Tasks.fromLogits(t));
            ConsoleListener console = new ConsoleListener(out, barStream, ConsoleListener.Mode.PLAIN, "  ");
            Trainer trainer = new Trainer(g, new LearningRate(null, t.optimizer().lr(), 1), settings, console, null, stop, null);
            boolean regression = task == MetricAccumulator.Task.REGRESSION;
            int steps = o.epochs() != null ? o.epochs() : 1000;
            out.println("overfitting one batch of " + batch + " samples (no augmentation, dropout off), up to " + steps + " steps:");
            out.flush();
            Trainer.OverfitResult r = trainer.overfit(feed, batch, steps, regression ? 0.01 : 0.05, regression);
            results.add(new Result(model.name(), null, seed, null, null, null, List.of(), r));
            String acc = Double.isNaN(r.accuracy()) ? "" : ", batch accuracy " + MetricText.of(r.accuracy());
            out.println(String.format(Locale.ROOT, "loss %.5f -> %.5f after %d steps%s", r.firstLoss(), r.lastLoss(), r.steps(), acc));
            if (r.reached()) {
                out.println(String.format(Locale.ROOT, "ok: the loss went near zero (below %.3g): the model can learn this batch", r.target()));
                out.flush();
                return OK;
            }
            out.println(String.format(Locale.ROOT, "the loss did not go near zero (target %.3g): check the learning rate, the last "
                + "layer against the loss, the labels, or whether the model is too small", r.target()));
            out.flush();
            return ERRORS;
        }
    }

    private int resumeRun(Path dir, RunOptions o) throws DataException, IOException {
        // read before the folder is opened: a refused resume leaves it as it is
        java.util.OptionalInt savedLogEvery = RunRecord.logEvery(dir);
        Optional<String> logEveryConflict = RunRecord.logEveryConflict(savedLogEvery, o.logEvery());
        if (logEveryConflict.isPresent()) {
            err.println("dlxc: " + logEveryConflict.get());
            return USAGE;
        }
        RunFolder folder = RunFolder.open(dir);
        folder.noteRecovery(out);
        JsonObject run = folder.readJson(RunFolder.RUN_JSON);
        if (run.has("kfold")) {
            err.println("dlxc: resuming a k-fold run is not supported; start it again");
            return USAGE;
        }
        if (run.has("fold")) {
            // a fold trains on its own part of the data, which only the k-fold run as a whole splits off
            Path parent = dir.toAbsolutePath().normalize().getParent();
            err.println("dlxc: `" + display(dir) + "` is a fold of the k-fold run `" + display(parent)
                + "`; resuming a k-fold run or one of its folds is not supported; start it again");
            return USAGE;
        }
        if (!folder.has(RunFolder.LAST)) {
            err.println("dlxc: `" + display(dir) + "` has no `last` checkpoint to resume from (no epoch finished)");
            return ERRORS;
        }
        RunRecord record = RunRecord.read(folder);
        Path file = record.file();
        Compilation c = RunSource.compile(folder, record, out, err);
        if (c == null) return ERRORS;
        String modelName = record.model();
        int index = record.training();
        Optional<TrainIR> pick = index < c.trainings().size() && c.trainings().get(index).model().equals(modelName)
            ? Optional.of(c.trainings().get(index)) : c.trainings().stream().filter(t -> t.model().equals(modelName)).findFirst();
        if (pick.isEmpty()) {
            err.println("dlxc: `" + display(file) + "` no longer trains model `" + modelName + "`");
            return ERRORS;
        }
        TrainIR t = pick.get();
        if (!fitsMemory(c, t, o)) return ERRORS;
        Checkpoint last = Checkpoint.read(folder.file(RunFolder.LAST));
        CheckpointFit.require(c.models().get(t.model()), last, folder.file(RunFolder.LAST));
        int completed = last.epoch();
        if (t.phased() && o.epochs() != null) {
            err.println("dlxc: --epochs does not apply to a training in phases: change the phases' `epochs`");
            return USAGE;
        }
        int epochs = t.phased() ? t.epochs() : o.epochs() != null ? o.epochs() : record.epochs();
        boolean midEpoch = last.meta().has("interrupted_during_epoch");
        if (completed >= epochs) {
            // nothing to train: say so rather than mark the run completed (a stop inside epoch N+1 needs --epochs N+1 or more)
            out.println("`" + display(dir) + "` already trained " + completed + (midEpoch ? " epochs and part of epoch " + (completed + 1) : " epochs")
                + (o.epochs() != null ? "; --epochs " + epochs + " asks for no more" : " of " + epochs)
                + (t.phased() ? "; raise a phase's `epochs` to go further" : "; pass --epochs " + (completed + 1) + " or more to go further"));
            return OK;
        }
        double[] schedule;
        double[] monitor;
        int batchesDone;
        long stepsDone;
        try {
            stepsDone = last.meta().has(Trainer.STEPS_DONE) ? last.meta().get(Trainer.STEPS_DONE).getAsLong() : -1;
            schedule = last.meta().has("schedule_state") ? Trainer.doubles(last.meta().getAsJsonArray("schedule_state")) : null;
            monitor = last.meta().has("monitor") ? Trainer.doubles(last.meta().getAsJsonObject("monitor").getAsJsonArray("state")) : null;
            batchesDone = last.meta().has("batches_done") ? last.meta().get("batches_done").getAsInt() : 0;
            int savedWorkers = last.meta().has("workers") ? last.meta().get("workers").getAsInt() : 0;
            dev.dlx.runtime.cluster.Cluster cluster = dev.dlx.runtime.cluster.Cluster.joined();
            int workers = cluster == null ? 0 : cluster.size();
            if (batchesDone > 0 && savedWorkers != workers) {
                out.println("epoch " + (completed + 1) + " was interrupted " + (savedWorkers == 0 ? "in one process" : "on " + savedWorkers
                    + " workers") + "; " + (workers == 0 ? "in one process" : "on " + workers + " workers") + " it starts again from its first batch");
                batchesDone = 0;
            }
        } catch (RuntimeException e) {
            throw new IOException("`" + display(folder.file(RunFolder.LAST)) + "` is damaged (its training state is of the wrong form)", e);
        }
        Checkpoint bestSaved = null;
        if (t.earlyStop() != null && t.earlyStop().restoreBest() && folder.has(RunFolder.BEST)) {
            bestSaved = Checkpoint.read(folder.file(RunFolder.BEST));
            CheckpointFit.require(c.models().get(t.model()), bestSaved, folder.file(RunFolder.BEST));
        }
        Trainer.Resume resume = new Trainer.Resume(completed, batchesDone, last.weights(), last.optimizer(), schedule, monitor,
            bestSaved == null ? null : bestSaved.weights(), stepsDone);
        String restored = t.stepped() ? "weights and each step's optimizer state restored"
            : "weights, optimizer state, learning-rate schedule and early-stopping state restored";
        if (t.phased()) {
            PhaseResume at = PhaseResume.of(t, resume, bestSaved, midEpoch);
            if (at.phase() < 0) {
                out.println("`" + display(dir) + "` already trained every phase; nothing to resume");
                return OK;
            }
            Phase p = t.phases().get(at.phase());
            restored = at.fresh() ? "phase `" + p.name() + "` starts afresh with the weights the phase before it handed on"
                : "inside phase `" + p.name() + "`: " + restored;
            resume = at.resume();
        }
        logEvery = RunRecord.resumedLogEvery(savedLogEvery, o.logEvery());
        // a run from before run.json recorded it: the value given now is kept from now on
        if (savedLogEvery.isEmpty() && logEvery > 0) folder.updateRun(Map.of(RunRecord.LOG_EVERY, new JsonPrimitive(logEvery)));
        // last of all, once the resume is known to go ahead: metrics.csv and steps.csv cut back to `last`. The steps of an
        // epoch begun again on another number of workers were taken (`last` holds their weights), so their rows stay
        folder.cutForResume(completed, batchesDone, stepsDone);
        out.println("resuming `" + modelName + "` after epoch " + completed + (batchesDone > 0 ? " and " + batchesDone + " batches" : "")
            + " of " + epochs + " (" + restored + ")");
        return train(c, file, t, index, t.phased() ? o : o.withEpochs(epochs), folder, resume);
    }
}
