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
