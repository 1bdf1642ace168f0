package dev.dlx.aot.support;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dlx.support.FeatureEncoding;
import dev.dlx.support.FeatureRows;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * `model.json`, the description that rides with a frozen graph: what the model is, the names and
 * shapes of its input and output, how predictions read (task, logits, class names) and how CSV rows
 * become samples (delimiter, each feature column's encoding, the `missing` policy and its fill, the
 * dataset's `features` steps). Normalization is part of the graph; its statistics are listed here
 * for people, not applied.
 *
 * <p>Format `dlx-model 2` (this one) describes the CSV features as {@code csv.features}, one
 * {@code {"column": 3, "encoding": "number"}} or {@code {"column": 1, "encoding": "onehot",
 * "categories": [...]}} per training feature column, and {@code csv.missing} as {@code {"policy":
 * "mean", "fill": [...]}} (one fill value per encoded value), and for a training file of named
 * features {@code csv.groups}, each feature's name and columns. A description of another format is
 * refused with a message saying to build the model again.
 */
public final class ModelManifest {
    /** The format written by `dlxc build` and `dlxc export`. */
    public static final String FORMAT = "dlx-model 2";
    private static final String FAMILY = "dlx-model ";

    private final JsonObject json;

    private ModelManifest(JsonObject json) { this.json = json; }

    public static ModelManifest parse(String text) {
        JsonElement e;
        try {
            e = JsonParser.parseString(text);
        } catch (com.google.gson.JsonParseException bad) {
            throw new IllegalArgumentException("the model description (model.json) is not JSON: " + bad.getMessage());
        }
        JsonElement format = e.isJsonObject() ? e.getAsJsonObject().get("format") : null;
        String found = format != null && format.isJsonPrimitive() ? format.getAsString() : null;
        if (found != null && found.startsWith(FAMILY) && !found.equals(FORMAT)) {
            throw new IllegalArgumentException("the model description (model.json) is format `" + found + "`, but this code reads `" + FORMAT
                + "`: build the model again with `dlxc build` (or `dlxc export`) of this version");
        }
        if (!FORMAT.equals(found)) {
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

    /** How a CSV row's feature cells become input values: each column's encoding, the `missing` policy and its fill. */
    public FeatureEncoding encoding() {
        try {
            return readEncoding();
        } catch (NullPointerException | ClassCastException | IllegalStateException | UnsupportedOperationException | IndexOutOfBoundsException e) {
            throw damaged("csv.features` or `csv.missing");
        }
    }

    /** A model.json whose {@code what} lacks a key or holds a value of the wrong kind. */
    private static IllegalArgumentException damaged(String what) {
        return new IllegalArgumentException("the model description (model.json) is damaged: `" + what
            + "` is not of the form `dlxc build` writes; build the model again");
    }

    private FeatureEncoding readEncoding() {
        JsonObject csv = json.getAsJsonObject("csv");
        List<FeatureEncoding.Column> columns = new ArrayList<>();
        FeatureEncoding.Missing missing = FeatureEncoding.Missing.ERROR;
        float[] fill = null;
        if (csv != null && csv.has("features")) {
            for (JsonElement e : csv.getAsJsonArray("features")) {
                JsonObject f = e.getAsJsonObject();
                String word = f.get("encoding").getAsString();
                FeatureEncoding.Kind kind = FeatureEncoding.Kind.of(word);
                if (kind == null) throw new IllegalArgumentException("the model description (model.json) encodes a feature as `" + word
                    + "`, which this code does not know: build the model again with `dlxc build` of this version");
                columns.add(new FeatureEncoding.Column(f.get("column").getAsInt(), kind, strings(f.getAsJsonArray("categories"))));
            }
        }
        if (csv != null && csv.has("missing")) {
            JsonObject m = csv.getAsJsonObject("missing");
            String word = m.get("policy").getAsString();
            missing = FeatureEncoding.Missing.of(word);
            if (missing == null) throw new IllegalArgumentException("the model description (model.json) has the missing-value policy `"
                + word + "`, which this code does not know: build the model again with `dlxc build` of this version");
            if (m.has("fill")) {
                JsonArray a = m.getAsJsonArray("fill");
                fill = new float[a.size()];
                for (int i = 0; i < fill.length; i++) fill[i] = a.get(i).getAsFloat();
            }
        }
        return new FeatureEncoding(columns, missing, fill);
    }

    /** The training file's named features and their columns (`csv.groups`), empty when it names none. */
    public List<FeatureRows.Group> groups() {
        try {
            return readGroups();
        } catch (NullPointerException | ClassCastException | IllegalStateException | UnsupportedOperationException e) {
            throw damaged("csv.groups");
        }
    }

    private List<FeatureRows.Group> readGroups() {
        List<FeatureRows.Group> out = new ArrayList<>();
        JsonObject csv = json.getAsJsonObject("csv");
        if (csv != null && csv.has("groups")) {
            for (JsonElement e : csv.getAsJsonArray("groups")) {
                JsonObject g = e.getAsJsonObject();
                List<Integer> columns = new ArrayList<>();
                for (JsonElement c : g.getAsJsonArray("columns")) columns.add(c.getAsInt());
                out.add(new FeatureRows.Group(g.get("name").getAsString(), columns));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** {@code groups} as model.json's `csv.groups`: `[{"name": "left", "columns": [0, 1, 2, 3]}, ...]`. */
    public static void describe(List<FeatureRows.Group> groups, JsonObject csv) {
        JsonArray a = new JsonArray();
        for (FeatureRows.Group g : groups) {
            JsonObject o = new JsonObject();
            o.addProperty("name", g.name());
            JsonArray cols = new JsonArray();
            g.columns().forEach(cols::add);
            o.add("columns", cols);
            a.add(o);
        }
        csv.add("groups", a);
    }

    /** {@code encoding} as model.json's `csv` holds it: `features` and `missing`, added to {@code csv}. */
    public static void describe(FeatureEncoding encoding, JsonObject csv) {
        JsonArray features = new JsonArray();
        for (FeatureEncoding.Column c : encoding.columns()) {
            JsonObject f = new JsonObject();
            f.addProperty("column", c.column());
            f.addProperty("encoding", c.kind().word());
            if (c.kind() == FeatureEncoding.Kind.ONEHOT) {
                JsonArray words = new JsonArray();
                c.categories().forEach(words::add);
                f.add("categories", words);
            }
            features.add(f);
        }
        csv.add("features", features);
        JsonObject missing = new JsonObject();
        missing.addProperty("policy", encoding.missing().word());
        float[] fill = encoding.fill();
        if (fill != null) {
            JsonArray a = new JsonArray();
            for (float v : fill) a.add(v);
            missing.add("fill", a);
        }
        csv.add("missing", missing);
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
