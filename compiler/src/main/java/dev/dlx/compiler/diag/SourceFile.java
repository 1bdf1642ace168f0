package dev.dlx.compiler.diag;

import java.nio.file.Path;
import java.util.Arrays;

/** The text of one `.dlx` file and where its lines start, for turning offsets into lines and columns. */
public final class SourceFile {
    private final Path path;
    private final String displayName;
    private final String text;
    private final int[] lineStarts;

    public SourceFile(Path path, String displayName, String text) {
        this.path = path;
        this.displayName = displayName;
        this.text = text;
        this.lineStarts = lineStarts(text);
    }

    /** The UTF-16 index where each line of {@code text} starts (lines end at '\n'); the first is 0. */
    public static int[] lineStarts(String text) {
        int[] starts = new int[16];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                if (n == starts.length) starts = Arrays.copyOf(starts, n * 2);
                starts[n++] = i + 1;
            }
        }
        return Arrays.copyOf(starts, n);
    }

    public static SourceFile of(String displayName, String text) {
        return new SourceFile(null, displayName, text);
    }

    /** The file on disk, or null for text that did not come from a file. */
    public Path path() { return path; }
    public String displayName() { return displayName; }
    public String text() { return text; }
    public int lineCount() { return lineStarts.length; }

    /** 1-based line of an offset. */
    public int line(int offset) {
        int i = Arrays.binarySearch(lineStarts, Math.max(0, Math.min(offset, text.length())));
        return (i >= 0 ? i : -i - 2) + 1;
    }

    /** 1-based column of an offset, counting UTF-16 units (an emoji counts two, as in LSP editors). */
    public int column(int offset) {
        int clamped = Math.max(0, Math.min(offset, text.length()));
        return clamped - lineStarts[line(clamped) - 1] + 1;
    }

    public int lineStart(int line) { return lineStarts[line - 1]; }

    /** The text of a 1-based line, without its line break. */
    public String lineText(int line) {
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        if (end > start && text.charAt(end - 1) == '\r') end--;
        return text.substring(start, Math.max(start, end));
    }

    @Override public String toString() { return displayName; }
}
