package dev.dlx.compiler.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Work;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nesting is bounded before the parser sees it, so that error recovery, which walks the rule
 * stack at every level it unwinds, costs at most the bound squared per too-deep place, and
 * parsing stays linear in the input. The work is counted, not timed.
 */
class NestingTest {
    private record Parsed(Program program, List<Diagnostic> diagnostics, Work work) {}

    private static Parsed parse(String text) {
        Diagnostics sink = new Diagnostics();
        Work work = new Work();
        Program p = Parser.parse(SourceFile.of("t.dlx", text), sink, work);
        return new Parsed(p, sink.sorted(), work);
    }

    private static String model(String body) { return "model M(x [4]) {\n    " + body + "\n}\n"; }

    /** Recovery walks the rule stack once per level it unwinds; a level of nesting is at most 3 rules deep. */
    private static final long RECOVERY_BOUND = (3L * Nesting.MAX_DEPTH) * (3L * Nesting.MAX_DEPTH) / 2;

    @Test
    void twentyThousandUnclosedParenthesesGiveOneErrorAtTheFirstTooDeep() {
        String prefix = "model M(x [4]) {\n    dense ";
        Parsed p = parse(prefix + "(".repeat(20_000) + "\n}\n");
        assertEquals(1, p.diagnostics().size(), p.diagnostics().toString());
        Diagnostic d = p.diagnostics().get(0);
        assertEquals(Code.TOO_DEEP, d.code());
        assertEquals("nesting deeper than 100 levels", d.message());
        assertEquals(prefix.length() + Nesting.MAX_DEPTH - 1, d.span().start()); // level 101, with the model's `{`
        // Without the bound, recovery walked about 20,000^2 / 2 = 2e8 frames; with it, a bounded number.
        assertTrue(p.work().recovery() <= RECOVERY_BOUND, p.work().toString());
        assertTrue(p.work().tokens() < 200, p.work().toString());
    }

    @Test
    void recoveryWorkGrowsLinearlyWithTheNumberOfTooDeepLines() {
        String line = "dense " + "(".repeat(150) + "\n    ";
        long one = parse(model(line)).work().recovery();
        long many = parse(model(line.repeat(100))).work().recovery();
        assertTrue(one > 0);
        assertTrue(many <= 100 * one + 1_000, one + " for one line, " + many + " for 100");
    }

    @Test
    void everyKindOfNestingCounts() {
        for (String open : List.of("(", "[", "add(", "-", "(1 + ")) {
            Parsed p = parse(model("dense " + open.repeat(5_000) + "1"));
            assertEquals(Code.TOO_DEEP, p.diagnostics().get(0).code(), open + ": " + p.diagnostics());
            assertTrue(p.work().recovery() <= RECOVERY_BOUND, open + ": " + p.work());
        }
        Parsed braces = parse("dataset d {\n" + "a {".repeat(5_000));
        assertTrue(braces.diagnostics().stream().anyMatch(d -> d.code() == Code.TOO_DEEP), braces.diagnostics().toString());
    }

    @Test
    void nestingUpToTheBoundIsRead() {
        int depth = Nesting.MAX_DEPTH - 1; // inside the model's braces
        Parsed p = parse(model("dense " + "(".repeat(depth) + "10" + ")".repeat(depth)));
        assertEquals(List.of(), p.diagnostics());
        Decl.Model m = p.program().all(Decl.Model.class).get(0);
        assertEquals(1, m.body().size());
    }

    @Test
    void theStatementWithTheTooDeepPlaceIsSkippedAndTheRestIsRead() {
        Parsed p = parse(model("dense " + "(".repeat(300) + "10" + ")".repeat(300) + "\n    relu\n    dense 3"));
        assertEquals(1, p.diagnostics().size(), p.diagnostics().toString());
        List<Stmt> body = p.program().all(Decl.Model.class).get(0).body();
        assertEquals(List.of("relu", "dense"), body.stream().map(s -> ((Stmt.Chain) s).chain().get(0).name().name()).toList());
    }
}
