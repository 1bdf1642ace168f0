package dev.dlx.runtime.gradcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.testing.Catalog;
import dev.dlx.runtime.testing.Dlx;
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
