package dev.dlx.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Console numbers: four decimals in the usual range, scientific notation past it. */
class MetricTextTest {

    @Test
    void divergingValuesAreShortScientificNumbers() {
        // the loss of a diverging regression (sgd lr 5), once printed as 2826507376248503000000000000000.0000
        assertEquals("2.8265e+30", MetricText.of(2826507376248503000000000000000.0));
        assertEquals("-4.7515e+16", MetricText.of(-47514978382512128.0));
        assertEquals("1.0000e+05", MetricText.of(1e5));
        assertEquals("99999.0000", MetricText.of(99999));
        assertEquals("inf", MetricText.of(Double.POSITIVE_INFINITY));
    }

    @Test
    void usualValuesKeepFourDecimals() {
        assertEquals("0.1494", MetricText.of(0.14938));
        assertEquals("0.0000", MetricText.of(0));
        assertEquals("5.0000e-05", MetricText.of(5e-5), "a tiny loss is not printed as zero");
        assertEquals("-", MetricText.of(Double.NaN));
    }
}
