package dev.dlx.lsp;

import java.util.Arrays;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;

/**
 * Lines and columns of one text as the protocol counts them (0-based lines, UTF-16 columns, the
 * protocol's default position encoding), to and from the compiler's offsets. Both count UTF-16
 * units, so an offset and a character index are the same number.
 */
final class TextMap {
    private final String text;
    private final int[] lineStarts;

    TextMap(String text) {
        this.text = text;
        this.lineStarts = dev.dlx.compiler.diag.SourceFile.lineStarts(text);
    }

    String text() { return text; }

    /** The position of a compiler offset (clamped to the text). */
    Position position(int offset) {
        int c = Math.max(0, Math.min(offset, text.length()));
        int i = Arrays.binarySearch(lineStarts, c);
        int line = i >= 0 ? i : -i - 2;
        return new Position(line, c - lineStarts[line]);
    }

    Range range(int start, int end) {
        return new Range(position(start), position(Math.max(start, end)));
    }

    /** The offset of a position, clamped to its line (and to the text). */
    int offset(Position p) {
        if (p.getLine() < 0) return 0;
        if (p.getLine() >= lineStarts.length) return text.length();
        int start = lineStarts[p.getLine()];
        int end = p.getLine() + 1 < lineStarts.length ? lineStarts[p.getLine() + 1] - 1 : text.length();
        if (end > start && text.charAt(end - 1) == '\r') end--;
        return Math.min(start + Math.max(0, p.getCharacter()), end);
    }
}
