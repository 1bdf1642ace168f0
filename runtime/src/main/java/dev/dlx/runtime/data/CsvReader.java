package dev.dlx.runtime.data;

import dev.dlx.compiler.data.CsvSource;
import dev.dlx.compiler.data.LabelCell;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.support.CsvFields;
import dev.dlx.support.CsvRows;
import dev.dlx.support.FeatureEncoding;
import dev.dlx.support.Lines;
import dev.dlx.support.RowError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads a whole `source csv|tsv` file (gzip when the name ends in `.gz`): every data line must have
 * as many fields as the first, feature cells must be numbers (categorical feature columns hold
 * words, each encoded one-hot over the column's sorted category list), class labels must be class
 * indices within the declared classes (or class names, from `labels ... names` or a categorical
 * label column). Missing cells follow the source's `missing` policy; with `mean` they are left NaN
 * here and filled with training-split means by {@link LoadedData}. Problems name the file, the line
 * and, for one cell, its character column.
 */
public final class CsvReader {
    private CsvReader() {}

    public static RawData read(CsvSource source, LabelSpec labels) throws DataException {
        return new Reading(source, labels, null, source.labelColumns()).run();
    }

    /**
     * Reads every feature column with the label in {@code labelColumns} (one named label of the
     * source, encoded as {@code labels} says). Lines with a missing cell in any label column are
     * treated alike for every label read, so reads of several labels keep the same lines.
     */
    public static RawData read(CsvSource source, LabelSpec labels, List<Integer> labelColumns) throws DataException {
        return new Reading(source, labels, null, labelColumns).run();
    }

    /**
     * Reads feature rows for prediction: lines with the training file's layout (features and label
     * columns, the label ignored) or with the feature columns only. {@code categories} encode
     * categorical columns one-hot as in training; a header line is skipped when its cells are not
     * numbers. A missing cell is filled as {@code missing} says ({@code fill} holds the training
     * means per encoded position, for `mean`); lines are never dropped here: each needs a prediction.
     */
    public static Samples readFeatures(Path file, CsvSource layout, List<Integer> featureColumns,
                                       Map<Integer, List<String>> categories, CsvSource.Missing missing, float[] fill)
            throws DataException {
        return readFeatures(file, layout.delimiter(), FeatureEncoding.of(featureColumns, categories, encoding(missing), fill));
    }

    /** Reads feature rows for prediction as {@code encoding} says, with the support module's row reader (shared with a built model JAR). */
    public static Samples readFeatures(Path file, char delimiter, FeatureEncoding encoding) throws DataException {
        return readFeatures(file, delimiter, encoding, List.of());
    }

    /** As {@link #readFeatures(Path, char, FeatureEncoding)}, for a training file of named features ({@code groups}). */
    public static Samples readFeatures(Path file, char delimiter, FeatureEncoding encoding, List<dev.dlx.support.FeatureRows.Group> groups)
            throws DataException {
        try {
            CsvRows.Rows rows = CsvRows.read(file, delimiter, encoding, groups);
            return new Samples(rows.x(), rows.count(), new int[] {rows.width()}, null, null, 0);
        } catch (RowError e) {
            throw DataException.of(e);
        }
    }

    /** The support module's word for a source's `missing` policy. */
    public static FeatureEncoding.Missing encoding(CsvSource.Missing missing) {
        return FeatureEncoding.Missing.valueOf(missing.name());
    }

    /** Reads feature rows for prediction; missing cells are errors. */
    public static Samples readFeatures(Path file, CsvSource layout, List<Integer> featureColumns,
                                       Map<Integer, List<String>> categories) throws DataException {
        return readFeatures(file, layout, featureColumns, categories, CsvSource.Missing.ERROR, null);
    }

    private static final class Reading {
        final CsvSource src;
        final LabelSpec labels;
        final Path file;
        final String shown;
        /** The columns of the label read. */
        final List<Integer> labelCols;

        Reading(CsvSource src, LabelSpec labels, Path override, List<Integer> labelCols) {
            this.src = src;
            this.labelCols = List.copyOf(labelCols);
            this.labels = labels;
            this.file = override != null ? override : src.path();
            this.shown = DataException.display(file);
        }

        RawData run() throws DataException {
            boolean classification = labels != null && labels.isClassification();
            boolean regression = labels != null && labels.isRegression();
            CsvSource.Missing policy = src.missing();
            List<Integer> features = null;
            int width = -1;
            FloatList x = new FloatList(1 << 16);
            List<Integer> classList = new ArrayList<>();
            FloatList targets = new FloatList(1024);
            // categorical feature cells, kept as words (null when missing) until the category lists are known
            Map<Integer, List<String>> words = new LinkedHashMap<>();
            Map<Integer, List<long[]>> wordPlaces = new HashMap<>();
            List<String> labelWords = null;
            List<Long> labelLines = null;
            boolean labelsByName = false;
            TreeSet<String> allLabelWords = new TreeSet<>();
            boolean headerPending = src.header();
            int count = 0;
            try (BufferedReader r = open()) {
                String line;
                long lineNo = 0;
                while ((line = next(r, lineNo + 1)) != null) {
                    lineNo++;
                    if (lineNo <= src.skip() || line.isBlank()) continue;
                    if (headerPending) {
                        headerPending = false;
                        continue;
                    }
                    List<String> fields = split(line, src.delimiter());
                    if (width < 0) {
                        width = fields.size();
                        features = featureColumns(width, lineNo);
                        for (int c : features) {
                            if (src.categorical().contains(c)) { // one slot per line until the category lists are known
                                words.put(c, new ArrayList<>());
                                wordPlaces.put(c, new ArrayList<>());
                            }
                        }
                        if (classification && !labelCols.isEmpty()) {
                            int lc = labelCols.get(0);
                            // a categorical label column without `names`: its sorted words are the classes, known at the end
                            labelsByName = src.categorical().contains(lc) && labels.names().isEmpty();
                            if (labelsByName) {
                                labelWords = new ArrayList<>();
                                labelLines = new ArrayList<>();
                            }
                        }
                        x.ensure(features.size() * 1024);
                    } else if (fields.size() != width) {
                        throw DataException.at(file, lineNo, "line " + lineNo + " of `" + shown + "` has " + fields.size()
                                + " field" + (fields.size() == 1 ? "" : "s") + ", but the first data line has " + width,
                            "every line needs the same number of fields (a missing or extra `"
                                + (src.delimiter() == '\t' ? "\\t" : String.valueOf(src.delimiter())) + "`?)");
                    }
                    if (labelsByName) { // class names come from every line, dropped or not
                        String cell = fields.get(labelCols.get(0)).trim();
                        if (!CsvSource.isMissing(cell)) allLabelWords.add(cell);
                    }
                    if (missingCell(line, fields, features, lineNo, policy)) continue; // dropped
                    for (int c : features) {
                        String cell = fields.get(c).trim();
                        List<String> w = words.get(c);
                        boolean missing = CsvSource.isMissing(cell);
                        if (w != null) {
                            w.add(missing ? null : cell);
                            wordPlaces.get(c).add(new long[] {lineNo, cellColumn(line, c)});
                            x.add(0);
                        } else if (missing) {
                            x.add(policy == CsvSource.Missing.MEAN ? Float.NaN : 0f);
                        } else {
                            x.add(number(cell, c, lineNo, line, "feature"));
                        }
                    }
                    if (classification && !labelCols.isEmpty()) {
                        int lc = labelCols.get(0);
                        String cell = fields.get(lc).trim();
                        if (labelsByName) {
                            labelWords.add(cell);
                            labelLines.add(lineNo);
                            classList.add(-1);
                        } else {
                            classList.add(((LabelCell.ClassIndex) label(cell, lc, lineNo, line)).index());
                        }
                    } else if (regression) {
                        for (int c : labelCols) targets.add(((LabelCell.Target) label(fields.get(c).trim(), c, lineNo, line)).value());
                    }
                    count++;
                }
            } catch (IOException e) {
                throw DataException.in(file, null, "`" + shown + "` cannot be read: " + e.getMessage(),
                    file.toString().endsWith(".gz") ? "a `.gz` file must be gzip-compressed" : null);
            }
            if (count == 0) {
                throw DataException.in(file, null, "`" + shown + "` has no data lines" + (src.skip() > 0 ? " after skipping " + src.skip() : "")
                        + (src.header() ? " after the header" : "") + (policy == CsvSource.Missing.DROP ? " with every used cell filled in" : ""),
                    policy == CsvSource.Missing.DROP ? "`missing drop` left every line out: try `missing mean` or `missing zero`" : null);
            }
            float[] xs = x.toArray();
            Map<Integer, List<String>> categories = new LinkedHashMap<>();
            if (!words.isEmpty()) xs = oneHot(xs, count, features, words, wordPlaces, categories, policy);
            int[] classes = null;
            List<String> classNames = null;
            if (classification && !labelCols.isEmpty()) {
                classes = classList.stream().mapToInt(Integer::intValue).toArray();
                if (labelsByName) {
                    classNames = labels.names().isEmpty() ? new ArrayList<>(allLabelWords) : labels.names();
                    if (labels.names().isEmpty() && classNames.size() > labels.classes()) {
                        String extra = classNames.get(labels.classes());
                        int first = labelWords.indexOf(extra);
                        long at = first >= 0 ? labelLines.get(first) : 0;
                        throw DataException.at(file, at, "the label column holds " + classNames.size() + " different names, but `labels` declares "
                                + labels.classes() + " classes (first extra: `" + extra + "` on line " + at + ")",
                            "declare `classes " + classNames.size() + "`, or list the class names with `names` in class order");
                    }
                    Map<String, Integer> idx = indexOf(classNames);
                    for (int i = 0; i < classes.length; i++) {
                        Integer k = idx.get(labelWords.get(i));
                        if (k == null) {
                            throw DataException.at(file, labelLines.get(i), "label `" + labelWords.get(i) + "` on line " + labelLines.get(i)
                                    + " is not one of the declared class names " + quoted(classNames),
                                "add it to `names`, or correct the line");
                        }
                        classes[i] = k;
                    }
                } else if (!labels.names().isEmpty()) {
                    classNames = labels.names();
                }
            }
            float[] ts = regression ? targets.toArray() : null;
            Samples s = new Samples(xs, count, new int[] {xs.length / count}, classes, ts, regression ? labelCols.size() : 0);
            return new RawData(s, null, classNames, categories, features);
        }

        /**
         * Widens the one slot of each categorical column to its one-hot group. The category lists
         * are the checker's (scanned from the same file); a value outside them means the file
         * changed since checking. Without a list (the file was not there when checking) the
         * column's sorted distinct values are used.
         */
        private float[] oneHot(float[] xs, int count, List<Integer> features, Map<Integer, List<String>> words,
                               Map<Integer, List<long[]>> places, Map<Integer, List<String>> categories, CsvSource.Missing policy)
                throws DataException {
            int[] width = new int[features.size()];
            List<Map<String, Integer>> index = new ArrayList<>();
            int total = 0;
            for (int i = 0; i < features.size(); i++) {
                int c = features.get(i);
                List<String> cells = words.get(c);
                if (cells == null) {
                    width[i] = 1;
                    index.add(null);
                } else {
                    List<String> vocab = src.categories().get(c);
                    if (vocab == null || vocab.isEmpty()) {
                        TreeSet<String> seen = new TreeSet<>();
                        for (String w : cells) if (w != null) seen.add(w);
                        vocab = new ArrayList<>(seen);
                    }
                    categories.put(c, vocab);
                    width[i] = vocab.size();
                    index.add(indexOf(vocab));
                }
                total += width[i];
            }
            int n = features.size();
            float[] out = new float[Math.multiplyExact(count, total)];
            for (int s = 0; s < count; s++) {
                int at = s * total;
                for (int i = 0; i < n; i++) {
                    Map<String, Integer> idx = index.get(i);
                    if (idx == null) {
                        out[at] = xs[s * n + i];
                    } else {
                        int c = features.get(i);
                        String w = words.get(c).get(s);
                        if (w == null) {
                            if (policy == CsvSource.Missing.MEAN) java.util.Arrays.fill(out, at, at + width[i], Float.NaN);
                        } else {
                            Integer k = idx.get(w);
                            if (k == null) {
                                long[] place = places.get(c).get(s);
                                throw DataException.at(file, place[0], (int) place[1], "`" + w + "` in " + src.columnName(c) + " on line " + place[0]
                                        + " is not among the categories found when checking " + quoted(categories.get(c)),
                                    "the file changed after checking: run again");
                            }
                            out[at + k] = 1f;
                        }
                    }
                    at += width[i];
                }
            }
            return out;
        }

        /**
         * Whether the line is dropped for a missing cell among the features and labels it uses;
         * throws when the policy is `error`, or for a missing label (labels are never filled in).
         */
        private boolean missingCell(String line, List<String> fields, List<Integer> features, long lineNo, CsvSource.Missing policy)
                throws DataException {
            boolean unlabelled = labels == null;
            for (int pass = 0; pass < 2; pass++) {
                List<Integer> cols = pass == 0 ? features : unlabelled ? List.of() : src.labelColumns();
                for (int c : cols) {
                    String cell = fields.get(c).trim();
                    if (!CsvSource.isMissing(cell)) continue;
                    if (policy == CsvSource.Missing.DROP) return true;
                    boolean label = pass == 1;
                    if (policy == CsvSource.Missing.ERROR || label) {
                        String what = cell.isEmpty() ? "is empty" : "holds `" + cell + "`, a missing value";
                        throw DataException.at(file, lineNo, cellColumn(line, c), (label ? "the label " : "") + src.columnName(c) + " on line "
                                + lineNo + " of `" + shown + "` " + what,
                            label ? "a missing label cannot be filled in: fill it, drop the line, or declare `missing drop` in the source"
                                : "fill in the value, or declare what missing cells mean: `missing drop`, `missing mean` or `missing zero` in the source");
                    }
                }
            }
            return false;
        }

        private int cellColumn(String line, int c) {
            return CsvSource.cellColumn(line, c, src.delimiter());
        }

        /** The next line, bounded in length as the checker bounds it (a compressed bomb ends here, not in running out of memory). */
        private String next(BufferedReader r, long lineNo) throws IOException, DataException {
            try {
                return Lines.read(r);
            } catch (Lines.TooLong e) {
                throw DataException.in(file, "line " + lineNo, "line " + lineNo + " of `" + DataException.display(file) + "` is longer than "
                    + Lines.MAX + " characters", "a data file has short lines; check that this is the file you meant");
            }
        }

        private BufferedReader open() throws IOException {
            return new BufferedReader(new InputStreamReader(DataFiles.open(file), StandardCharsets.UTF_8), 1 << 16);
        }

        /** The columns holding features: as written, or every column but the labels. */
        private List<Integer> featureColumns(int width, long lineNo) throws DataException {
            List<Integer> cols = src.featureColumns();
            if (cols.isEmpty()) {
                cols = new ArrayList<>();
                for (int c = 0; c < width; c++) if (!src.labelColumns().contains(c)) cols.add(c);
            }
            List<Integer> all = new ArrayList<>(cols);
            all.addAll(src.labelColumns());
            for (int c : all) {
                if (c >= width) {
                    throw DataException.at(file, lineNo, "column " + c + " does not exist: line " + lineNo + " of `" + shown + "` has "
                        + width + " columns (0.." + (width - 1) + ")", "columns are numbered from 0");
                }
            }
            return cols;
        }

        private float number(String cell, int column, long lineNo, String line, String what) throws DataException {
            try {
                return CsvFields.number(cell);
            } catch (CsvFields.BadNumber e) {
                String where = src.columnName(column) + " on line " + lineNo + " of `" + shown + "`";
                throw switch (e.problem()) {
                    case EMPTY -> DataException.at(file, lineNo, cellColumn(line, column), where + " is empty",
                        "fill in the missing " + what + " value, or declare `missing drop` in the source");
                    case NOT_A_NUMBER -> DataException.at(file, lineNo, cellColumn(line, column), where + " holds `" + cell + "`, not a number",
                        lineNo == 1 && src.skip() == 0 && !src.header() ? "if the first line is a header, say `header` in the source"
                            : "mark text columns with `categorical " + column + "` in the source");
                    case NOT_FINITE -> DataException.at(file, lineNo, cellColumn(line, column), where + " holds `" + cell + "`",
                        "infinite values cannot be trained on: fill them in or drop the line");
                };
            }
        }

        /** The label cell as {@link LabelSpec#parseCell} reads it (the checker's rule); a bad cell is an error at its line and column. */
        private LabelCell label(String cell, int column, long lineNo, String line) throws DataException {
            LabelCell parsed = labels.parseCell(cell);
            if (parsed instanceof LabelCell.Bad bad) {
                throw DataException.at(file, lineNo, cellColumn(line, column), bad.message("on line " + lineNo + " of `" + shown + "`"), bad.help());
            }
            return parsed;
        }
    }

    static Map<String, Integer> indexOf(List<String> values) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < values.size(); i++) out.put(values.get(i), i);
        return out;
    }

    static String quoted(List<String> values) {
        List<String> shown = values.size() > 8 ? new ArrayList<>(values.subList(0, 8)) : new ArrayList<>(values);
        StringBuilder s = new StringBuilder();
        for (String v : shown) s.append(s.length() == 0 ? "" : ", ").append('`').append(v).append('`');
        if (values.size() > 8) s.append(", ...");
        return "(" + s + ")";
    }

    /** Fields of one line: the same rule the checker uses (double quotes protect delimiters). */
    static List<String> split(String line, char delimiter) {
        return CsvSource.split(line, delimiter);
    }
}
