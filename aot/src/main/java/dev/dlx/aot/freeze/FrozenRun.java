package dev.dlx.aot.freeze;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.aot.support.ModelManifest;
import dev.dlx.compiler.data.CsvSource;
import dev.dlx.compiler.data.FeatureStep;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.compiler.train.LossSpec;
import dev.dlx.runtime.run.Prediction;
import dev.dlx.runtime.run.SavedRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A run's model ready to leave dlx: its frozen graph ({@link FrozenGraph}) and its description
 * ({@link ModelManifest}, `model.json`): names, shapes, task, class names, how CSV rows become
 * samples (each feature column's encoding and the `missing` policy, as `dlxc predict` reads them
 * from the run's data.json), the normalization statistics (applied inside the graph) and where it
 * came from.
 */
public record FrozenRun(JsonObject manifest, byte[] graph) {

    /** Freezes a saved run's checkpoint. */
    public static FrozenRun of(SavedRun run) throws IOException {
        ModelIR model = run.model();
        return new FrozenRun(manifest(run), FrozenGraph.freezeEach(model, run.checkpoint().weights(), run.inputNormalizers()));
    }

    public ModelManifest parsed() { return ModelManifest.parse(manifest.toString()); }

    static JsonObject manifest(SavedRun run) throws IOException {
        ModelIR model = run.model();
        JsonObject m = new JsonObject();
        m.addProperty("format", ModelManifest.FORMAT);
        m.addProperty("model", model.name());
        m.addProperty("source", Path.of(run.run().get("file").getAsString()).getFileName().toString());
        m.addProperty("dataset", run.dataset().name());
        m.addProperty("run", run.folder().dir().getFileName().toString());
        m.addProperty("weights", run.checkpointName());
        m.addProperty("epoch", run.checkpoint().epoch());
        JsonObject in = new JsonObject();
        in.addProperty("name", model.inputs().get(0).name());
        in.addProperty("op", FrozenGraph.INPUT_OP);
        in.add("shape", shape(model.inputShapes().get(0)));
        in.addProperty("dtype", "float32");
        m.add("input", in);
        JsonObject out = new JsonObject();
        out.addProperty("name", in.get("name").getAsString().equals("output") ? "prediction" : "output");
        out.addProperty("op", FrozenGraph.OUTPUT_OP);
        out.add("shape", shape(model.outputShapes().get(0)));
        out.addProperty("dtype", "float32");
        m.add("output", out);
        LossSpec loss = run.train().loss();
        LabelSpec labels = run.dataset().labels();
        long width = model.outputShapes().get(0).elements();
        String task = loss != null && loss.loss().isRegression() || labels != null && labels.isRegression() ? "regression"
            : width == 1 ? "binary" : "multiclass";
        m.addProperty("task", task);
        m.addProperty("logits", loss != null && loss.fromLogits());
        m.add("class_names", strings(run.classNames() == null ? List.of() : run.classNames()));
        if (run.normalizer() != null) {
            JsonObject n = run.normalizer().toJson();
            n.addProperty("in_graph", true);
            m.add("normalization", n);
        }
        m.add("csv", csv(run));
        JsonArray steps = new JsonArray();
        for (FeatureStep step : run.dataset().steps()) steps.add(step(step));
        m.add("feature_steps", steps);
        if (model.inputs().size() > 1 || model.outputs().size() > 1) several(run, m);
        return m;
    }

    /**
     * A model with several inputs or outputs: `inputs`, each with the feature that feeds it, its op
     * and shape, its csv columns and steps, and its normalization; `outputs`, each with the label it
     * trains on, its op and shape, and how it reads (task, logits, class names). `input` and
     * `output` keep the first of each.
     */
    private static void several(SavedRun run, JsonObject m) throws IOException {
        ModelIR model = run.model();
        m.getAsJsonObject("output").addProperty("name", model.outputs().get(0).name());
        m.getAsJsonObject("input").addProperty("op", FrozenGraph.inputOp(model, 0));
        m.getAsJsonObject("output").addProperty("op", FrozenGraph.outputOp(model, 0));
        var pairing = dev.dlx.compiler.train.Pairing.of(model, run.dataset());
        List<dev.dlx.runtime.data.Normalizer> norms = run.inputNormalizers();
        JsonArray inputs = new JsonArray();
        for (int k = 0; k < model.inputs().size(); k++) {
            JsonObject in = new JsonObject();
            in.addProperty("name", model.inputs().get(k).name());
            in.addProperty("op", FrozenGraph.inputOp(model, k));
            in.add("shape", shape(model.inputShapes().get(k)));
            in.addProperty("dtype", "float32");
            var feature = pairing.inputs().get(k).feature();
            if (feature != null) {
                in.addProperty("feature", feature.name());
                if (run.dataset().source() instanceof CsvSource c) {
                    for (var g : c.featureGroups()) {
                        if (!g.name().equals(feature.name())) continue;
                        JsonArray cols = new JsonArray();
                        g.columns().forEach(cols::add);
                        in.add("columns", cols);
                    }
                }
                JsonArray st = new JsonArray();
                for (FeatureStep step : feature.steps()) st.add(step(step));
                in.add("feature_steps", st);
            }
            if (norms.get(k) != null) {
                JsonObject n = norms.get(k).toJson();
                n.addProperty("in_graph", true);
                in.add("normalization", n);
            }
            inputs.add(in);
        }
        m.add("inputs", inputs);
        List<dev.dlx.compiler.train.LossTerms.Term> terms = dev.dlx.compiler.train.TrainFeed.of(model, run.train(), run.dataset()).terms();
        JsonArray outputs = new JsonArray();
        for (int k = 0; k < model.outputs().size(); k++) {
            JsonObject out = new JsonObject();
            out.addProperty("name", model.outputs().get(k).name());
            out.addProperty("op", FrozenGraph.outputOp(model, k));
            out.add("shape", shape(model.outputShapes().get(k)));
            out.addProperty("dtype", "float32");
            int index = k;
            var term = terms.stream().filter(t -> t.output() == index).findFirst().orElse(null);
            if (term != null) {
                LabelSpec labels = term.label().spec();
                long width = model.outputShapes().get(k).elements();
                out.addProperty("label", term.label().name());
                out.addProperty("task", term.loss().loss().isRegression() || labels.isRegression() ? "regression"
                    : width == 1 ? "binary" : "multiclass");
                out.addProperty("logits", term.loss().fromLogits());
                List<String> names = run.classNames(term.label().name());
                out.add("class_names", strings(names == null ? List.of() : names));
            } else {
                out.addProperty("task", "values");
            }
            outputs.add(out);
        }
        m.add("outputs", outputs);
        JsonObject first = outputs.get(0).getAsJsonObject();
        if (first.has("label")) {
            m.addProperty("task", first.get("task").getAsString());
            m.addProperty("logits", first.get("logits").getAsBoolean());
            m.add("class_names", first.get("class_names"));
        }
    }

    private static JsonObject csv(SavedRun run) throws IOException {
        JsonObject data = run.data();
        JsonObject csv = new JsonObject();
        char delimiter = run.dataset().source() instanceof CsvSource c ? c.delimiter() : ',';
        csv.addProperty("delimiter", String.valueOf(delimiter));
        List<Integer> columns = new java.util.ArrayList<>();
        if (data.has("feature_columns")) for (var e : data.getAsJsonArray("feature_columns")) columns.add(e.getAsInt());
        ModelManifest.describe(Prediction.encoding(columns, Prediction.categories(data), data), csv);
        if (run.dataset().source() instanceof CsvSource c && !c.featureGroups().isEmpty()) ModelManifest.describe(Prediction.groups(c), csv);
        Shape source = run.dataset().source().sampleShape();
        if (!source.isUnknown() && source.fullyKnown()) csv.add("source_shape", shape(source));
        return csv;
    }

    private static JsonObject step(FeatureStep step) {
        JsonObject o = new JsonObject();
        o.addProperty("step", step.name());
        if (step instanceof FeatureStep.Reshape r) {
            JsonArray dims = new JsonArray();
            r.target().dims().forEach(d -> dims.add(d.known() ? d.size() : -1));
            o.add("shape", dims);
        } else if (step instanceof FeatureStep.Scale s) {
            o.addProperty("factor", s.factor());
            o.addProperty("offset", s.offset());
        } else if (step instanceof FeatureStep.Resize r) {
            o.addProperty("height", r.height());
            o.addProperty("width", r.width());
        }
        return o;
    }

    private static JsonArray shape(Shape s) {
        JsonArray a = new JsonArray();
        s.dims().forEach(d -> a.add(d.size()));
        return a;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }
}
