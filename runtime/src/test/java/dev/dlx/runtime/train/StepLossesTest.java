package dev.dlx.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepLossesTest {

    /** Rows after batches 3 and 6 of an epoch of 7, and after its last; each the sample-weighted mean of its steps' losses. */
    @Test
    void aRowEveryKStepsAndOneAtTheEpochsEnd() {
        StepLosses log = new StepLosses(3);
        for (int b = 1; b <= 7; b++) log.add(2, b, 7, 7 + b, b == 7 ? 2 : 4, b);
        List<StepLosses.Row> rows = log.take(null);
        assertEquals(List.of(new StepLosses.Row(2, 3, 10, 3, 2.0), new StepLosses.Row(2, 6, 13, 3, 5.0), new StepLosses.Row(2, 7, 14, 1, 7.0)), rows);
        assertTrue(log.take(null).isEmpty(), "taken rows are not taken again");
        // the last batch of 2 samples weighs half as much as one of 4
        StepLosses few = new StepLosses(10);
        few.add(1, 1, 3, 1, 4, 1.0);
        few.add(1, 2, 3, 2, 4, 1.0);
        few.add(1, 3, 3, 3, 2, 6.0);
        assertEquals(2.0, few.take(null).get(0).loss(), 1e-12);
    }

    /** A stop inside the epoch ends the row in progress; a second end, with nothing since, adds none. */
    @Test
    void aStopEndsTheRowInProgress() {
        StepLosses log = new StepLosses(10);
        log.add(1, 1, 50, 1, 8, 3.0);
        log.add(1, 2, 50, 2, 8, 1.0);
        log.end(1, 2, 2);
        log.end(1, 2, 2);
        assertEquals(List.of(new StepLosses.Row(1, 2, 2, 2, 2.0)), log.take(null));
    }

    @Test
    void everyStepsIsOneOrMore() {
        assertThrows(IllegalArgumentException.class, () -> new StepLosses(0));
    }
}
