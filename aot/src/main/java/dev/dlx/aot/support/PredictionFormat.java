package dev.dlx.aot.support;

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
        String task = m.task();
        List<String> names = m.classNames();
        boolean logits = m.logits();
        StringBuilder s = new StringBuilder();
        if (task.equals("regression")) {
            for (int j = 0; j < width; j++) s.append(j == 0 ? "" : ",").append("target_").append(j + 1);
        } else if (task.equals("binary")) {
            s.append("class,p_").append(csv(names.size() == 2 ? names.get(1) : "1"));
        } else {
            s.append("class");
            for (int j = 0; j < width; j++) s.append(",p_").append(csv(j < names.size() ? names.get(j) : Integer.toString(j)));
        }
        w.write(s.append('\n').toString());
        for (float[] p : predictions) {
            s.setLength(0);
            if (task.equals("regression")) {
                for (int j = 0; j < width; j++) s.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6g", p[j]));
            } else if (task.equals("binary")) {
                double prob = logits ? 1 / (1 + Math.exp(-p[0])) : p[0];
                int k = prob >= 0.5 ? 1 : 0;
                s.append(csv(names.size() == 2 ? names.get(k) : Integer.toString(k))).append(String.format(Locale.ROOT, ",%.6f", prob));
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
                s.append(csv(best < names.size() ? names.get(best) : Integer.toString(best)));
                for (int j = 0; j < width; j++) s.append(String.format(Locale.ROOT, ",%.6f", logits ? prob[j] / sum : prob[j]));
            }
            w.write(s.append('\n').toString());
        }
    }

    private static String csv(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
