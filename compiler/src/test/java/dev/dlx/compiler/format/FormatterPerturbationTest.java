package dev.dlx.compiler.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.grammar.DlxLexer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The layout is canonical: each sample with its whitespace scrambled (indentation, tabs, trailing
 * spaces, spaces around `->`, `=`, commas and brackets, several blank lines where there was one) formats to the same
 * text as the sample itself, and the checker says the same about both.
 */
class FormatterPerturbationTest {
    /** Pairs whose spacing the formatter decides: any amount of space in between may be written. */
    private static final Set<Integer> DECIDED_AFTER = Set.of(DlxLexer.COMMA, DlxLexer.ARROW, DlxLexer.EQ, DlxLexer.CALL,
        DlxLexer.LPAREN, DlxLexer.LBRACK, DlxLexer.LBRACE);
    private static final Set<Integer> DECIDED_BEFORE = Set.of(DlxLexer.COMMA, DlxLexer.ARROW, DlxLexer.EQ, DlxLexer.RPAREN,
        DlxLexer.RBRACK, DlxLexer.RBRACE, DlxLexer.LBRACE);

    static String scramble(String text, Random random) {
        List<Token> tokens = Formatter.tokens(text);
        StringBuilder out = new StringBuilder();
        Token previous = null;
        boolean lineStart = true;
        for (Token t : tokens) {
            if (t.getType() == DlxLexer.NL) {
                out.append(" ".repeat(random.nextInt(3)));
                out.append(t.getText());
                // A blank line may become several; none appears where there was none.
                if (previous != null && previous.getType() == DlxLexer.NL && random.nextBoolean()) out.append("\n  \n");
                lineStart = true;
                previous = t;
                continue;
            }
            if (lineStart) {
                out.append(random.nextBoolean() ? "\t".repeat(random.nextInt(3)) : " ".repeat(random.nextInt(9)));
            } else if (previous != null) {
                boolean gap = t.getStartIndex() > previous.getStopIndex() + 1;
                boolean decided = DECIDED_AFTER.contains(previous.getType()) || DECIDED_BEFORE.contains(t.getType());
                boolean comment = t.getType() == DlxLexer.LINE_COMMENT || t.getType() == DlxLexer.BLOCK_COMMENT
                    || previous.getType() == DlxLexer.BLOCK_COMMENT;
                if (comment) out.append(gap ? " " : "");
                else if (decided && !(previous.getType() == DlxLexer.RPAREN && t.getType() == DlxLexer.LPAREN)) {
                    out.append(" ".repeat(random.nextInt(3)));
                } else if (gap) out.append(" ".repeat(1 + random.nextInt(2)));
            }
            out.append(t.getText());
            lineStart = false;
            previous = t;
        }
        return out.toString();
    }

    /** Trailing comments keep their column when they can; compare them at one space. */
    static String commentsAtOneSpace(String text) {
        return text.replaceAll("(?m)(\\S) +(//.*)$", "$1 $2");
    }

    @TestFactory
    List<DynamicTest> scrambledSamplesFormatToTheSameText() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : FormatterTest.corpus()) {
            String text = FormatterTest.read(file);
            Formatter.Result canonical = Formatter.format(text);
            if (!canonical.ok()) continue;
            tests.add(DynamicTest.dynamicTest(FormatterTest.repo().relativize(file).toString(), () -> {
                Random random = new Random(file.getFileName().toString().hashCode());
                for (int round = 0; round < 5; round++) {
                    String scrambled = scramble(text, random);
                    Formatter.Result r = Formatter.format(scrambled);
                    assertTrue(r.ok(), r.problems() + "\n" + scrambled);
                    assertEquals(commentsAtOneSpace(canonical.text()), commentsAtOneSpace(r.text()), "scrambled:\n" + scrambled);
                    assertEquals(r.text(), Formatter.format(r.text()).text(), "not idempotent");
                    assertEquals(FormatterTest.checkerOutput(file, text), FormatterTest.checkerOutput(file, r.text()));
                }
            }));
        }
        return tests;
    }
}
