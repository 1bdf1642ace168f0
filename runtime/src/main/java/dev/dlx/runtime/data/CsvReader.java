package dev.dlx.runtime.data;

import dev.dlx.compiler.data.CsvSource;
import dev.dlx.compiler.data.LabelSpec;
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
 * as many fields as the first, feature cells must be numbers (categorical columns hold words, mapped
 * to indices in sorted order), class labels must be class indices within the declared classes (or
 * class names, from `labels ... names` or a categorical label column). Problems name the file and
 * line.
 */
public final class CsvReader {
    private CsvReader() {}

    public static RawData read(CsvSource source, LabelSpec labels) throws DataException {
        return new Reading(source, labels, null).run();
    }

    /**
     * Reads feature rows for prediction: lines with the training file's layout (features and label
     * columns, the label ignored) or with the feature columns only. {@code categories} encode
     * categorical columns as in training; a header line is skipped when its cells are not numbers.
     */
    public static Samples readFeatures(Path file, CsvSource layout, List<Integer> featureColumns,
                                       Map<Integer, List<String>> categories) throws DataException {
        return new Reading(layout, null, file).readForPrediction(featureColumns, categories);
    }

    private static final class Reading {
        final CsvSource src;
        final LabelSpec labels;
        final Path file;
        final String shown;

        Reading(CsvSource src, LabelSpec labels, Path override) {
            this.src = src;
            this.labels = labels;
            this.file = override != null ? override : src.path();
            this.shown = DataException.display(file);
        }

        RawData run() throws DataException {
            List<Integer> labelCols = src.labelColumns();
            boolean classification = labels != null && labels.isClassification();
            boolean regression = labels != null && labels.isRegression();
            List<Integer> features = null;
            int width = -1;
            FloatList x = new FloatList(1 << 16);
            List<Integer> classList = new ArrayList<>();
            FloatList targets = new FloatList(1024);
            // categorical cells (features and a label column given by name), kept as words until the end
            Map<Integer, List<String>> words = new LinkedHashMap<>();
            Map<Integer, List<Long>> wordLines = new HashMap<>();
            List<String> labelWords = null;
            List<Long> labelLines = null;
            boolean labelsByName = false;
            int count = 0;
            try (BufferedReader r = open()) {
                String line;
                long lineNo = 0;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    if (lineNo <= src.skip() || line.isBlank()) continue;
                    List<String> fields = split(line, src.delimiter());
                    if (width < 0) {
                        width = fields.size();
                        features = featureColumns(width, lineNo);
                        for (int c : src.categorical()) if (features.contains(c)) {
                            words.put(c, new ArrayList<>());
                            wordLines.put(c, new ArrayList<>());
                        }
                        if (classification && !labelCols.isEmpty()) {
                            int lc = labelCols.get(0);
                            String first = fields.get(lc).trim();
                            labelsByName = src.categorical().contains(lc) || (!labels.names().isEmpty() && !isNumber(first));
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
                    for (int c : features) {
                        String cell = fields.get(c).trim();
                        List<String> w = words.get(c);
                        if (w != null) {
                            w.add(cell);
                            wordLines.get(c).add(lineNo);
                            x.add(0);
                        } else {
                            x.add(number(cell, c, lineNo, "feature"));
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
                            classList.add(classIndex(cell, lc, lineNo));
                        }
                    } else if (regression) {
                        for (int c : labelCols) targets.add(number(fields.get(c).trim(), c, lineNo, "target"));
                    }
                    count++;
                }
            } catch (IOException e) {
                throw DataException.in(file, null, "`" + shown + "` cannot be read: " + e.getMessage(),
                    file.toString().endsWith(".gz") ? "a `.gz` file must be gzip-compressed" : null);
            }
            if (count == 0) {
                throw DataException.in(file, null, "`" + shown + "` has no data lines" + (src.skip() > 0 ? " after skipping " + src.skip() : ""),
                    null);
            }
            float[] xs = x.toArray();
            Map<Integer, List<String>> categories = new LinkedHashMap<>();
            for (Map.Entry<Integer, List<String>> e : words.entrySet()) {
                List<String> vocab = new ArrayList<>(new TreeSet<>(e.getValue()));
                categories.put(e.getKey(), vocab);
                int pos = features.indexOf(e.getKey());
                Map<String, Integer> idx = indexOf(vocab);
                List<String> cells = e.getValue();
                for (int i = 0; i < cells.size(); i++) xs[i * features.size() + pos] = idx.get(cells.get(i));
            }
            int[] classes = null;
            List<String> classNames = null;
            if (classification && !labelCols.isEmpty()) {
                classes = classList.stream().mapToInt(Integer::intValue).toArray();
                if (labelsByName) {
                    classNames = labels.names().isEmpty() ? new ArrayList<>(new TreeSet<>(labelWords)) : labels.names();
                    if (labels.names().isEmpty() && classNames.size() > labels.classes()) {
                        String extra = classNames.get(labels.classes());
                        long at = labelLines.get(labelWords.indexOf(extra));
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
            Samples s = new Samples(xs, count, new int[] {features.size()}, classes, ts, regression ? labelCols.size() : 0);
            return new RawData(s, null, classNames, categories, features);
        }

        Samples readForPrediction(List<Integer> trainFeatures, Map<Integer, List<String>> categories) throws DataException {
            FloatList x = new FloatList(1 << 12);
            int count = 0;
            List<Integer> features = null;
            int width = -1;
            try (BufferedReader r = open()) {
                String line;
                long lineNo = 0;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    if (line.isBlank()) continue;
                    List<String> fields = split(line, src.delimiter());
                    if (width < 0) {
                        width = fields.size();
                        int maxCol = trainFeatures.stream().mapToInt(Integer::intValue).max().orElse(-1);
                        if (width == trainFeatures.size()) {
                            features = new ArrayList<>();
                            for (int c = 0; c < width; c++) features.add(c);
                        } else if (width > maxCol) {
                            features = trainFeatures;
                        } else {
                            throw DataException.at(file, lineNo, "line " + lineNo + " of `" + shown + "` has " + width + " fields; the model reads "
                                    + trainFeatures.size() + " features",
                                "give either the " + trainFeatures.size() + " feature columns, or lines laid out as in the training file");
                        }
                        if (isHeader(fields, features, trainFeatures, categories)) continue;
                    } else if (fields.size() != width) {
                        throw DataException.at(file, lineNo, "line " + lineNo + " of `" + shown + "` has " + fields.size()
                            + " fields, but the first line has " + width, "every line needs the same number of fields");
                    }
                    for (int i = 0; i < features.size(); i++) {
                        int trainCol = trainFeatures.get(i);
                        String cell = fields.get(features.get(i)).trim();
                        List<String> vocab = categories.get(trainCol);
                        if (vocab != null) {
                            int k = vocab.indexOf(cell);
                            if (k < 0) {
                                throw DataException.at(file, lineNo, "`" + cell + "` on line " + lineNo + " is not a category seen in training "
                                    + quoted(vocab), null);
                            }
                            x.add(k);
                        } else {
                            x.add(number(cell, features.get(i), lineNo, "feature"));
                        }
                    }
                    count++;
                }
            } catch (IOException e) {
                throw DataException.in(file, null, "`" + shown + "` cannot be read: " + e.getMessage(), null);
            }
            if (count == 0) throw DataException.in(file, null, "`" + shown + "` has no data lines", null);
            return new Samples(x.toArray(), count, new int[] {trainFeatures.size()}, null, null, 0);
        }

        private boolean isHeader(List<String> fields, List<Integer> features, List<Integer> trainFeatures,
                                 Map<Integer, List<String>> categories) {
            for (int i = 0; i < features.size(); i++) {
                int trainCol = trainFeatures.get(i);
                if (categories.containsKey(trainCol)) continue;
                if (!isNumber(fields.get(features.get(i)).trim())) return true;
            }
            return false;
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

        private float number(String cell, int column, long lineNo, String what) throws DataException {
            if (cell.isEmpty()) {
                throw DataException.at(file, lineNo, "column " + column + " on line " + lineNo + " of `" + shown + "` is empty",
                    "fill in the missing " + what + " value, or drop the line");
            }
            float v;
            try {
                v = Float.parseFloat(cell);
            } catch (NumberFormatException e) {
                throw DataException.at(file, lineNo, "column " + column + " on line " + lineNo + " of `" + shown + "` holds `" + cell
                        + "`, not a number",
                    lineNo == 1 && src.skip() == 0 ? "if the first line is a header, skip it with `skip 1`"
                        : "mark text columns with `categorical " + column + "` in the source");
            }
            if (!Float.isFinite(v)) {
                throw DataException.at(file, lineNo, "column " + column + " on line " + lineNo + " of `" + shown + "` holds `" + cell + "`",
                    "missing or infinite values cannot be trained on: fill them in or drop the line");
            }
            return v;
        }

        private int classIndex(String cell, int column, long lineNo) throws DataException {
            int classes = labels.classes();
            double v;
            try {
                v = Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw DataException.at(file, lineNo, "the label `" + cell + "` on line " + lineNo + " of `" + shown + "` is not a class index",
                    "class labels are 0.." + (classes - 1) + "; for class names, mark the column `categorical " + column
                        + "` or list them with `labels ... names`");
            }
            if (v != Math.rint(v) || v < 0 || v >= classes) {
                throw DataException.at(file, lineNo, "the label " + cell + " on line " + lineNo + " of `" + shown + "` is outside the "
                        + classes + " declared classes (0.." + (classes - 1) + ")",
                    v == Math.rint(v) && v >= classes ? "declare `classes " + ((long) v + 1) + "` if the data really has that many classes, "
                        + "or correct the line" : "class labels are whole numbers from 0 to " + (classes - 1));
            }
            return (int) v;
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

    static boolean isNumber(String s) {
        if (s.isEmpty()) return false;
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Fields of one line: the same rule the checker uses (double quotes protect delimiters). */
    static List<String> split(String line, char delimiter) {
        return CsvSource.split(line, delimiter);
    }
}
