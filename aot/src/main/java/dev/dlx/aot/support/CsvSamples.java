package dev.dlx.aot.support;

import dev.dlx.support.FeatureRows;
import dev.dlx.support.CsvFields;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads samples from a CSV/TSV file (optionally gzipped) as `dlxc predict` does: either rows laid out
 * like the training file (the feature columns are picked out) or rows of only the feature columns; a
 * header line is skipped; category words become their index in the training vocabulary. Fields
 * split by the checker's rule (double quotes protect delimiters, `""` is a quote); the layout and
 * header rules are {@link FeatureRows}', shared with `dlxc predict`.
 */
public final class CsvSamples {
    private CsvSamples() {}

    /** The features of every data line, row after row, {@code trainFeatures.size()} values each. */
    public static float[][] read(Path file, char delimiter, List<Integer> trainFeatures, Map<Integer, List<String>> categories)
            throws InputException {
        List<float[]> rows = new ArrayList<>();
        List<Integer> features = null;
        int width = -1;
        try (BufferedReader r = open(file)) {
            String line;
            long lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                List<String> fields = split(line, delimiter);
                if (width < 0) {
                    width = fields.size();
                    features = FeatureRows.layout(width, trainFeatures);
                    if (features == null) {
                        throw new InputException(file + ":" + lineNo + ": line " + lineNo + " has " + width + " fields; the model reads "
                            + trainFeatures.size() + " features",
                            "give either the " + trainFeatures.size() + " feature columns, or lines laid out as in the training file");
                    }
                    if (FeatureRows.isHeader(fields, features, trainFeatures, categories.keySet())) continue;
                } else if (fields.size() != width) {
                    throw new InputException(file + ":" + lineNo + ": line " + lineNo + " has " + fields.size() + " fields, but the first line has "
                        + width, "every line needs the same number of fields");
                }
                float[] x = new float[features.size()];
                for (int i = 0; i < x.length; i++) {
                    String cell = fields.get(features.get(i)).trim();
                    List<String> vocab = categories.get(trainFeatures.get(i));
                    if (vocab != null) {
                        int k = vocab.indexOf(cell);
                        if (k < 0) {
                            throw new InputException(file + ":" + lineNo + ": `" + cell + "` is not a category seen in training "
                                + vocab, null);
                        }
                        x[i] = k;
                    } else {
                        x[i] = number(file, lineNo, features.get(i), cell);
                    }
                }
                rows.add(x);
            }
        } catch (IOException e) {
            throw new InputException(file + ": cannot be read: " + e.getMessage(), null);
        }
        if (rows.isEmpty()) throw new InputException(file + ": has no data lines", null);
        return rows.toArray(new float[0][]);
    }

    private static float number(Path file, long lineNo, int column, String cell) throws InputException {
        String where = file + ":" + lineNo + ": column " + column + " on line " + lineNo;
        try {
            return CsvFields.number(cell);
        } catch (CsvFields.BadNumber e) {
            throw switch (e.problem()) {
                case EMPTY -> new InputException(where + " is empty", "fill in the missing feature value, or drop the line");
                case NOT_A_NUMBER -> new InputException(where + " holds `" + cell + "`, not a number", null);
                case NOT_FINITE -> new InputException(where + " holds `" + cell + "`", "features must be finite numbers");
            };
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Fields of one line; double quotes protect delimiters, `""` is a quote (the checker's rule). */
    public static List<String> split(String line, char delimiter) {
        return CsvFields.split(line, delimiter);
    }
}
