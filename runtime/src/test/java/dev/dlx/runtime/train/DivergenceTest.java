package dev.dlx.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class DivergenceTest {

    @Test
    void aLossAThousandTimesTheFirstBatchsDivergesAtOnce() {
        Divergence.Watch w = new Divergence.Watch();
        w.firstBatch(2.3);
        w.firstBatch(1e30); // only the first batch counts
        assertNull(w.epoch(1.9));
        assertNull(w.epoch(2299)); // under 1000 x 2.3 = 2300
        Divergence d = w.epoch(6.8e15);
        assertNotNull(d);
        assertEquals(1000, d.factor());
        assertEquals(2.3, d.start());
    }

    @Test
    void aLossAboveTenTimesTheStartThatRisesThreeEpochsDiverges() {
        Divergence.Watch w = new Divergence.Watch();
        w.firstBatch(1.0);
        assertNull(w.epoch(11)); // 1 epoch high and rising
        assertNull(w.epoch(12)); // 2
        Divergence d = w.epoch(13); // 3
        assertNotNull(d);
        assertEquals(3, d.epochs());
    }

    @Test
    void aHighLossThatFallsAgainIsNoDivergence() {
        Divergence.Watch w = new Divergence.Watch();
        w.firstBatch(1.0);
        assertNull(w.epoch(11));
        assertNull(w.epoch(12));
        assertNull(w.epoch(11.5)); // fell: the count starts again
        assertNull(w.epoch(12));
        assertNull(w.epoch(13));
        assertNotNull(w.epoch(14));
    }

    @Test
    void aStartNearZeroCountsAsTheFloor() {
        Divergence.Watch w = new Divergence.Watch();
        w.firstBatch(1e-9);
        assertNull(w.epoch(1e-3)); // a million times the start, but under 1000 x the floor 0.01
        assertNotNull(w.epoch(11));
    }
}
