package dev.dlx.runtime.run;

import dev.dlx.support.PredictionColumns;
import com.google.gson.JsonObject;
import dev.dlx.compiler.data.ColumnGroup;
import dev.dlx.compiler.data.CsvSource;
import dev.dlx.compiler.data.FeatureIR;
import dev.dlx.compiler.train.LossTerms;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.FeatureProcessor;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.data.Samples;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.train.TrainGraph;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * `dlxc predict` for a run whose dataset names its features (and a model with several inputs or
 * outputs): each row of the csv input is cut into the dataset's own column groups (the training
 * file's layout, or the feature columns alone in the source's order), each named feature goes
 * through its own steps and saved normalization to the input of its name, and each output's
 * prediction is written with its name as column prefix (`kind`, `kind_p_0`, ..., `flag`,
 * `flag_p_1`), class names from the run's classes.NAME.json.
 */
public final class NamedPrediction {
    private NamedPrediction() {}

    /** One model output as written: its name, how its values read, and its class names. */
    public record Head(String name, MetricAccumulator.Task task, List<String> classes, boolean logits, int width) {}

    /** Each named feature of {@code input}'s rows, prepared as in training, by name. */
    static Map<String, Samples> read(SavedRun r, Path input) throws DataException, IOException {
        if (!(r.dataset().source() instanceof CsvSource csv)) {
            throw DataException.general("dataset `" + r.dataset().name() + "` reads named features from a csv source; predict reads csv rows", null);
        }
        JsonObject data = r.data();
        List<Integer> columns = new ArrayList<>();
        for (ColumnGroup g : csv.featureGroups()) columns.addAll(g.columns());
        Map<Integer, List<String>> categories = Prediction.categories(data);
        Samples all = Prediction.readRows(input, columns, dev.dlx.support.CsvRows.delimiter(input, csv.delimiter()), categories, data,
            Prediction.groups(csv));
        JsonObject shapes = data.has("features") ? data.getAsJsonObject("features") : new JsonObject();
        Map<String, Samples> out = new LinkedHashMap<>();
        int d = all.sampleSize(), offset = 0;
        for (ColumnGroup g : csv.featureGroups()) {
            int width = 0;
            for (int c : g.columns()) width += categories.containsKey(c) ? categories.get(c).size() : 1;
            float[] x = new float[Math.multiplyExact(all.count(), width)];
            for (int i = 0; i < all.count(); i++) System.arraycopy(all.x(), i * d + offset, x, i * width, width);
            offset += width;
            FeatureIR f = r.dataset().feature(g.name()).orElseThrow();
            Samples s = FeatureProcessor.apply(f.steps(), new Samples(x, all.count(), new int[] {width}, null, null, 0), input);
            if (shapes.has(g.name())) {
                int[] expected = SavedRun.ints(shapes.getAsJsonArray(g.name()));
                if (!Arrays.equals(expected, s.shape())) {
                    throw DataException.in(input, null, "feature `" + g.name() + "` of `" + DataException.display(input) + "` is "
                        + Samples.shapeText(s.shape()) + " after its steps, but the model was trained on " + Samples.shapeText(expected), null);
                }
            }
            out.put(g.name(), s);
        }
        return out;
    }

    /** Each output's predictions for every sample ({@code [output][sample][values]}), each feature fed to the input of its name. */
    static float[][][] predict(SavedRun r, Map<String, Samples> features, int threads) throws DataException, IOException {
        List<dev.dlx.runtime.data.Part> parts = new ArrayList<>();
        features.forEach((name, samples) -> parts.add(new dev.dlx.runtime.data.Part(name, samples, null, null)));
        Feeding feeding = r.feeding(new LoadedData(r.dataset(), parts.get(0).samples(), null, null, Map.of(), List.of(), null, parts, List.of()));
        Map<String, Normalizer> norms = r.normalizers(feeding);
        List<String> inputs = feeding.inputs();
        for (String name : inputs) {
            if (!features.containsKey(name)) throw DataException.general("no feature of the input feeds `" + name + "`", null);
        }
        int count = features.get(inputs.get(0)).count();
        try (TrainGraph g = r.graph(threads, feeding);
             BatchFeeder feed = feeder(features, inputs, norms)) {
            int outputs = g.terms() == null ? 1 : r.model().outputs().size();
            float[][][] out = new float[outputs][count][];
            for (int from = 0; from < count; from += feed.capacity()) {
                int n = Math.min(feed.capacity(), count - from);
                BatchFeeder.Batch b = feed.batch(null, from, n, null);
                g.evaluate(b);
                for (int k = 0; k < outputs; k++) {
                    float[] p = g.predictions(k);
                    int width = g.terms() == null ? g.outputWidth() : g.outputWidth(k);
                    for (int i = 0; i < n; i++) out[k][from + i] = Arrays.copyOfRange(p, i * width, (i + 1) * width);
                }
            }
            return out;
        }
    }

    private static BatchFeeder feeder(Map<String, Samples> features, List<String> inputs, Map<String, Normalizer> norms) {
        BatchFeeder main = new BatchFeeder(features.get(inputs.get(0)).all(), null, norms.get(inputs.get(0)), null, 256);
        List<BatchFeeder> parts = new ArrayList<>();
        for (String name : inputs.subList(1, inputs.size())) parts.add(new BatchFeeder(features.get(name).all(), null, norms.get(name), null, 256));
        return main.withParts(parts);
    }

    /** How each output is written: by the loss term that trains it (class or regression), else its raw values. */
    static List<Head> heads(SavedRun r, float[][][] predictions) throws IOException {
        List<LossTerms.Term> terms = dev.dlx.compiler.train.TrainFeed.of(r.model(), r.train(), r.dataset()).terms();
        List<Head> out = new ArrayList<>();
        for (int k = 0; k < predictions.length; k++) {
            String name = r.model().outputs().get(k).name();
            int width = predictions[k].length == 0 ? 0 : predictions[k][0].length;
            final int index = k;
            LossTerms.Term term = terms.stream().filter(t -> t.output() == index).findFirst().orElse(null);
            if (term == null) {
                out.add(new Head(name, null, null, false, width));
                continue;
            }
            MetricAccumulator.Task task = MetricAccumulator.task(term.loss(), term.label().spec(), width);
            out.add(new Head(name, task, r.classNames(term.label().name()), term.loss().fromLogits(), width));
        }
        return out;
    }

    /** The CSV: per output, its columns (prefixed with its name), then one line per sample. */
    public static void write(List<Head> heads, float[][][] predictions, Writer w) throws IOException {
        List<PredictionColumns.Output> outputs = new ArrayList<>();
        for (Head h : heads) {
            outputs.add(new PredictionColumns.Output(h.name(), h.name() + "_", Prediction.columns(h.task()), h.classes(), h.logits(), h.width()));
        }
        PredictionColumns.write(outputs, predictions, w);
    }

}
