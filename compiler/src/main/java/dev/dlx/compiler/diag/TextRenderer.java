package dev.dlx.compiler.diag;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders diagnostics the way rustc does:
 * <pre>
 * samples/bad.dlx:14:5: error[DLX0401]: dense expects a rank-1 input, found [4, 4, 16]
 *    14 |     dense 64 -> relu
 *       |     ^^^^^^^^ needs a vector
 *    = help: insert `flatten` before this layer
 * </pre>
 */
public final class TextRenderer {
    private final boolean color;

    public TextRenderer(boolean color) { this.color = color; }

    public String render(Diagnostic d) {
        StringBuilder out = new StringBuilder();
        Span span = d.span();
        String sev = d.severity().word();
        out.append(bold(span.location() + ": "))
           .append(paint(d.isError() ? "31" : "33", sev + "[" + d.code().id() + "]"))
           .append(bold(": " + d.message())).append('\n');
        List<Label> labels = new ArrayList<>();
        labels.add(d.primary());
        labels.addAll(d.secondary());
        // Source lines in file order, as rustc shows them; the primary label keeps its `^`.
        labels.sort(java.util.Comparator.comparing((Label l) -> l.span().file() != span.file())
            .thenComparingInt(l -> l.span().start()));
        int width = 2;
        for (Label l : labels) {
            if (l.span().file() == span.file()) width = Math.max(width, String.valueOf(l.span().line()).length());
        }
        String gutter = " ".repeat(width + 1);
        int lastLine = -1;
        SourceFile lastFile = null;
        Window shown = null;
        for (Label l : labels) {
            boolean primary = l == d.primary();
            Span s = l.span();
            if (s.file() != span.file() && s.file() != lastFile) {
                out.append(gutter).append("--> ").append(s.location()).append('\n');
            }
            int line = s.line();
            String text = s.file().lineText(line).replace('\t', ' ');
            int col = s.column() - 1;
            int endCol = Math.min(s.endLine() == line ? s.file().column(s.end()) - 1 : text.length(), text.length());
            if (line != lastLine || s.file() != lastFile || !shown.shows(col)) {
                // A source line is shown once; each label on it gets its own marker line below it.
                shown = Window.around(text, col);
                String num = String.valueOf(line);
                out.append(" ".repeat(Math.max(0, width + 1 - num.length()))).append(num).append(" | ")
                   .append(shown.cut(text)).append('\n');
            }
            lastLine = line;
            lastFile = s.file();
            int len = Math.max(1, Math.min(endCol, shown.to()) - col);
            String tone = primary ? (d.isError() ? "31" : "33") : "34";
            out.append(gutter).append(" | ").append(" ".repeat(Math.max(0, shown.column(col))))
               .append(paint(tone, (primary ? "^" : "-").repeat(len)));
            if (!l.text().isEmpty()) out.append(' ').append(paint(tone, l.text()));
            out.append('\n');
        }
        for (String note : d.notes()) out.append(gutter).append(" = note: ").append(note).append('\n');
        if (d.help() != null) out.append(gutter).append(" = help: ").append(d.help()).append('\n');
        return out.toString();
    }

    /** Source lines up to this wide are shown whole. */
    static final int MAX_LINE = 160;
    /** Wider ones are cut to this many characters around the label. */
    static final int WINDOW = 120;
    /** How much of the line before the label a cut line keeps. */
    private static final int LEAD = 40;
    private static final String CUT = "...";

    /** The part [from, to) of a source line that is shown; `...` stands for what is left out. */
    record Window(int from, int to, int length) {
        /** The window of a line that shows a label starting at {@code col}, and as much of it as fits. */
        static Window around(String text, int col) {
            int length = text.length();
            if (length <= MAX_LINE) return new Window(0, length, length);
            int from = Math.max(0, Math.min(col - LEAD, length - WINDOW));
            int to = from + WINDOW;
            // Do not split a character that takes two UTF-16 units.
            if (from > 0 && Character.isLowSurrogate(text.charAt(from))) from++;
            if (to < length && Character.isLowSurrogate(text.charAt(to))) to--;
            return new Window(from, to, length);
        }

        boolean shows(int col) { return col >= from && (col < to || col == length); }

        String cut(String text) {
            return (from > 0 ? CUT : "") + text.substring(from, to) + (to < length ? CUT : "");
        }

        /** Where column {@code col} of the line is in the cut text. */
        int column(int col) { return col - from + (from > 0 ? CUT.length() : 0); }
    }

    /** How many diagnostics {@link #renderAll} prints; past them one line says how many more there are. */
    public static final int MAX_SHOWN = 100;

    /**
     * The first {@link #MAX_SHOWN} diagnostics, then a line counting the rest (a file of 40,000 bad
     * characters has 40,000 errors; the first ones say what is wrong, the rest would only flood).
     */
    public String renderAll(List<Diagnostic> diagnostics) {
        StringBuilder out = new StringBuilder();
        int shown = Math.min(MAX_SHOWN, diagnostics.size());
        for (Diagnostic d : diagnostics.subList(0, shown)) out.append(render(d)).append('\n');
        if (diagnostics.size() > shown) {
            long errors = diagnostics.subList(shown, diagnostics.size()).stream().filter(d -> d.severity() == Severity.ERROR).count();
            long warnings = diagnostics.size() - shown - errors;
            out.append("... and ").append(tally(errors, warnings)).append(" more, not shown (`--format json` lists every one)\n\n");
        }
        return out.toString();
    }

    /** `2 errors, 1 warning` style closing line. */
    public static String tally(long errors, long warnings) {
        return plural(errors, "error") + ", " + plural(warnings, "warning");
    }

    private static String plural(long n, String word) { return n + " " + word + (n == 1 ? "" : "s"); }

    private String bold(String s) { return color ? "\u001b[1m" + s + "\u001b[0m" : s; }
    private String paint(String code, String s) { return color ? "\u001b[1;" + code + "m" + s + "\u001b[0m" : s; }
}
