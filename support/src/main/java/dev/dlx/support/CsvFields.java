package dev.dlx.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The cells of one delimited line, as the checker, the trainer and a built model JAR read them:
 * double quotes protect delimiters, `""` is a quote; what counts as a missing cell and as a number.
 */
public final class CsvFields {
    private CsvFields() {}

    /** Fields of one line; double quotes protect delimiters, `""` is a quote. */
    public static List<String> split(String line, char delimiter) {
        List<String> out = new ArrayList<>();
        if (line.indexOf('"') < 0) {
            int start = 0;
            for (int i = 0; i < line.length(); i++) {
                if (line.charAt(i) == delimiter) {
                    out.add(line.substring(start, i));
                    start = i + 1;
                }
            }
            out.add(line.substring(start));
            return out;
        }
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (ch == delimiter && !quoted) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        out.add(field.toString());
        return Collections.unmodifiableList(out);
    }

    /** How many fields {@link #split} finds in the line, without making them. */
    public static int count(String line, char delimiter) {
        int n = 1;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') quoted = !quoted;
            else if (ch == delimiter && !quoted) n++;
        }
        return n;
    }

    /**
     * The 1-based character column where each field of {@code line} starts (the same fields as
     * {@link #split}), for messages that point at one cell.
     */
    public static int[] fieldColumns(String line, char delimiter) {
        int[] starts = new int[count(line, delimiter)];
        starts[0] = 1;
        int k = 1;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') quoted = !quoted;
            else if (ch == delimiter && !quoted) starts[k++] = i + 2;
        }
        return starts;
    }

    /** The 1-based character column of field {@code c}'s text in {@code line}, past leading blanks. */
    public static int cellColumn(String line, int c, char delimiter) {
        int[] starts = fieldColumns(line, delimiter);
        int at = c < starts.length ? starts[c] : 1;
        while (at - 1 < line.length() && line.charAt(at - 1) == ' ') at++;
        return at;
    }

    /** A missing cell (trimmed): empty, `?`, `NA`, `N/A` or `NaN` in any case. */
    public static boolean isMissing(String cell) {
        return cell.isEmpty() || cell.equals("?") || cell.equalsIgnoreCase("na") || cell.equalsIgnoreCase("n/a")
            || cell.equalsIgnoreCase("nan");
    }

    /** Why a numeric cell holds no usable value. */
    public enum Problem { EMPTY, NOT_A_NUMBER, NOT_FINITE }

    /** A numeric cell without a usable value; each reader words the error for its own file and line. */
    public static final class BadNumber extends Exception {
        private final Problem problem;

        BadNumber(Problem problem) {
            super(problem.name(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() { return problem; }
    }

    /** The value of a numeric feature cell (trimmed): a finite float32, else why not. */
    public static float number(String cell) throws BadNumber {
        if (cell.isEmpty()) throw new BadNumber(Problem.EMPTY);
        float v;
        try {
            v = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw new BadNumber(Problem.NOT_A_NUMBER);
        }
        if (!Float.isFinite(v)) throw new BadNumber(Problem.NOT_FINITE);
        return v;
    }

    /** Whether the (trimmed) cell reads as a number. */
    public static boolean isNumber(String s) {
        if (s.isEmpty()) return false;
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
