package dev.dlx.runtime.metrics;

import dev.dlx.compiler.train.Metric;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics over an epoch or an evaluation, accumulated batch by batch on the host from the fetched
 * predictions: `loss` (mean over samples, penalties included as in the training objective),
 * `accuracy`, `precision`, `recall` and `f1` (from a confusion matrix: of class 1 for binary
 * problems, macro-averaged over the classes that occur for multiclass ones), `mae` and `mse`
 * (against the targets, or against one-hot class vectors for classification), and `perplexity`
 * (exp of the mean cross-entropy, without penalties).
 *
 * <p>With labels at every step (a sequence of T class indices per sample against [T, classes]
 * predictions) every step counts as one labelled value: accuracy and the confusion matrix are per
 * step (per token), the loss and perplexity are the means the loss takes, over steps too. A step
 * whose class is negative (a padded step of `source tagged`) counts in none of them.
 */
public final class MetricAccumulator {

    /**
     * How predictions are read: argmax over classes, a threshold on one column, or real values;
     * boxes of a `yolo` head are scored by the loss alone here (mAP needs non-max suppression: `dlxc evaluate`).
     */
    public enum Task { MULTICLASS, BINARY, REGRESSION, DETECTION }

    /** How an output's predictions are read: regression by the loss or the labels, binary for one value, else multiclass. */
    public static Task task(dev.dlx.compiler.train.LossSpec loss, dev.dlx.compiler.data.LabelSpec labels, int outputWidth) {
        if (loss != null && loss.loss() == dev.dlx.compiler.train.Loss.YOLO || labels != null && labels.isBoxes()) return Task.DETECTION;
        if (loss != null && loss.loss().isRegression()) return Task.REGRESSION;
        if (labels != null && labels.isRegression()) return Task.REGRESSION;
        if (outputWidth == 1) return Task.BINARY;
        return Task.MULTICLASS;
    }

    private final Task task;
    /** Sums of the expression metrics' batch means weighted by samples, and the samples they cover. */
    private final Map<String, Double> namedSums = new LinkedHashMap<>();
    private long namedSamples;
    private final int width;
    private final int steps;
    private final double threshold;
    private final long[][] confusion;
    private long samples;
    private long labelled;
    private double lossSum;
    private double dataLossSum;
    private double absSum;
    private double sqSum;
    private long values;

    /**
     * @param width      values per prediction (classes, 1 for binary, targets)
     * @param fromLogits binary predictions are logits (threshold 0 instead of 0.5)
     */
    public MetricAccumulator(Task task, int width, boolean fromLogits) {
        this(task, width, fromLogits, 1);
    }

    /**
     * @param width      values per prediction of one step (classes for multiclass)
     * @param steps      labels per sample: T for a class at each of T steps (multiclass only), else 1
     */
    public MetricAccumulator(Task task, int width, boolean fromLogits, int steps) {
        if (steps < 1) throw new IllegalArgumentException("steps must be at least 1, found " + steps);
        if (steps > 1 && task != Task.MULTICLASS) throw new IllegalArgumentException("per-step labels are class indices (multiclass)");
        this.task = task;
        this.steps = steps;
        this.width = width;
        this.threshold = fromLogits ? 0 : 0.5;
        int k = task == Task.MULTICLASS ? width : task == Task.BINARY ? 2 : 0;
        this.confusion = new long[k][k];
    }

    public Task task() { return task; }

    /**
     * One batch: {@code predictions} holds {@code n * steps * width} values; {@code classes} the true
     * class per sample, or per step (classification), {@code targets} the true values (regression);
     * the losses are the batch means.
     */
    /** A batch's losses alone: a model with several outputs reports its other metrics per label. */
    public void addLoss(int n, double loss, double dataLoss) {
        samples += n;
        lossSum += loss * n;
        dataLossSum += dataLoss * n;
    }

    public void add(float[] predictions, int n, int[] classes, float[] targets, double loss, double dataLoss) {
        samples += n;
        lossSum += loss * n;
        dataLossSum += dataLoss * n;
        if (task == Task.DETECTION) return;
        int rows = n * steps;
        for (int i = 0; i < rows; i++) {
            int off = i * width;
            if (task != Task.REGRESSION) {
                if (classes[i] < 0) continue; // a padded step (`source tagged`): no label to score
                labelled++;
            }
            if (task == Task.REGRESSION) {
                for (int j = 0; j < width; j++) {
                    double e = predictions[off + j] - targets[off + j];
                    absSum += Math.abs(e);
                    sqSum += e * e;
                }
                values += width;
                continue;
            }
            int truth = classes[i];
            int predicted;
            if (task == Task.BINARY) {
                predicted = predictions[off] >= threshold ? 1 : 0;
                double e = predictions[off] - truth;
                absSum += Math.abs(e);
                sqSum += e * e;
                values++;
            } else {
                predicted = 0;
                float best = predictions[off];
                for (int j = 0; j < width; j++) {
                    float p = predictions[off + j];
                    if (p > best) {
                        best = p;
                        predicted = j;
                    }
                    double e = p - (j == truth ? 1 : 0);
                    absSum += Math.abs(e);
                    sqSum += e * e;
                }
                values += width;
            }
            confusion[truth][predicted]++;
        }
    }

    public long samples() { return samples; }

    /** Labels per sample (the steps of per-step labels, else 1). */
    public int steps() { return steps; }

    /** The mean loss so far. */
    public double loss() { return samples == 0 ? Double.NaN : lossSum / samples; }

    /** The values of {@code metrics} (and `loss` first, always), by name. */
    public Map<String, Double> result(List<Metric> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", loss());
        for (Metric m : metrics) {
            if (m == Metric.LOSS) continue;
            out.put(m.word(), value(m));
        }
        namedSums.forEach((name, sum) -> out.put(name, namedSamples == 0 ? Double.NaN : sum / namedSamples));
        return out;
    }

    /** A batch of {@code n} samples' means of the `metric NAME = ...` expressions; reported after the built-in metrics. */
    public void addNamed(Map<String, Double> batchMeans, int n) {
        if (batchMeans.isEmpty()) return;
        batchMeans.forEach((name, mean) -> namedSums.merge(name, mean * n, Double::sum));
        namedSamples += n;
    }

    public double value(Metric m) {
        switch (m) {
            case LOSS: return loss();
            case ACCURACY: return accuracy();
            case PRECISION: return classScore(0);
            case RECALL: return classScore(1);
            case F1: return classScore(2);
            case MAE: return values == 0 ? Double.NaN : absSum / values;
            case MSE: return values == 0 ? Double.NaN : sqSum / values;
            case PERPLEXITY: return samples == 0 ? Double.NaN : Math.exp(dataLossSum / samples);
            default: throw new IllegalArgumentException("unknown metric " + m);
        }
    }

    public double accuracy() {
        if (labelled == 0 || confusion.length == 0) return Double.NaN;
        long right = 0;
        for (int k = 0; k < confusion.length; k++) right += confusion[k][k];
        return (double) right / labelled;
    }

    /** The confusion matrix, rows true classes, columns predicted ones (a copy). */
    public long[][] confusion() {
        long[][] out = new long[confusion.length][];
        for (int i = 0; i < out.length; i++) out[i] = confusion[i].clone();
        return out;
    }

    /** 0 precision, 1 recall, 2 F1: of class 1 (binary) or the macro average (multiclass). */
    private double classScore(int which) {
        if (confusion.length == 0 || samples == 0) return Double.NaN;
        if (task == Task.BINARY) return score(1, which);
        double sum = 0;
        int counted = 0;
        for (int k = 0; k < confusion.length; k++) {
            if (truthCount(k) == 0 && predictedCount(k) == 0) continue;
            sum += score(k, which);
            counted++;
        }
        return counted == 0 ? 0 : sum / counted;
    }

    private double score(int k, int which) {
        long tp = confusion[k][k];
        long predicted = predictedCount(k), truth = truthCount(k);
        double precision = predicted == 0 ? 0 : (double) tp / predicted;
        double recall = truth == 0 ? 0 : (double) tp / truth;
        if (which == 0) return precision;
        if (which == 1) return recall;
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    private long truthCount(int k) {
        long n = 0;
        for (long v : confusion[k]) n += v;
        return n;
    }

    private long predictedCount(int k) {
        long n = 0;
        for (long[] row : confusion) n += row[k];
        return n;
    }
}
