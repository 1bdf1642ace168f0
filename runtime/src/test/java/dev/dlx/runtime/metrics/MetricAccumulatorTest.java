package dev.dlx.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.compiler.train.Metric;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Metrics against values computed by hand from small confusion matrices. */
class MetricAccumulatorTest {

    @Test
    void multiclassScoresAreMacroAverages() {
        MetricAccumulator m = new MetricAccumulator(MetricAccumulator.Task.MULTICLASS, 3, false);
        // truth 0 0 1 1 2 2, predicted 0 1 1 1 2 0
        float[] p = {
            .8f, .1f, .1f,
            .3f, .6f, .1f,
            .1f, .8f, .1f,
            .2f, .7f, .1f,
            .1f, .1f, .8f,
            .5f, .2f, .3f};
        m.add(p, 3, new int[] {0, 0, 1}, null, 1.0, 0.9);
        float[] rest = new float[9];
        System.arraycopy(p, 9, rest, 0, 9);
        m.add(rest, 3, new int[] {1, 2, 2}, null, 0.5, 0.3);
        Map<String, Double> r = m.result(List.of(Metric.ACCURACY, Metric.PRECISION, Metric.RECALL, Metric.F1, Metric.PERPLEXITY));
        assertEquals(0.75, r.get("loss"), 1e-12);
        assertEquals(4 / 6.0, r.get("accuracy"), 1e-12);
        // precision: class 0 1/2, class 1 2/3, class 2 1/1; recall: 1/2, 2/2, 1/2
        assertEquals((0.5 + 2 / 3.0 + 1) / 3, r.get("precision"), 1e-12);
        assertEquals((0.5 + 1 + 0.5) / 3, r.get("recall"), 1e-12);
        double f0 = 0.5, f1 = 2 * (2 / 3.0) / (2 / 3.0 + 1), f2 = 2 * 0.5 / 1.5;
        assertEquals((f0 + f1 + f2) / 3, r.get("f1"), 1e-12);
        assertEquals(Math.exp(0.6), r.get("perplexity"), 1e-12);
    }

    @Test
    void binaryScoresAreThoseOfClassOne() {
        MetricAccumulator m = new MetricAccumulator(MetricAccumulator.Task.BINARY, 1, false);
        // truth 1 1 0 0 1, predicted (>= 0.5) 1 0 1 0 1: tp 2, fp 1, fn 1
        m.add(new float[] {.9f, .2f, .7f, .1f, .6f}, 5, new int[] {1, 1, 0, 0, 1}, null, 0.4, 0.4);
        assertEquals(0.6, m.value(Metric.ACCURACY), 1e-12);
        assertEquals(2 / 3.0, m.value(Metric.PRECISION), 1e-12);
        assertEquals(2 / 3.0, m.value(Metric.RECALL), 1e-12);
        assertEquals(2 / 3.0, m.value(Metric.F1), 1e-12);
        MetricAccumulator logits = new MetricAccumulator(MetricAccumulator.Task.BINARY, 1, true);
        logits.add(new float[] {0.1f, -0.1f}, 2, new int[] {1, 0}, null, 0, 0);
        assertEquals(1.0, logits.value(Metric.ACCURACY), 0);
    }

    @Test
    void regressionErrors() {
        MetricAccumulator m = new MetricAccumulator(MetricAccumulator.Task.REGRESSION, 2, false);
        m.add(new float[] {1, 2, 3, 4}, 2, null, new float[] {1, 0, 0, 4}, 2.0, 2.0);
        assertEquals((0 + 2 + 3 + 0) / 4.0, m.value(Metric.MAE), 1e-12);
        assertEquals((0 + 4 + 9 + 0) / 4.0, m.value(Metric.MSE), 1e-12);
    }

    @Test
    void perStepLabelsCountEveryStep() {
        // 2 sequences of 3 steps over 2 classes: predictions [2, 3, 2], labels [2, 3]
        MetricAccumulator m = new MetricAccumulator(MetricAccumulator.Task.MULTICLASS, 2, false, 3);
        float[] p = {
            .9f, .1f,   .2f, .8f,   .6f, .4f,     // predicted 0 1 0
            .3f, .7f,   .4f, .6f,   .1f, .9f};    // predicted 1 1 1
        m.add(p, 2, new int[] {0, 1, 1, 1, 0, 1}, null, 0.4, 0.4);
        // right at 4 of the 6 steps (truth 0 1 1 / 1 0 1): accuracy is per step, not per sequence
        assertEquals(4 / 6.0, m.accuracy(), 1e-12);
        assertEquals(2, m.samples());
        long[][] c = m.confusion();
        assertEquals(1, c[0][0]);
        assertEquals(1, c[0][1]);
        assertEquals(1, c[1][0]);
        assertEquals(3, c[1][1]);
        // the losses are the batch's means over steps already
        assertEquals(Math.exp(0.4), m.value(Metric.PERPLEXITY), 1e-12);
        assertEquals(0.4, m.loss(), 1e-12);
    }
}
