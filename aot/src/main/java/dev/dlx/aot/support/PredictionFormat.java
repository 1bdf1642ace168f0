package dev.dlx.aot.support;

import dev.dlx.support.PredictionColumns;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Predictions as CSV, in `dlxc predict`'s format: for multi-class classification the predicted
 * class name then `p_<class>` per class, for binary the class and `p_<second class>`, the
 * probability of the second class (label 1, the sigmoid's output), for regression
 * `target_1..n` (six significant digits).
 */
public final class PredictionFormat {
    private PredictionFormat() {}

    public static void write(ModelManifest m, float[][] predictions, Writer w) throws IOException {
        int width = predictions.length == 0 ? Shapes.size(m.outputShape()) : predictions[0].length;
        PredictionColumns.write(List.of(output("class", "", m.task(), m.classNames(), m.logits(), width)),
            new float[][][] {predictions}, w);
    }

    /**
     * The predictions of a model with several outputs ({@code predictions[k][sample]}), as `dlxc
     * predict` writes them: each output's columns in turn, named after it (`kind`, `kind_p_0`, ...,
     * `size_target_1`; an output trained on no label gives its values as `NAME_1`, ...).
     */
    public static void write(ModelManifest m, float[][][] predictions, Writer w) throws IOException {
        List<PredictionColumns.Output> outputs = new java.util.ArrayList<>();
        for (int k = 0; k < predictions.length; k++) {
            com.google.gson.JsonObject o = m.output(k);
            String name = o.get("name").getAsString();
            int width = Shapes.size(m.outputs().get(k).shape());
            List<String> names = new java.util.ArrayList<>();
            if (o.has("class_names")) for (var e : o.getAsJsonArray("class_names")) names.add(e.getAsString());
            outputs.add(output(name, name + "_", o.has("task") ? o.get("task").getAsString() : "values", names,
                o.has("logits") && o.get("logits").getAsBoolean(), width));
        }
        PredictionColumns.write(outputs, predictions, w);
    }

    /** One output's columns, its task as model.json words it: `values`, `regression`, `binary`, else multi-class. */
    private static PredictionColumns.Output output(String classColumn, String prefix, String task, List<String> names, boolean logits,
                                                   int width) {
        PredictionColumns.Task t = switch (task) {
            case "values" -> PredictionColumns.Task.VALUES;
            case "regression" -> PredictionColumns.Task.REGRESSION;
            case "binary" -> PredictionColumns.Task.BINARY;
            default -> PredictionColumns.Task.MULTICLASS;
        };
        return new PredictionColumns.Output(classColumn, prefix, t, names, logits, width);
    }
}
