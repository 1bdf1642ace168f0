package dev.dlx.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Long source lines are cut to a window around the label, and the caret stays under its text. */
class TextRendererTest {
    /** The source line and the marker line of a rendering, without their gutters. */
    private static List<String> sourceAndMarker(String rendered) {
        List<String> lines = rendered.lines().toList();
        int bar = lines.get(1).indexOf(" | ") + 3;
        return List.of(lines.get(1).substring(bar), lines.get(2).substring(bar));
    }

    private static String render(String text, int start, int end) {
        SourceFile file = SourceFile.of("t.dlx", text);
        return new TextRenderer(false).render(Diagnostic.error(Code.SYNTAX, Span.of(file, start, end), "m").label("here").build());
    }

    @Test
    void aShortLineIsShownWhole() {
        String line = "x".repeat(TextRenderer.MAX_LINE - 5) + " bad";
        List<String> shown = sourceAndMarker(render(line, line.length() - 3, line.length()));
        assertEquals(line, shown.get(0));
        assertEquals(" ".repeat(line.length() - 3) + "^^^ here", shown.get(1));
    }

    @Test
    void anErrorAtColumn20000IsShownInAWindowWithItsCaretUnderIt() {
        String line = "a".repeat(19_999) + "BAD" + "b".repeat(5_000);
        int at = 19_999;
        String rendered = render(line, at, at + 3);
        for (String l : rendered.lines().toList()) {
            assertTrue(l.length() < TextRenderer.WINDOW + 20, () -> "a line of " + l.length() + " characters");
        }
        List<String> shown = sourceAndMarker(rendered);
        assertTrue(shown.get(0).startsWith("...") && shown.get(0).endsWith("..."), shown.get(0));
        assertEquals(TextRenderer.WINDOW + 6, shown.get(0).length());
        int caret = shown.get(1).indexOf('^');
        assertEquals("BAD", shown.get(0).substring(caret, caret + 3));
        assertEquals("^^^ here", shown.get(1).substring(caret));
        assertTrue(rendered.startsWith("t.dlx:1:20000: "), rendered);
    }

    @Test
    void anErrorAtTheEndOfALongLineKeepsTheEnd() {
        String line = "c".repeat(1_000) + " end";
        List<String> shown = sourceAndMarker(render(line, line.length(), line.length()));
        assertTrue(shown.get(0).startsWith("...") && shown.get(0).endsWith(" end"), shown.get(0));
        assertEquals(shown.get(0).length(), shown.get(1).indexOf('^'));
    }

    @Test
    void anErrorNearTheStartOfALongLineIsCutOnTheRightOnly() {
        String line = "ok BAD " + "d".repeat(1_000);
        List<String> shown = sourceAndMarker(render(line, 3, 6));
        assertEquals(line.substring(0, TextRenderer.WINDOW) + "...", shown.get(0));
        assertEquals("   ^^^ here", shown.get(1));
    }

    @Test
    void aLabelLongerThanTheWindowIsMarkedToItsEdge() {
        String line = "e".repeat(500) + "F".repeat(1_000) + "g".repeat(500);
        List<String> shown = sourceAndMarker(render(line, 500, 1_500));
        int caret = shown.get(1).indexOf('^');
        assertEquals('F', shown.get(0).charAt(caret));
        assertEquals(shown.get(0).length() - 3, shown.get(1).lastIndexOf('^') + 1);
    }

    @Test
    void fortyThousandErrorsPrintTheFirstHundredAndACount() {
        SourceFile file = SourceFile.of("t.dlx", "@".repeat(40_000));
        List<Diagnostic> many = new java.util.ArrayList<>();
        for (int i = 0; i < 40_000; i++) many.add(Diagnostic.error(Code.SYNTAX, Span.of(file, i, i + 1), "bad").label("here").build());
        String out = new TextRenderer(false).renderAll(many);
        assertEquals(TextRenderer.MAX_SHOWN, out.split("error\\[DLX").length - 1);
        assertTrue(out.contains("... and 39900 errors, 0 warnings more, not shown"), out.substring(out.length() - 200));
        assertTrue(out.length() < 100_000, out.length() + " characters");
    }
}
