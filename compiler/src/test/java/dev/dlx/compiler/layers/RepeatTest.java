package dev.dlx.compiler.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.ir.ModelIR;
import org.junit.jupiter.api.Test;

/** `repeat T`: shapes and weight counts of one-to-many models, worked out by hand. */
class RepeatTest {

    @Test
    void aVectorBecomesTEqualSteps() {
        assertEquals("[5, 3]", NewKindsTest.shape("[3]", "repeat 5"));
        assertEquals("[7, 16]", NewKindsTest.shape("[16]", "repeat_vector 7"));
        assertEquals("[4, ?]", NewKindsTest.shape("[?]", "repeat 4"));
    }

    @Test
    void aOneToManyModelCountsOnlyItsRecurrentAndDenseWeights() {
        ModelIR m = NewKindsTest.model("model M(c [10]) -> [8, 8] { dense 32 -> relu -> repeat 8 -> gru 64 return_sequences -> dense 8 }");
        assertEquals(0, NewKindsTest.layer(m, "repeat_1").paramCount());
        assertEquals("[8, 32]", NewKindsTest.layer(m, "repeat_1").shape().toString());
        // dense 10 -> 32: 11 * 32; gru: 3 blocks * 64 * (32 + 64 + 1); dense 64 -> 8 per step: 65 * 8
        assertEquals(3 * 64 * (32 + 64 + 1), NewKindsTest.layer(m, "gru_1").paramCount());
        assertEquals(11 * 32 + 3 * 64 * (32 + 64 + 1) + 65 * 8, m.totalParams());
    }

    @Test
    void aSequenceCannotBeRepeated() {
        Diagnostic d = NewKindsTest.error("model M(x [4, 3]) { repeat 2 }");
        assertEquals(Code.RANK_MISMATCH, d.code());
        assertTrue(d.message().contains("repeats a vector [d], found [4, 3]"), d.message());
    }

    @Test
    void stepsMustBePositive() {
        assertEquals(Code.OUT_OF_RANGE, NewKindsTest.error("model M(x [4]) { repeat 0 }").code());
    }
}
