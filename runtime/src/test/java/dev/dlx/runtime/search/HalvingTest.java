package dev.dlx.runtime.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HalvingTest {
    @Test
    void twelveTrialsNineEpochsFactorThree() {
        // s = 2 (3^2 = 9 <= 9 epochs and <= 12 trials): 12 trials train 1 epoch, 4 go on to 3, 1 to 9
        assertEquals(List.of(new Halving.Rung(1, 12), new Halving.Rung(3, 4), new Halving.Rung(9, 1)), Halving.plan(12, 9, 3));
    }

    @Test
    void fewTrialsLimitTheRungs() {
        // 3^2 = 9 > 4 trials: s = 1, rungs of 3 and 9 epochs
        assertEquals(List.of(new Halving.Rung(3, 4), new Halving.Rung(9, 1)), Halving.plan(4, 9, 3));
        // factor 2, 8 epochs, 8 trials: 1, 2, 4, 8 epochs with 8, 4, 2, 1 trials
        assertEquals(List.of(new Halving.Rung(1, 8), new Halving.Rung(2, 4), new Halving.Rung(4, 2), new Halving.Rung(8, 1)),
            Halving.plan(8, 8, 2));
    }

    @Test
    void epochsAreRoundedAndNoHalvingIsOneRung() {
        // 10 epochs, factor 3, 9 trials: 10/9 -> 1, 10/3 -> 3, 10
        assertEquals(List.of(new Halving.Rung(1, 9), new Halving.Rung(3, 3), new Halving.Rung(10, 1)), Halving.plan(9, 10, 3));
        assertEquals(List.of(new Halving.Rung(5, 6)), Halving.plan(6, 5, 0));
        // a budget smaller than the factor: one rung
        assertEquals(List.of(new Halving.Rung(2, 6)), Halving.plan(6, 2, 3));
    }
}
