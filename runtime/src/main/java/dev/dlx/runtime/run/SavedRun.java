package dev.dlx.runtime.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.Compilation;
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
import java.util.List;

/**
 * A finished (or stopped) run, opened for `evaluate` and `predict`: its program compiled again (the
 * original file, or the run folder's copy when it is gone), its training block, model and dataset,
 * its seed (for the same splits), its normalization statistics and class names, and a checkpoint's
 * weights (`best` by default, else `last`).
 */
public record SavedRun(RunFolder folder, JsonObject run, Compilation compilation, TrainIR train, ModelIR model, DatasetIR dataset,
                       long seed, Normalizer normalizer, List<String> classNames, Checkpoint checkpoint, String checkpointName) {

    /** Opens {@code dir}; null after printing why it cannot be used. {@code which} is `best`, `last`, or null (best, else last). */
    public static SavedRun open(Path dir, String which, PrintWriter err) {
        try {
            RunFolder folder = RunFolder.open(dir);
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
        Path file = Path.of(run.get("file").getAsString());
        Path copy = folder.dir().resolve(run.get("source").getAsString()).normalize();
        Compilation c;
        if (Files.isRegularFile(file)) c = Programs.compile(file, err);
        else if (Files.isRegularFile(copy)) c = Programs.compile(file, Files.readString(copy), err);
        else {
            err.println("dlxc: neither `" + file + "` nor its copy `" + copy + "` exists");
            return null;
        }
        if (c == null) return null;
        String modelName = run.get("model").getAsString();
        int index = run.has("training") ? run.get("training").getAsInt() : 0;
        TrainIR t = index < c.trainings().size() && c.trainings().get(index).model().equals(modelName) ? c.trainings().get(index)
            : c.trainings().stream().filter(x -> x.model().equals(modelName)).findFirst().orElse(null);
        if (t == null) {
            err.println("dlxc: `" + Runner.display(file) + "` no longer trains model `" + modelName + "`");
            return null;
        }
        ModelIR model = c.models().get(t.model());
        if (model.inputs().size() != 1 || model.outputs().size() != 1) {
            err.println("dlxc: model `" + modelName + "` has " + count(model.inputs().size(), "input") + " and "
                + count(model.outputs().size(), "output") + "; evaluate, predict, build and export take models with one input and one "
                + "output (the run's metrics.csv holds each output's scores)");
            return null;
        }
        String name = which;
        if (name == null) name = folder.has(RunFolder.BEST) ? "best" : "last";
        Path ckpt = folder.file(name + ".npz");
        if (!Files.exists(ckpt)) {
            err.println("dlxc: `" + Runner.display(folder.dir()) + "` has no `" + name + "` checkpoint");
            return null;
        }
        Checkpoint checkpoint = Checkpoint.read(ckpt);
        Normalizer normalizer = folder.has(RunFolder.NORMALIZATION) ? Normalizer.fromJson(folder.readJson(RunFolder.NORMALIZATION)) : null;
        List<String> classes = null;
        if (folder.has(RunFolder.CLASSES)) {
            classes = new ArrayList<>();
            for (var e : com.google.gson.JsonParser.parseString(Files.readString(folder.file(RunFolder.CLASSES))).getAsJsonArray()) {
                classes.add(e.getAsString());
            }
        }
        return new SavedRun(folder, run, c, t, c.models().get(t.model()), c.datasets().get(t.dataset()), run.get("seed").getAsLong(),
            normalizer, classes, checkpoint, name);
    }

    private static String count(int n, String what) { return n + " " + what + (n == 1 ? "" : "s"); }

    /** The training graph with this run's weights. */
    public TrainGraph graph(int threads) {
        var paired = dev.dlx.compiler.train.Pairing.of(model, dataset).outputs().get(0).label();
        TrainGraph g = TrainGraph.build(model, train, paired == null ? dataset.labels() : paired.spec(), seed,
            Runner.threads(threads, model, train.batchSize()));
        try {
            g.writeWeights(checkpoint.weights());
            return g;
        } catch (RuntimeException e) {
            g.close();
            throw new IllegalArgumentException("the `" + checkpointName + "` checkpoint does not fit model `" + model.name() + "`: "
                + e.getMessage(), e);
        }
    }

    /** data.json, or an empty object. */
    public JsonObject data() throws IOException {
        return folder.has(RunFolder.DATA) ? folder.readJson(RunFolder.DATA) : new JsonObject();
    }

    static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsInt();
        return out;
    }
}
