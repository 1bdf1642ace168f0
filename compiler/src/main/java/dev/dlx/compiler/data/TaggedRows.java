package dev.dlx.compiler.data;

import dev.dlx.support.Lines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a `source tagged` file, as the checker and the runtime's reader both read them: one
 * sample per data line (blank lines and the header line left out), its tokens and its tags each
 * in a cell of their own, separated by white space, one tag per token in the same order.
 */
public final class TaggedRows {
    private TaggedRows() {}

    /** One data line: its 1-based number, its tokens and their tags (as many). */
    public record Row(long line, String[] tokens, String[] tags) {}

    /** A row that cannot be read as tokens and their tags: where, what, and how to fix it. */
    public static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;
        private final long line;
        private final int column;
        private final String help;

        public Bad(long line, int column, String message, String help) {
            super(message, null, false, false);
            this.line = line;
            this.column = column;
            this.help = help;
        }

        public long line() { return line; }
        /** The 1-based character column of the cell on the line. */
        public int column() { return column; }
        public String help() { return help; }
    }

    /** What reading is told of each row. */
    public interface Visitor {
        void row(Row row) throws Bad;
    }

    /**
     * Reads the rows of {@code source}'s file, at most {@code limit} characters of data lines;
     * returns whether the whole file was read. Equal tokens are one string (a long text of few
     * distinct characters costs one reference per token).
     */
    public static boolean read(TaggedSource source, long limit, Visitor visitor) throws IOException, Lines.TooLong, Bad {
        Map<String, String> canonical = new HashMap<>();
        int needed = Math.max(source.tokenColumn(), source.tagColumn()) + 1;
        boolean headerPending = source.header();
        long lineNo = 0, read = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(DataFiles.open(source.file()), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while (true) {
                try {
                    line = Lines.read(r);
                } catch (Lines.TooLong e) {
                    throw new Bad(lineNo + 1, 1, "line " + (lineNo + 1) + " is longer than " + Lines.MAX + " characters",
                        "a tagged file holds one row of tokens and their tags a line");
                }
                if (line == null) break;
                lineNo++;
                if (line.isBlank()) continue;
                if (headerPending) {
                    headerPending = false;
                    continue;
                }
                read += line.length() + 1;
                if (read > limit) return false;
                List<String> fields = CsvSource.split(line, source.delimiter());
                if (fields.size() < needed) {
                    throw new Bad(lineNo, 1, "line " + lineNo + " has " + fields.size() + " field" + (fields.size() == 1 ? "" : "s")
                        + ", but the " + (source.tokenColumn() >= fields.size() ? "tokens are in column " + source.tokenColumn()
                            : "tags are in column " + source.tagColumn()) + " (from 0)",
                        "every line needs its tokens and its tags, e.g. `c a l l,B I I I`");
                }
                String[] tokens = words(fields.get(source.tokenColumn()), canonical);
                String[] tags = words(fields.get(source.tagColumn()), canonical);
                int column = CsvSource.cellColumn(line, source.tagColumn(), source.delimiter());
                if (tokens.length == 0) {
                    throw new Bad(lineNo, CsvSource.cellColumn(line, source.tokenColumn(), source.delimiter()),
                        "line " + lineNo + " has no tokens", "remove the line, or give it its tokens and tags");
                }
                if (tokens.length != tags.length) {
                    throw new Bad(lineNo, column, "line " + lineNo + " has " + tokens.length + " token" + (tokens.length == 1 ? "" : "s")
                            + " but " + tags.length + " tag" + (tags.length == 1 ? "" : "s"),
                        "every token needs one tag, in the same order, both separated by spaces");
                }
                visitor.row(new Row(lineNo, tokens, tags));
            }
        }
        return true;
    }

    /** The white-space-separated words of a cell. */
    private static String[] words(String cell, Map<String, String> canonical) {
        String t = cell.strip();
        if (t.isEmpty()) return new String[0];
        String[] out = t.split("\\s+");
        for (int i = 0; i < out.length; i++) out[i] = canonical.computeIfAbsent(out[i], k -> k);
        return out;
    }
}
