package dev.dlx.runtime.train;

import dev.dlx.compiler.train.LossTerms;
import dev.dlx.compiler.train.Metric;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.metrics.MetricAccumulator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of a model with several outputs, one set per loss term, named after the term's
 * label: `loss` is the total (the weighted sum of the terms, with penalties), then `digit_loss`,
 * `digit_accuracy`, `parity_loss`, `parity_accuracy`, ... Class metrics are reported for class
 * labels, regression metrics for regression targets.
 */
final class TermMetrics {
    private final TrainGraph graph;
    private final List<LossTerms.Term> terms;
    private final List<MetricAccumulator> accs = new ArrayList<>();

    private TermMetrics(TrainGraph graph) {
        this.graph = graph;
        this.terms = graph.terms();
        for (LossTerms.Term t : terms) {
            int width = graph.outputWidth(t.output());
            int steps = steps(t.label().spec());   // a class per step: the metrics are per step (per token)
            accs.add(new MetricAccumulator(MetricAccumulator.task(t.loss(), t.label().spec(), width), width / steps, t.loss().fromLogits(), steps));
        }
    }

    /** Labels per sample: T for sparse labels at each of T steps, else 1. */
    private static int steps(dev.dlx.compiler.data.LabelSpec labels) {
        return labels != null && labels.encoding() == dev.dlx.compiler.data.LabelSpec.Encoding.SPARSE && labels.shape().rank() == 1
            && labels.shape().dim(0).known() ? Math.toIntExact(labels.shape().dim(0).size()) : 1;
    }

    /** The metrics of {@code graph}'s terms; null for a model with one input and one output. */
    static TermMetrics of(TrainGraph graph) {
        return graph.terms() == null ? null : new TermMetrics(graph);
    }

    /** The batch just stepped or evaluated: each output's predictions against its label's part. */
    void add(BatchFeeder.Batch batch, int count) {
        double[] losses = graph.termLosses();
        for (int k = 0; k < terms.size(); k++) {
            BatchFeeder.Batch labels = graph.labelBatch(batch, graph.feed().labelIndex(terms.get(k).label().name()));
            accs.get(k).add(graph.predictions(terms.get(k).output()), count, labels.classes, labels.targets, losses[k], losses[k]);
        }
    }

    /** The running accuracy of the first term over class labels, for the progress line; NaN when no term has classes. */
    double accuracy() {
        for (MetricAccumulator a : accs) if (a.task() != MetricAccumulator.Task.REGRESSION) return a.accuracy();
        return Double.NaN;
    }

    /** `loss` from {@code total}, then every term's loss and metrics, prefixed with its label's name. */
    Map<String, Double> result(MetricAccumulator total, List<Metric> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", total.loss());
        for (int k = 0; k < terms.size(); k++) {
            MetricAccumulator acc = accs.get(k);
            boolean classes = acc.task() != MetricAccumulator.Task.REGRESSION;
            List<Metric> own = metrics.stream().filter(m -> m.needsClasses() == classes || m == Metric.MAE || m == Metric.MSE).toList();
            String prefix = terms.get(k).label().name() + "_";
            acc.result(own).forEach((name, v) -> out.put(prefix + name, v));
        }
        return out;
    }
}
