package dev.dlx.compiler.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A model's expanded size comes from its block definitions before anything is built: a use that
 * takes the model past {@link ModelChecker#MAX_EXPANSION} is refused where it is written, having
 * built nothing, and a model exactly at the limit is built in full. Sizes here are counted by hand.
 */
class ExpansionTest {
    private static Compilation compile(String text) {
        return new Compiler(p -> Optional.empty(), Path.of("/")).compile(Path.of("/t.dlx"), text);
    }

    private static List<Diagnostic> tooMany(Compilation c) {
        return c.diagnostics().sorted().stream().filter(d -> d.code() == Code.TOO_MANY_LAYERS).toList();
    }

    /** The one expansion error, which must sit on {@code use}, the last occurrence of that text. */
    private static void refusedAt(String text, String use) {
        Compilation c = compile(text);
        List<Diagnostic> errors = tooMany(c);
        assertEquals(1, errors.size(), c.diagnostics().sorted().toString());
        Diagnostic d = errors.get(0);
        assertEquals("this model expands to more than 100,000 layers", d.message());
        assertEquals(text.lastIndexOf(use), d.span().start(), d.span().text());
        assertEquals(use, d.span().text());
    }

    @Test
    void aBlockOfTenThousandUsedTenThousandTimesIsRefusedAtTheUseHavingBuiltNothing() {
        String text = "block b {\n    relu * 10000\n}\nmodel M(x [4]) {\n    b * 10000\n}\n";
        refusedAt(text, "b * 10000");
        Compilation c = compile(text);
        assertEquals(0, c.work().expanded());
        assertTrue(c.work().sizing() <= 3, c.work().toString()); // the use, and the block's body of one step
        assertEquals(1, c.rootModels().get(0).nodes().size()); // the input only: nothing to summarize
    }

    @Test
    void blocksThatDoubleTwentyFourTimesAreSizedInTwentyFourBodies() {
        StringBuilder s = new StringBuilder("block b0 {\n    relu\n}\n");
        for (int i = 1; i <= 24; i++) s.append("block b").append(i).append(" {\n    b").append(i - 1).append("\n    b").append(i - 1).append("\n}\n");
        String text = s + "model M(x [4]) {\n    dense 4\n    b24\n}\n";
        refusedAt(text, "b24");
        Compilation c = compile(text);
        assertEquals(1, c.work().expanded()); // `dense 4`, before the refused use
        assertTrue(c.work().sizing() <= 2 * 25 + 2, c.work().toString());
    }

    @Test
    void exactlyTheLimitIsBuiltAndOneMoreIsRefusedAtTheStepThatPassesIt() {
        // (1 use + 9,999 relu) * 10 = 100,000 steps.
        String block = "block c(n) {\n    relu * n\n}\n";
        Compilation at = compile(block + "model M(x [4]) {\n    c(9999) * 10\n}\n");
        assertEquals(List.of(), at.diagnostics().sorted());
        assertEquals(100_000, at.work().expanded());
        assertEquals(1 + 99_990, at.rootModels().get(0).nodes().size()); // the input and every relu
        refusedAt(block + "model M(x [4]) {\n    c(9999) * 10 -> relu\n}\n", "relu");
    }

    @Test
    void aRepeatCountFromAParameterIsSizedPerBinding() {
        String block = "block c(n) {\n    relu * n\n}\nblock d(m) {\n    c(m * 2) * 10\n}\n";
        // d(5000) = 1 + 10 * (1 + 10,000) = 100,011: over; d(4000) = 80,011: under, and built.
        refusedAt(block + "model M(x [4]) {\n    d(5000)\n}\n", "d(5000)");
        Compilation under = compile(block + "model M(x [4]) {\n    d(4000)\n}\n");
        assertEquals(List.of(), tooMany(under));
        assertEquals(1 + 10 * (1 + 8_000), under.work().expanded());
    }

    @Test
    void twoUsesThatFitAloneButNotTogetherAreRefusedAtTheSecond() {
        String text = "block c(n) {\n    relu * n\n}\nmodel M(x [4]) {\n    c(9999) * 6\n    c(9998) * 5\n}\n";
        refusedAt(text, "c(9998) * 5");
        assertEquals(60_000, compile(text).work().expanded());
    }

    @Test
    void aRecursiveBlockIsReportedAsSuchAndStillBounded() {
        String text = "block a {\n    relu * 10000 -> b * 10000\n}\nblock b {\n    a * 10000\n}\nmodel M(x [4]) {\n    a\n}\n";
        Compilation c = compile(text);
        assertTrue(c.diagnostics().sorted().stream().anyMatch(d -> d.code() == Code.RECURSIVE_BLOCK), c.diagnostics().sorted().toString());
        assertTrue(c.work().expanded() <= ModelChecker.MAX_EXPANSION + 1, c.work().toString());
    }
}
