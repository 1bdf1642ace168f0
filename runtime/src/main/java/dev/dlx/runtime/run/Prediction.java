package dev.dlx.runtime.run;

import dev.dlx.support.FeatureEncoding;
import dev.dlx.support.PredictionColumns;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.data.CsvSource;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.CsvReader;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.FeatureProcessor;
import dev.dlx.runtime.data.IdxReader;
import dev.dlx.runtime.data.Samples;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.train.TrainGraph;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * `dlxc predict RUN INPUT [-o OUT]`: new samples through a run's model, read and prepared as in
 * training (the dataset's feature columns and category words, its `features` steps, the stored
 * normalization statistics of the training split), written as CSV: for classification the
 * predicted class name and each class's probability (`p_<class>`; binary: only `p_<second class>`,
 * the probability of label 1), for regression the predicted targets. INPUT
 * is a CSV/TSV file (the training file's layout, or the feature columns alone; a header line is
 * skipped) or an IDX file.
 */
public final class Prediction {
    private final PrintWriter out;
    private final PrintWriter err;
    private final int threads;

    public Prediction(PrintWriter out, PrintWriter err, int threads) {
        this.out = out;
        this.err = err;
        this.threads = threads;
    }

    public int run(Path dir, Path input, Path output, String which) {
        return run(dir, input, output, which, dev.dlx.runtime.detect.NonMaxSuppression.DEFAULT, null);
    }

    /**
     * As {@link #run(Path, Path, Path, String)}; a model with a `yolo` head reads images (a file or a
     * folder) and prints their boxes after {@code nms}, drawn into PNGs in {@code draw} when given.
     */
    public int run(Path dir, Path input, Path output, String which, dev.dlx.runtime.detect.NonMaxSuppression nms, Path draw) {
        SavedRun r = SavedRun.open(dir, which, err);
        if (r == null) return Runner.ERRORS;
        dev.dlx.runtime.detect.Detections head = dev.dlx.runtime.detect.Detections.of(r.model());
        if (head != null) {
            if (!Files.exists(input)) {
                err.println("dlxc: cannot read `" + input + "`: no such file or folder");
                return Runner.USAGE;
            }
            try (PrintWriter w = output == null ? null : new PrintWriter(Files.newBufferedWriter(output, StandardCharsets.UTF_8))) {
                return BoxPrediction.run(r, head, input, w == null ? out : w, err, threads, nms, draw);
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
        if (r.dataset().source() instanceof dev.dlx.compiler.data.TaggedSource) {
            err.println("dlxc: model `" + r.model().name() + "` was trained on `source tagged` rows; predict does not read rows of tokens yet "
                + "(`dlxc evaluate` scores a tagged file, its accuracy per token)");
            return Runner.ERRORS;
        }
        if (r.dataset().sampling() != null) {
            err.println("dlxc: model `" + r.model().name() + "` was trained on drawn `" + r.dataset().sampling().kind().word()
                + "`; predict takes rows of a dataset's own features (`dlxc run` scores the pairs, metric_learning.json holds the scores)");
            return Runner.ERRORS;
        }
        if (!Files.isRegularFile(input)) {
            err.println("dlxc: cannot read `" + input + "`: no such file");
            return Runner.USAGE;
        }
        try {
            if (named(r)) return named(r, input, output);
            Samples samples = read(r, input);
            int[] expected = SavedRun.ints(r.data().getAsJsonArray("sample_shape"));
            if (!Arrays.equals(samples.shape(), expected)) {
                throw DataException.in(input, null, "the samples of `" + DataException.display(input) + "` are "
                    + Samples.shapeText(samples.shape()) + " after the feature steps, but the model was trained on " + Samples.shapeText(expected),
                    "give rows with the training file's columns, or only its feature columns");
            }
            float[][] predictions = predict(r, samples);
            Writer w = output == null ? out : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
            try {
                write(r, predictions, w);
            } finally {
                if (output != null) w.close();
                else w.flush();
            }
            if (output != null) {
                out.println(String.format(Locale.ROOT, "%,d predictions of `%s` (%s weights) written to %s", predictions.length,
                    r.model().name(), r.checkpointName(), output));
                out.flush();
            }
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

    /** Whether the run's dataset names its features (or its model has several inputs or outputs): see {@link NamedPrediction}. */
    private static boolean named(SavedRun r) {
        return r.dataset().source() instanceof CsvSource c && c.namesFeatures()
            || r.model().inputs().size() != 1 || r.model().outputs().size() != 1;
    }

    private int named(SavedRun r, Path input, Path output) throws DataException, IOException {
        Map<String, Samples> features = NamedPrediction.read(r, input);
        float[][][] predictions = NamedPrediction.predict(r, features, threads);
        List<NamedPrediction.Head> heads = NamedPrediction.heads(r, predictions);
        Writer w = output == null ? out : Files.newBufferedWriter(output, StandardCharsets.UTF_8);
        try {
            NamedPrediction.write(heads, predictions, w);
        } finally {
            if (output != null) w.close();
            else w.flush();
        }
        if (output != null) {
            out.println(String.format(Locale.ROOT, "%,d predictions of `%s` (%s weights) written to %s", predictions[0].length,
                r.model().name(), r.checkpointName(), output));
            out.flush();
        }
        return Runner.OK;
    }

    private static Samples read(SavedRun r, Path input) throws DataException, IOException {
        String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
        Samples raw;
        if (name.contains("idx") && !name.endsWith(".csv") && !name.endsWith(".tsv")) {
            raw = IdxReader.readSamples(input);
        } else {
            JsonObject data = r.data();
            CsvSource layout = r.dataset().source() instanceof CsvSource c ? c : null;
            char delimiter = dev.dlx.support.CsvRows.delimiter(input, layout != null ? layout.delimiter() : ',');
            List<Integer> columns = new ArrayList<>();
            if (data.has("feature_columns")) for (var e : data.getAsJsonArray("feature_columns")) columns.add(e.getAsInt());
            Map<Integer, List<String>> categories = categories(data);
            if (columns.isEmpty()) {
                int n = 1;
                for (long d : r.dataset().source().sampleShape().dims().stream().mapToLong(x -> x.size()).toArray()) n *= (int) d;
                for (int i = 0; i < n; i++) columns.add(i);
            }
            raw = readRows(input, columns, delimiter, categories, data);
        }
        // back to the source's sample shape (a CSV row of an image data set is flat), then the feature steps
        var sourceShape = r.dataset().source().sampleShape();
        if (!sourceShape.isUnknown() && sourceShape.fullyKnown()) {
            int[] s = sourceShape.dims().stream().mapToInt(d -> (int) d.size()).toArray();
            if (Samples.size(s) == raw.sampleSize()) raw = raw.withFeatures(raw.x(), s);
        }
        return FeatureProcessor.apply(r.dataset().steps(), raw, input);
    }

    private float[][] predict(SavedRun r, Samples samples) {
        try (TrainGraph g = r.graph(threads);
             BatchFeeder feed = new BatchFeeder(samples.all(), null, r.normalizer(), null, 256)) {
            int width = g.outputWidth();
            float[][] out = new float[samples.count()][];
            for (int from = 0; from < samples.count(); from += 256) {
                int count = Math.min(256, samples.count() - from);
                BatchFeeder.Batch b = feed.batch(null, from, count, null);
                g.evaluate(b);
                float[] p = g.predictions();
                for (int i = 0; i < count; i++) out[from + i] = Arrays.copyOfRange(p, i * width, (i + 1) * width);
            }
            return out;
        }
    }

    private static void write(SavedRun r, float[][] predictions, Writer w) throws IOException {
        LabelSpec labels = r.dataset().labels();
        int total = predictions.length == 0 ? 0 : predictions[0].length;
        // labels at every step: one row per sample and step, over the classes of one step
        int steps = total > 0 && total % Tasks.steps(labels) == 0 ? Tasks.steps(labels) : 1;
        int width = total / steps;
        MetricAccumulator.Task task = steps > 1 ? MetricAccumulator.Task.MULTICLASS : Tasks.task(r.train().loss(), labels, width);
        boolean logits = r.train().loss() != null && r.train().loss().fromLogits();
        write(task, r.classNames(), logits, steps, width, predictions, w);
    }

    /** The CSV of {@link #run}: {@code steps} rows of {@code width} outputs per prediction. */
    public static void write(MetricAccumulator.Task task, List<String> names, boolean logits, int steps, int width, float[][] predictions,
                      Writer w) throws IOException {
        StringBuilder s = new StringBuilder(steps > 1 ? "sample,step," : "");
        PredictionColumns.header(s, "class", "", columns(task), names, width);
        w.write(s.append('\n').toString());
        for (int i = 0; i < predictions.length; i++) {
            for (int t = 0; t < steps; t++) {
                s.setLength(0);
                if (steps > 1) s.append(i + 1).append(',').append(t + 1).append(',');
                float[] p = steps == 1 ? predictions[i] : java.util.Arrays.copyOfRange(predictions[i], t * width, (t + 1) * width);
                row(s, p, width, task, names, logits);
                w.write(s.append('\n').toString());
            }
        }
    }

    static void row(StringBuilder s, float[] p, int width, MetricAccumulator.Task task, List<String> names, boolean logits) {
        PredictionColumns.row(s, p, width, columns(task), names, logits);
    }

    /** How the predictions' columns read an output of {@code task} (null: trained on no label). */
    static PredictionColumns.Task columns(MetricAccumulator.Task task) {
        if (task == null) return PredictionColumns.Task.VALUES;
        return switch (task) {
            case REGRESSION -> PredictionColumns.Task.REGRESSION;
            case BINARY -> PredictionColumns.Task.BINARY;
            default -> PredictionColumns.Task.MULTICLASS;
        };
    }


    /** The category words of each categorical column, as training saw them (data.json's `categories`). */
    public static Map<Integer, List<String>> categories(JsonObject data) {
        Map<Integer, List<String>> categories = new LinkedHashMap<>();
        if (data.has("categories")) {
            for (var e : data.getAsJsonObject("categories").entrySet()) {
                List<String> words = new ArrayList<>();
                for (var w : e.getValue().getAsJsonArray()) words.add(w.getAsString());
                categories.put(Integer.parseInt(e.getKey()), words);
            }
        }
        return categories;
    }

    /** {@code columns} of {@code input}'s rows as features, encoded as training encoded them ({@link #encoding}). */
    static Samples readRows(Path input, List<Integer> columns, char delimiter, Map<Integer, List<String>> categories, JsonObject data)
            throws DataException {
        return readRows(input, columns, delimiter, categories, data, List.of());
    }

    /** As {@link #readRows(Path, List, char, Map, JsonObject)}, for a training file of named features ({@code groups}). */
    static Samples readRows(Path input, List<Integer> columns, char delimiter, Map<Integer, List<String>> categories, JsonObject data,
                            List<dev.dlx.support.FeatureRows.Group> groups) throws DataException {
        FeatureEncoding encoding;
        try {
            encoding = encoding(columns, categories, data);
        } catch (IllegalArgumentException e) {
            throw DataException.general("the run's data.json does not describe its features: " + e.getMessage(),
                "the run folder is damaged: train again");
        }
        return CsvReader.readFeatures(input, delimiter, encoding, groups);
    }

    /** The named features of a csv source and their columns, as the support module's row reader names them. */
    public static List<dev.dlx.support.FeatureRows.Group> groups(CsvSource csv) {
        List<dev.dlx.support.FeatureRows.Group> out = new ArrayList<>();
        for (var g : csv.featureGroups()) out.add(new dev.dlx.support.FeatureRows.Group(g.name(), g.columns()));
        return out;
    }

    /**
     * How prediction encodes {@code columns}: categorical ones one-hot over their training
     * categories, with the missing-value policy and the training means saved in data.json.
     */
    public static FeatureEncoding encoding(List<Integer> columns, Map<Integer, List<String>> categories, JsonObject data) {
        FeatureEncoding.Missing missing = data.has("missing") ? FeatureEncoding.Missing.of(data.get("missing").getAsString())
            : FeatureEncoding.Missing.ERROR;
        float[] fill = null;
        if (data.has("missing_fill")) {
            JsonArray values = data.getAsJsonArray("missing_fill");
            fill = new float[values.size()];
            for (int i = 0; i < fill.length; i++) fill[i] = values.get(i).getAsFloat();
        }
        return FeatureEncoding.of(columns, categories, missing == null ? FeatureEncoding.Missing.ERROR : missing, fill);
    }
}
