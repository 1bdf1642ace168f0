package dev.dlx.runtime.gradcheck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.testing.Catalog;
import dev.dlx.runtime.testing.Dlx;
import java.util.stream.Stream;
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
}
