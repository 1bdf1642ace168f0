package dev.dlx.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LargeStackTest {
    private static int depth(int n) { return n == 0 ? 0 : 1 + depth(n - 1); }

    private static int forever(int n) { return forever(n + 1) + 1; }

    @Test
    void recursionTooDeepForASmallStackRunsOnTheLargeOne() {
        // 200,000 frames overflow a default (1 MiB) stack; the large one has room.
        assertEquals(200_000, (int) LargeStack.call("t", () -> depth(200_000), () -> -1));
        assertEquals("t", LargeStack.call("t", () -> Thread.currentThread().getName(), () -> "?"));
    }

    @Test
    void overflowingEvenTheLargeStackGivesTheFallbackAndOtherFailuresReachTheCaller() {
        // (A small stack overflows quickly; the answer is the same with the large one, only later.)
        assertEquals(-1, (int) LargeStack.call("t", 1 << 20, () -> forever(0), () -> -1));
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> LargeStack.call("t", () -> { throw new IllegalStateException("bug"); }, () -> null));
        assertEquals("bug", e.getMessage());
    }
}
