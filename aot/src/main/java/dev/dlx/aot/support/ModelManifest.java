package dev.dlx.aot.support;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `model.json`, the description that rides with a frozen graph: what the model is, the names and
 * shapes of its input and output, how predictions read (task, logits, class names) and how CSV rows
 * become samples (delimiter, feature columns, category words, the dataset's `features` steps).
 * Normalization is part of the graph; its statistics are listed here for people, not applied.
 */
public final class ModelManifest {
    /** The format written by `dlxc build` and `dlxc export`. */
    public static final String FORMAT = "dlx-model 1";

    private final JsonObject json;

    private ModelManifest(JsonObject json) { this.json = json; }

    public static ModelManifest parse(String text) {
        JsonElement e = JsonParser.parseString(text);
        if (!e.isJsonObject() || !e.getAsJsonObject().has("format") || !FORMAT.equals(e.getAsJsonObject().get("format").getAsString())) {
            throw new IllegalArgumentException("not a dlx model description (expected \"format\": \"" + FORMAT + "\")");
        }
        return new ModelManifest(e.getAsJsonObject());
    }

    public JsonObject json() { return json.deepCopy(); }

    public String model() { return json.get("model").getAsString(); }
    public String inputName() { return json.getAsJsonObject("input").get("name").getAsString(); }
    public String inputOp() { return json.getAsJsonObject("input").get("op").getAsString(); }
    public String outputOp() { return json.getAsJsonObject("output").get("op").getAsString(); }
    public int[] inputShape() { return ints(json.getAsJsonObject("input").getAsJsonArray("shape")); }
    public int[] outputShape() { return ints(json.getAsJsonObject("output").getAsJsonArray("shape")); }

    /** One input or output of a model with several: its name, graph op and sample shape. */
    public record Tensor(String name, String op, int[] shape) {}

    /** Every input, in model order (the one `input` for a model with one). */
    public List<Tensor> inputs() { return tensors("inputs", "input"); }

    /** Every output, in model order (the one `output` for a model with one). */
    public List<Tensor> outputs() { return tensors("outputs", "output"); }

    /** The description of output {@code k} (task, logits, class names, label), or the whole for a model with one output. */
    public JsonObject output(int k) {
        return json.has("outputs") ? json.getAsJsonArray("outputs").get(k).getAsJsonObject().deepCopy() : json.deepCopy();
    }

    private List<Tensor> tensors(String several, String one) {
        List<Tensor> out = new ArrayList<>();
        if (json.has(several)) {
            for (JsonElement e : json.getAsJsonArray(several)) {
                JsonObject o = e.getAsJsonObject();
                out.add(new Tensor(o.get("name").getAsString(), o.get("op").getAsString(), ints(o.getAsJsonArray("shape"))));
            }
        } else {
            JsonObject o = json.getAsJsonObject(one);
            out.add(new Tensor(o.get("name").getAsString(), o.get("op").getAsString(), ints(o.getAsJsonArray("shape"))));
        }
        return Collections.unmodifiableList(out);
    }

    /** `multiclass`, `binary` or `regression`. */
    public String task() { return json.get("task").getAsString(); }
    /** Whether the output holds logits (softmax or sigmoid are applied when printing probabilities). */
    public boolean logits() { return json.has("logits") && json.get("logits").getAsBoolean(); }

    /** Class names in class order; empty when the data has none. */
    public List<String> classNames() { return strings(json.getAsJsonArray("class_names")); }

    public char delimiter() {
        JsonObject csv = json.getAsJsonObject("csv");
        return csv != null && csv.has("delimiter") ? csv.get("delimiter").getAsString().charAt(0) : ',';
    }

    /** The training file's columns that hold features, in order. */
    public List<Integer> featureColumns() {
        List<Integer> out = new ArrayList<>();
        JsonObject csv = json.getAsJsonObject("csv");
        if (csv != null && csv.has("feature_columns")) for (JsonElement e : csv.getAsJsonArray("feature_columns")) out.add(e.getAsInt());
        return out;
    }

    /** Category words by training column (a word's index is its value). */
    public Map<Integer, List<String>> categories() {
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        JsonObject csv = json.getAsJsonObject("csv");
        if (csv != null && csv.has("categories")) {
            for (Map.Entry<String, JsonElement> e : csv.getAsJsonObject("categories").entrySet()) {
                out.put(Integer.parseInt(e.getKey()), strings(e.getValue().getAsJsonArray()));
            }
        }
        return out;
    }

    /** The source's sample shape (a CSV row of an image data set is reshaped to it), or null. */
    public int[] sourceShape() {
        JsonObject csv = json.getAsJsonObject("csv");
        return csv != null && csv.has("source_shape") && csv.get("source_shape").isJsonArray() ? ints(csv.getAsJsonArray("source_shape")) : null;
    }

    /** The dataset's `features` steps, each an object with a "step" name. */
    public List<JsonObject> featureSteps() {
        List<JsonObject> out = new ArrayList<>();
        if (json.has("feature_steps")) for (JsonElement e : json.getAsJsonArray("feature_steps")) out.add(e.getAsJsonObject());
        return out;
    }

    static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsInt();
        return out;
    }

    private static List<String> strings(JsonArray a) {
        if (a == null) return List.of();
        List<String> out = new ArrayList<>();
        for (JsonElement e : a) out.add(e.getAsString());
        return Collections.unmodifiableList(out);
    }
}
