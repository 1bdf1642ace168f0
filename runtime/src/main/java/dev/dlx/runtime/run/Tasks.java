package dev.dlx.runtime.run;

import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.train.EarlyStop;
import dev.dlx.compiler.train.LossSpec;
import dev.dlx.compiler.train.Metric;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.train.TrainGraph;

/** Small decisions shared by run, evaluate and predict: how predictions are read, what is monitored. */
final class Tasks {
    private Tasks() {}

    static MetricAccumulator.Task task(LossSpec loss, LabelSpec labels, int outputWidth) {
        return MetricAccumulator.task(loss, labels, outputWidth);
    }

    static MetricAccumulator accumulator(TrainIR t, LabelSpec labels, int outputWidth) {
        int steps = steps(labels);
        return new MetricAccumulator(task(t.loss(), labels, outputWidth), outputWidth / steps, fromLogits(t), steps);
    }

    /** Whether the model outputs logits: by the built-in loss on its output (none: probabilities). */
    static boolean fromLogits(TrainIR t) {
        return t.loss() != null && t.loss().fromLogits();
    }

    /** The accumulator for a training graph's predictions (per step when the labels are). */
    static MetricAccumulator accumulator(MetricAccumulator.Task task, TrainGraph g, TrainIR t) {
        int steps = g.labelSteps();
        return new MetricAccumulator(task, g.outputWidth() / steps, fromLogits(t), steps);
    }

    /** Labels per sample: T for sparse labels at each of T steps, else 1. */
    static int steps(LabelSpec labels) {
        return labels != null && labels.encoding() == LabelSpec.Encoding.SPARSE && labels.shape().rank() == 1
            ? Math.toIntExact(labels.shape().dim(0).size()) : 1;
    }

    /** What `best` and early stopping watch: early stopping's metric, else val_loss with validation data, else loss. */
    static String monitor(TrainIR t, boolean validation) {
        if (t.earlyStop() != null) return t.earlyStop().monitor();
        return validation ? "val_loss" : "loss";
    }

    static boolean higherIsBetter(TrainIR t, String monitor) {
        if (t.earlyStop() != null) return t.earlyStop().mode() == EarlyStop.Mode.MAX;
        String base = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
        return Metric.byWord(base).map(Metric::higherIsBetter).orElse(false);
    }
}
