package dev.dlx.runtime.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.data.CsvSource;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.train.Checkpoint;
import dev.dlx.runtime.train.TrainGraph;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished (or stopped) run, opened for `evaluate`, `predict`, `build` and `export`: its program
 * compiled again from the run folder's own copy (see {@link RunSource}), its training block, model and dataset,
 * its seed (for the same splits), its normalization statistics and class names, and a checkpoint's
 * weights (`best` by default, else `last`).
 */
public record SavedRun(RunFolder folder, JsonObject run, Compilation compilation, TrainIR train, ModelIR model, DatasetIR dataset,
                       long seed, Normalizer normalizer, List<String> classNames, Checkpoint checkpoint, String checkpointName) {

    /** Opens {@code dir}; null after printing why it cannot be used. {@code which} is `best`, `last`, or null (best, else last). */
    public static SavedRun open(Path dir, String which, PrintWriter err) {
        try {
            RunFolder folder = RunFolder.open(dir);
            folder.noteRecovery(err);
            JsonObject run = folder.readJson(RunFolder.RUN_JSON);
            if (run.has("kfold")) {
                err.println("dlxc: `" + Runner.display(dir) + "` is a k-fold run: use one of its fold folders, e.g. `"
                    + Runner.display(dir.resolve("fold-1")) + "`");
                return null;
            }
            return open(folder, run, which, err);
        } catch (IOException e) {
            err.println("dlxc: " + e.getMessage());
            return null;
        }
    }

    private static SavedRun open(RunFolder folder, JsonObject run, String which, PrintWriter err) throws IOException {
        RunRecord record = RunRecord.read(folder);
        Compilation c = RunSource.compile(folder, record, err, err);
        if (c == null) return null;
        String modelName = record.model();
        int index = record.training();
        TrainIR t = index < c.trainings().size() && c.trainings().get(index).model().equals(modelName) ? c.trainings().get(index)
            : c.trainings().stream().filter(x -> x.model().equals(modelName)).findFirst().orElse(null);
        if (t == null) {
            err.println("dlxc: the program of `" + Runner.display(folder.dir()) + "` does not train model `" + modelName + "`");
            return null;
        }
        ModelIR model = c.models().get(t.model());
        String name = which;
        if (name == null) name = folder.has(RunFolder.BEST) ? "best" : "last";
        Path ckpt = folder.file(name + ".npz");
        if (!Files.exists(ckpt)) {
            err.println("dlxc: `" + Runner.display(folder.dir()) + "` has no `" + name + "` checkpoint");
            return null;
        }
        Checkpoint checkpoint;
        try {
            checkpoint = Checkpoint.read(ckpt);
            Checkpoint.requireFinite(checkpoint, ckpt);
            CheckpointFit.require(model, checkpoint, ckpt);
        } catch (IOException damaged) {
            String other = name.equals("best") ? "last" : "best";
            boolean alternative = folder.has(other + ".npz");
            err.println("dlxc: " + damaged.getMessage());
            err.println("  = help: " + (alternative ? "use the `" + other + "` checkpoint: --weights " + other
                : "train again: the run has no other checkpoint"));
            return null;
        }
        Normalizer normalizer = folder.has(RunFolder.NORMALIZATION) ? folder.parse(RunFolder.NORMALIZATION, Normalizer::fromJson) : null;
        List<String> classes = null;
        if (folder.has(RunFolder.CLASSES)) {
            classes = folder.parseJson(RunFolder.CLASSES, json -> {
                List<String> names = new ArrayList<>();
                for (var e : json.getAsJsonArray()) names.add(e.getAsString());
                return names;
            });
        }
        return new SavedRun(folder, run, c, t, c.models().get(t.model()), c.datasets().get(t.dataset()), record.seed(),
            normalizer, classes, checkpoint, name);
    }

    /** The training graph with this run's weights. */
    public TrainGraph graph(int threads) {
        var paired = dev.dlx.compiler.train.Pairing.of(model, dataset).outputs().get(0).label();
        TrainGraph g = TrainGraph.build(model, train, paired == null ? dataset.labels() : paired.spec(), seed,
            Runner.threads(threads, model, train.batchSize()));
        return withWeights(g);
    }

    private TrainGraph withWeights(TrainGraph g) {
        try {
            g.writeWeights(checkpoint.weights());
            return g;
        } catch (RuntimeException e) {
            g.close();
            throw new IllegalArgumentException("the `" + checkpointName + "` checkpoint does not fit model `" + model.name() + "`: "
                + e.getMessage(), e);
        }
    }

    /**
     * How batches of {@code data} reach this run's model ({@link Feeding}): the classic feeding of
     * one feature and label, or each named feature and label by name.
     */
    Feeding feeding(dev.dlx.runtime.data.LoadedData data) { return Feeding.of(model, train, data, seed); }

    /** The training graph of {@code feeding} with this run's weights. */
    TrainGraph graph(int threads, Feeding feeding) {
        if (!feeding.hasParts()) return graph(threads);
        TrainGraph g = feeding.graph(model, train, seed, Runner.threads(threads, model, train.batchSize()), false);
        return withWeights(g);
    }

    /** Each input feature's normalization as training saved it (the first input's is {@link #normalizer()}). */
    Map<String, Normalizer> normalizers(Feeding feeding) throws IOException {
        if (!feeding.hasParts()) {
            Map<String, Normalizer> one = new LinkedHashMap<>();
            if (normalizer != null) one.put(feeding.firstInput(), normalizer);
            return one;
        }
        return feeding.savedNormalizers(folder);
    }

    /**
     * The saved normalization of each model input, in model order (null entries without
     * `normalize`): the first input's in normalization.json, another's in normalization.NAME.json
     * (NAME the feature that feeds it). What `build` and `export` put into the graph.
     */
    public List<Normalizer> inputNormalizers() throws IOException {
        List<Normalizer> out = new ArrayList<>();
        var pairing = dev.dlx.compiler.train.Pairing.of(model, dataset);
        for (int k = 0; k < model.inputs().size(); k++) {
            if (k == 0 || dataset.normalize() == null) {
                out.add(k == 0 ? normalizer : null);
                continue;
            }
            var feature = pairing.inputs().get(k).feature();
            String file = dataset.sampling() != null || feature == null ? RunFolder.NORMALIZATION : RunFolder.normalizationFile(feature.name());
            if (!folder.has(file)) {
                throw new IOException("`" + Runner.display(folder.dir()) + "` has no " + file + " (the normalization of input `"
                    + model.inputs().get(k).name() + "`): train again");
            }
            out.add(folder.parse(file, Normalizer::fromJson));
        }
        return out;
    }

    /** The label output {@code k} trains on (its name names classes.NAME.json), or null. */
    public String labelOf(int k) {
        var label = dev.dlx.compiler.train.Pairing.of(model, dataset).outputs().get(k).label();
        return label == null ? null : label.name();
    }

    /** The class names of label {@code name} (classes.NAME.json), or null when the run saved none. */
    public List<String> classNames(String name) throws IOException {
        String file = RunFolder.classesFile(name);
        if (!folder.has(file)) return null;
        return folder.parseJson(file, json -> {
            List<String> names = new ArrayList<>();
            for (var e : json.getAsJsonArray()) names.add(e.getAsString());
            return names;
        });
    }

    /** data.json, or an empty object. */
    public JsonObject data() throws IOException {
        return folder.has(RunFolder.DATA) ? folder.parse(RunFolder.DATA, SavedRun::checkedData) : new JsonObject();
    }

    /** data.json as written by the runner: every entry that readers use, of the type they read (else it is damaged). */
    private static JsonObject checkedData(JsonObject d) {
        ints(d.getAsJsonArray("sample_shape"));
        if (d.has("feature_columns")) ints(d.getAsJsonArray("feature_columns"));
        if (d.has("categories")) {
            for (var e : d.getAsJsonObject("categories").entrySet()) {
                Integer.parseInt(e.getKey());
                for (var w : e.getValue().getAsJsonArray()) w.getAsString();
            }
        }
        if (d.has("missing")) CsvSource.Missing.valueOf(d.get("missing").getAsString().toUpperCase(java.util.Locale.ROOT));
        if (d.has("missing_fill")) for (var v : d.getAsJsonArray("missing_fill")) v.getAsFloat();
        return d;
    }

    static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsInt();
        return out;
    }
}
