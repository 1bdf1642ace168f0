package dev.dlx.runtime.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.train.Loss;

import dev.dlx.runtime.testing.Catalog;
import dev.dlx.runtime.testing.Dlx;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The analytical gradient of every layer kind agrees with central differences in float64. */
class GradientCheckTest {
    static final double TOLERANCE = 1e-4;

    static Stream<Catalog.Case> cases() { return Catalog.CASES.stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchCentralDifferences(Catalog.Case c) {
        GradientCheckReport report = GradientCheck.run(Dlx.model(c.source()), GradientCheck.Options.of(c.loss()));
        System.out.println("[gradcheck] " + c.name() + "\n" + report.format());
        assertTrue(!report.entries().isEmpty(), "nothing was checked");
        assertTrue(report.passes(TOLERANCE), c.name() + ": largest relative error " + report.maxRelativeError() + "\n" + report.format());
    }

    /**
     * conv_2's bias starts at 0 and some of its windows lie wholly in the zero padding, so the relu
     * after it sees exactly 0 there: every step ±h of that bias crosses the kink, where the central
     * difference (half the slope) is no derivative. Those entries are left out and counted; with
     * tanh instead of relu there is no kink and nothing is left out.
     */
    static String paddedConvs(String activation) {
        return """
            model P(image [8, 8, 1]) -> [10] {
                conv 4 3 stride 2 padding full -> relu
                conv 4 2 padding 2x1 -> %s
                conv 4 3 stride 3 padding same
                flatten
                dense 10 -> softmax
            }
            """.formatted(activation);
    }

    @Test
    void stepsAcrossAReluKinkAreLeftOut() {
        GradientCheckReport report = GradientCheck.run(Dlx.model(paddedConvs("relu")), GradientCheck.Options.of(Loss.CATEGORICAL_CROSSENTROPY));
        GradientCheckReport.Entry bias = entry(report, "conv_2", "bias");
        assertEquals(4, bias.checked() + bias.excluded(), report.format());
        assertTrue(bias.excluded() > 0, "the zero-padded windows put the relu's input at 0\n" + report.format());
        assertTrue(report.passes(TOLERANCE), report.format());
        assertEquals(bias.excluded(), report.excluded(), "no other entry sits at a kink\n" + report.format());
    }

    @Test
    void smoothActivationsLeaveNothingOut() {
        GradientCheckReport report = GradientCheck.run(Dlx.model(paddedConvs("tanh")), GradientCheck.Options.of(Loss.CATEGORICAL_CROSSENTROPY));
        assertEquals(0, report.excluded(), report.format());
        assertEquals(4, entry(report, "conv_2", "bias").checked(), report.format());
        assertTrue(report.passes(TOLERANCE), report.format());
    }

    /**
     * The two tests by hand: a relu input moving -h, 0, +h crosses 0 (one moving 1-h, 1, 1+h or not
     * at all does not); max(1 + 2t, 1 + 0.5t) at the tie t = 0 has the second difference 1.5h, a
     * smooth t² only h².
     */
    @Test
    void kinksAreCrossingsAndSwitches() {
        double h = 1e-5;
        Kinks relu = new Kinks(List.of(new Kinks.Probe(null, new double[] {0})));
        assertTrue(relu.crossed(List.of(new double[] {-h}), List.of(new double[] {0}), List.of(new double[] {h}), h));
        assertFalse(relu.crossed(List.of(new double[] {1 - h}), List.of(new double[] {1}), List.of(new double[] {1 + h}), h));
        assertFalse(relu.crossed(List.of(new double[] {0}), List.of(new double[] {0}), List.of(new double[] {0}), h));
        Kinks max = new Kinks(List.of(new Kinks.Probe(null, new double[0])));
        assertTrue(max.crossed(List.of(new double[] {1 - 0.5 * h}), List.of(new double[] {1}), List.of(new double[] {1 + 2 * h}), h));
        assertFalse(max.crossed(List.of(new double[] {h * h}), List.of(new double[] {0}), List.of(new double[] {h * h}), h));
    }

    private static GradientCheckReport.Entry entry(GradientCheckReport r, String layer, String tensor) {
        return r.entries().stream().filter(e -> e.layer().equals(layer) && e.tensor().equals(tensor)).findFirst().orElseThrow();
    }

    /** A loss expression over the output, an intermediate tensor and class-index labels: every layer it reaches is checked. */
    @Test
    void expressionLossesAreChecked(@TempDir java.nio.file.Path dir) throws Exception {
        var c = dev.dlx.runtime.train.Fixtures.compile(dir, """
            dataset d {
                source csv "data.csv" { features 0..5, label 6 }
                labels classes 3 sparse
            }
            model M(x [6]) -> [3] {
                let h = dense 4 -> tanh
                h -> dense 3 -> softmax
            }
            train M on d {
                loss sparse_categorical_crossentropy(output, label) + 0.1 * mean(square(h)) + 0.01 * sqdist(h, 0.5 * h)
                optimizer sgd
            }
            """, java.util.Map.of("data.csv", dev.dlx.runtime.train.Fixtures.classesCsv(12, 1, 1)));
        var t = c.trainings().get(0);
        GradientCheckReport report = GradientCheck.run(c.models().get("M"),
            GradientCheck.Options.of(t.loss().loss()).withObjective(t.objective()));
        assertEquals(java.util.Set.of("x", "dense_1", "dense_2"), report.byLayer().keySet());
        assertTrue(report.passes(TOLERANCE), "largest relative error " + report.maxRelativeError() + "\n" + report.format());
    }
}
