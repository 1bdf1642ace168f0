package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.runtime.metrics.MetricAccumulator.Task;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prediction CSV: its columns name what each probability is of. */
class PredictionTest {

    private static String csv(Task task, List<String> names, boolean logits, float[]... rows) throws Exception {
        StringWriter w = new StringWriter();
        Prediction.write(task, names, logits, 1, rows[0].length, rows, w);
        return w.toString();
    }

    @Test
    void binaryPredictionsNameTheClassTheirProbabilityIsOf() throws Exception {
        // a sigmoid output is P(label 1), the second class name: 0.8 -> yes, 0.2 -> no with P(yes) 0.2
        assertEquals("class,p_yes\nyes,0.800000\nno,0.200000\n",
            csv(Task.BINARY, List.of("no", "yes"), false, new float[] {0.8f}, new float[] {0.2f}));
        // logit 0 -> probability 0.5, which is the second class
        assertEquals("class,p_1\n1,0.500000\n", csv(Task.BINARY, null, true, new float[] {0f}));
    }

    @Test
    void multiclassPredictionsHaveOneColumnPerClass() throws Exception {
        assertEquals("class,p_a,p_b,p_c\nb,0.200000,0.700000,0.100000\n",
            csv(Task.MULTICLASS, List.of("a", "b", "c"), false, new float[] {0.2f, 0.7f, 0.1f}));
    }
}
