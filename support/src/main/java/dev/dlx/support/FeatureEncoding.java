package dev.dlx.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the feature cells of a prediction row become the model's input values, as training encoded
 * them: each training feature column is a number, or a category word one-hot over the column's
 * training categories (in their order); a missing cell is filled as the dataset's `missing` policy
 * says: `mean` gives the training split's mean of each encoded value (for a one-hot group, the
 * category frequencies), `zero` gives 0, `error` and `drop` refuse it (every line needs a
 * prediction). `dlxc predict` builds it from the run's data.json, a built model JAR from model.json.
 */
public final class FeatureEncoding {

    /** How one feature column is encoded: `number` (one value) or `onehot` (one value per category). */
    public enum Kind {
        NUMBER, ONEHOT;

        public String word() { return name().toLowerCase(Locale.ROOT); }

        /** The kind a word names, or null. */
        public static Kind of(String word) {
            for (Kind k : values()) if (k.word().equals(word)) return k;
            return null;
        }
    }

    /** The dataset's `missing` policy, as prediction applies it. */
    public enum Missing {
        ERROR, DROP, MEAN, ZERO;

        public String word() { return name().toLowerCase(Locale.ROOT); }

        /** The policy a word names, or null. */
        public static Missing of(String word) {
            for (Missing m : values()) if (m.word().equals(word)) return m;
            return null;
        }
    }

    /** One training feature column: its index in the training file, its encoding and (one-hot) its categories. */
    public record Column(int column, Kind kind, List<String> categories) {
        public Column {
            categories = List.copyOf(categories);
            if (kind == Kind.ONEHOT && categories.isEmpty()) throw new IllegalArgumentException("column " + column + ": one-hot without categories");
        }

        /** How many values it encodes to. */
        public int width() { return kind == Kind.ONEHOT ? categories.size() : 1; }
    }

    private final List<Column> columns;
    private final Missing missing;
    private final float[] fill;
    private final int width;
    private final List<Map<String, Integer>> index = new ArrayList<>();

    /**
     * @param fill with `mean`, the value of each encoded position (null: 0, as when training saw no value)
     */
    public FeatureEncoding(List<Column> columns, Missing missing, float[] fill) {
        this.columns = List.copyOf(columns);
        this.missing = missing;
        int w = 0;
        for (Column c : this.columns) {
            w += c.width();
            Map<String, Integer> idx = null;
            if (c.kind() == Kind.ONEHOT) {
                idx = new HashMap<>();
                for (int i = 0; i < c.categories().size(); i++) idx.put(c.categories().get(i), i);
            }
            index.add(idx);
        }
        this.width = w;
        if (fill != null && fill.length != w) {
            throw new IllegalArgumentException("the missing-value fill holds " + fill.length + " values for " + w + " encoded feature values");
        }
        this.fill = fill == null ? null : fill.clone();
    }

    /** Each of {@code columns} a number or, when {@code categories} lists its words, one-hot over them. */
    public static FeatureEncoding of(List<Integer> columns, Map<Integer, List<String>> categories, Missing missing, float[] fill) {
        List<Column> out = new ArrayList<>();
        for (int c : columns) {
            List<String> words = categories.get(c);
            out.add(words == null ? new Column(c, Kind.NUMBER, List.of()) : new Column(c, Kind.ONEHOT, words));
        }
        return new FeatureEncoding(out, missing, fill);
    }

    public List<Column> columns() { return columns; }
    public Missing missing() { return missing; }
    /** The `mean` fill per encoded position, or null. */
    public float[] fill() { return fill == null ? null : fill.clone(); }
    /** The encoded values of one row. */
    public int width() { return width; }

    /** The training columns, in training order. */
    public List<Integer> trainColumns() {
        List<Integer> out = new ArrayList<>();
        for (Column c : columns) out.add(c.column());
        return Collections.unmodifiableList(out);
    }

    /** The training columns that hold categories. */
    public Set<Integer> categorical() {
        Set<Integer> out = new LinkedHashSet<>();
        for (Column c : columns) if (c.kind() != Kind.NUMBER) out.add(c.column());
        return out;
    }

    /**
     * Encodes one line's feature cells ({@code fields} at {@code inFile}, one per training column)
     * into {@code out} from {@code at}; a cell that cannot be encoded is an error at its line and column.
     */
    public void encode(List<String> fields, List<Integer> inFile, float[] out, int at, Path file, long lineNo, String line,
                       char delimiter) throws RowError {
        int pos = 0;
        for (int i = 0; i < columns.size(); i++) {
            Column col = columns.get(i);
            int c = inFile.get(i);
            String cell = fields.get(c).trim();
            int w = col.width();
            if (CsvFields.isMissing(cell)) {
                if (missing == Missing.ERROR || missing == Missing.DROP) {
                    throw new RowError(file, lineNo, CsvFields.cellColumn(line, c, delimiter), "feature column " + c + " on line " + lineNo
                            + " of `" + RowError.display(file) + "` " + (cell.isEmpty() ? "is empty" : "holds `" + cell + "`, a missing value"),
                        missing == Missing.DROP ? "lines are not dropped when predicting: each needs a prediction; fill in the value"
                            : "fill in the value (the dataset declares no `missing` policy)");
                }
                for (int j = 0; j < w; j++) out[at + pos + j] = missing == Missing.MEAN && fill != null ? fill[pos + j] : 0f;
            } else if (col.kind() == Kind.ONEHOT) {
                Integer k = index.get(i).get(cell);
                if (k == null) {
                    throw new RowError(file, lineNo, CsvFields.cellColumn(line, c, delimiter), "`" + cell + "` on line " + lineNo
                            + " is not a category seen in training " + quoted(col.categories()),
                        "the model knows only the categories of the training file");
                }
                for (int j = 0; j < w; j++) out[at + pos + j] = j == k ? 1f : 0f;
            } else {
                out[at + pos] = number(cell, c, file, lineNo, line, delimiter);
            }
            pos += w;
        }
    }

    private static float number(String cell, int c, Path file, long lineNo, String line, char delimiter) throws RowError {
        try {
            return CsvFields.number(cell);
        } catch (CsvFields.BadNumber e) {
            String where = "feature column " + c + " on line " + lineNo + " of `" + RowError.display(file) + "`";
            int at = CsvFields.cellColumn(line, c, delimiter);
            throw switch (e.problem()) {
                case EMPTY -> new RowError(file, lineNo, at, where + " is empty", "fill in the value");
                case NOT_A_NUMBER -> new RowError(file, lineNo, at, where + " holds `" + cell + "`, not a number",
                    "the model was trained on numbers in this column");
                case NOT_FINITE -> new RowError(file, lineNo, at, where + " holds `" + cell + "`", "features must be finite numbers");
            };
        }
    }

    /** (`a`, `b`, ...): at most eight of {@code values}. */
    static String quoted(List<String> values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(8, values.size()); i++) s.append(i == 0 ? "" : ", ").append('`').append(values.get(i)).append('`');
        if (values.size() > 8) s.append(", ...");
        return "(" + s + ")";
    }
}
