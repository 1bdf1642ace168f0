package dev.dlx.support;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Locale;

/**
 * The CSV columns of one model output's predictions, as `dlxc predict` and a built model JAR write
 * them: for multi-class classification the predicted class name then `p_<class>` per class; for
 * binary the class and `p_<second class>`, the probability of the second class (label 1, the
 * sigmoid's output); for regression `target_1..n`; for an output trained on no label its values
 * `1..n` (six significant digits). Each column but the class column carries {@code prefix}.
 */
public final class PredictionColumns {
    private PredictionColumns() {}

    /** What an output's values are. */
    public enum Task { VALUES, REGRESSION, BINARY, MULTICLASS }

    /**
     * One output's columns: the class column's name, the prefix of the others, how its values read,
     * the class names (null or short: classes are numbered), whether they are logits, and how many.
     */
    public record Output(String classColumn, String prefix, Task task, List<String> names, boolean logits, int width) {}

    /**
     * The CSV of {@code predictions[k][sample]}: a header line of every output's columns in turn,
     * then one line per sample.
     */
    public static void write(List<Output> outputs, float[][][] predictions, Writer w) throws IOException {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < outputs.size(); k++) {
            Output o = outputs.get(k);
            if (k > 0) s.append(',');
            header(s, o.classColumn(), o.prefix(), o.task(), o.names(), o.width());
        }
        w.write(s.append('\n').toString());
        int count = predictions.length == 0 ? 0 : predictions[0].length;
        for (int i = 0; i < count; i++) {
            s.setLength(0);
            for (int k = 0; k < outputs.size(); k++) {
                Output o = outputs.get(k);
                if (k > 0) s.append(',');
                row(s, predictions[k][i], o.width(), o.task(), o.names(), o.logits());
            }
            w.write(s.append('\n').toString());
        }
    }

    /** The header cells of one output, appended to {@code s}; {@code names} may be null (classes are numbered). */
    public static void header(StringBuilder s, String classColumn, String prefix, Task task, List<String> names, int width) {
        switch (task) {
            case VALUES -> {
                for (int j = 0; j < width; j++) s.append(j == 0 ? "" : ",").append(prefix).append(j + 1);
            }
            case REGRESSION -> {
                for (int j = 0; j < width; j++) s.append(j == 0 ? "" : ",").append(prefix).append("target_").append(j + 1);
            }
            case BINARY -> s.append(classColumn).append(',').append(prefix).append("p_")
                .append(csv(names != null && names.size() == 2 ? names.get(1) : "1"));
            case MULTICLASS -> {
                s.append(classColumn);
                for (int j = 0; j < width; j++) s.append(',').append(prefix).append("p_").append(csv(name(names, j)));
            }
        }
    }

    /** The cells of one prediction {@code p} of one output, appended to {@code s}. */
    public static void row(StringBuilder s, float[] p, int width, Task task, List<String> names, boolean logits) {
        if (task == Task.REGRESSION || task == Task.VALUES) {
            for (int j = 0; j < width; j++) s.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", p[j]));
        } else if (task == Task.BINARY) {
            double prob = logits ? 1 / (1 + Math.exp(-p[0])) : p[0];
            int k = prob >= 0.5 ? 1 : 0;
            s.append(csv(names != null && names.size() == 2 ? names.get(k) : Integer.toString(k)))
                .append(String.format(Locale.ROOT, ",%.6f", prob));
        } else {
            double[] prob = new double[width];
            int best = 0;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < width; j++) max = Math.max(max, p[j]);
            for (int j = 0; j < width; j++) {
                prob[j] = logits ? Math.exp(p[j] - max) : p[j];
                sum += prob[j];
                if (p[j] > p[best]) best = j;
            }
            s.append(csv(name(names, best)));
            for (int j = 0; j < width; j++) s.append(String.format(Locale.ROOT, ",%.6f", logits ? prob[j] / sum : prob[j]));
        }
    }

    /** A CSV cell: quoted when it holds a comma, a quote or a line break. */
    public static String csv(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    private static String name(List<String> names, int k) {
        return names != null && k < names.size() ? names.get(k) : Integer.toString(k);
    }
}
