package dev.dlx.aot.support;

import dev.dlx.support.PredictionColumns;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

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
        Head h = new Head("class", "", m.task(), m.classNames(), m.logits(), width);
        StringBuilder s = new StringBuilder();
        h.header(s);
        w.write(s.append('\n').toString());
        for (float[] p : predictions) {
            s.setLength(0);
            h.row(s, p);
            w.write(s.append('\n').toString());
        }
    }

    /**
     * The predictions of a model with several outputs ({@code predictions[k][sample]}), as `dlxc
     * predict` writes them: each output's columns in turn, named after it (`kind`, `kind_p_0`, ...,
     * `size_target_1`; an output trained on no label gives its values as `NAME_1`, ...).
     */
    public static void write(ModelManifest m, float[][][] predictions, Writer w) throws IOException {
        List<Head> heads = new java.util.ArrayList<>();
        for (int k = 0; k < predictions.length; k++) {
            com.google.gson.JsonObject o = m.output(k);
            String name = o.get("name").getAsString();
            int width = Shapes.size(m.outputs().get(k).shape());
            List<String> names = new java.util.ArrayList<>();
            if (o.has("class_names")) for (var e : o.getAsJsonArray("class_names")) names.add(e.getAsString());
            heads.add(new Head(name, name + "_", o.has("task") ? o.get("task").getAsString() : "values", names,
                o.has("logits") && o.get("logits").getAsBoolean(), width));
        }
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < heads.size(); k++) {
            if (k > 0) s.append(',');
            heads.get(k).header(s);
        }
        w.write(s.append('\n').toString());
        int count = predictions.length == 0 ? 0 : predictions[0].length;
        for (int i = 0; i < count; i++) {
            s.setLength(0);
            for (int k = 0; k < heads.size(); k++) {
                if (k > 0) s.append(',');
                heads.get(k).row(s, predictions[k][i]);
            }
            w.write(s.append('\n').toString());
        }
    }

    /** One output's columns: the class column's name, the prefix of the others, and how its values read. */
    private record Head(String classColumn, String prefix, String task, List<String> names, boolean logits, int width) {
        void header(StringBuilder s) {
            PredictionColumns.header(s, classColumn, prefix, columns(), names, width);
        }

        void row(StringBuilder s, float[] p) {
            PredictionColumns.row(s, p, width, columns(), names, logits);
        }

        /** The manifest's task word as the shared columns read it: `values`, `regression`, `binary`, else multi-class. */
        private PredictionColumns.Task columns() {
            return switch (task) {
                case "values" -> PredictionColumns.Task.VALUES;
                case "regression" -> PredictionColumns.Task.REGRESSION;
                case "binary" -> PredictionColumns.Task.BINARY;
                default -> PredictionColumns.Task.MULTICLASS;
            };
        }
    }
}
