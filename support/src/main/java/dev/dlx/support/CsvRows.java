package dev.dlx.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The one reader of a prediction file's rows, for `dlxc predict` and a built model JAR alike: a
 * CSV/TSV file (gzip when the name ends in `.gz`), each line at most {@link Lines#MAX} characters
 * and {@link #MAX_FIELDS} fields; the first data line decides the layout ({@link FeatureRows}:
 * the training file's, or the feature columns alone) and may be a header; every line has as many
 * fields as the first; blank lines are skipped; each line's feature cells are encoded by a
 * {@link FeatureEncoding}. A problem is a {@link RowError} naming the file, the line and the cell.
 */
public final class CsvRows {
    /** Lines with more fields than this are refused (a row of a real data set has far fewer). */
    public static final int MAX_FIELDS = 1 << 16;

    private CsvRows() {}

    /** Every data line's encoded features, {@code width} values each, laid end to end. */
    public record Rows(float[] x, int count, int width) {
        /** Row {@code i}'s values. */
        public float[] row(int i) { return Arrays.copyOfRange(x, i * width, (i + 1) * width); }
    }

    /** The delimiter of a prediction file: a tab for a name ending in `.tsv` (or `.tsv.gz`), else the training file's. */
    public static char delimiter(Path file, char trained) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".tsv") || name.endsWith(".tsv.gz") ? '\t' : trained;
    }

    public static Rows read(Path file, char delimiter, FeatureEncoding encoding) throws RowError {
        return read(file, delimiter, encoding, List.of());
    }

    /**
     * As {@link #read(Path, char, FeatureEncoding)}, for a training file of named features
     * ({@code groups}, empty when it names none): a first line that fits neither layout is refused
     * naming the features it lacks.
     */
    public static Rows read(Path file, char delimiter, FeatureEncoding encoding, List<FeatureRows.Group> groups) throws RowError {
        List<Integer> trainFeatures = encoding.trainColumns();
        String shown = RowError.display(file);
        int d = encoding.width();
        float[] x = new float[Math.max(d, 1) * 256];
        int count = 0;
        List<Integer> features = null;
        int width = -1;
        try (BufferedReader r = open(file)) {
            String line;
            long lineNo = 0;
            while ((line = next(r, file, lineNo + 1)) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                int n = CsvFields.count(line, delimiter);
                if (n > MAX_FIELDS) {
                    throw new RowError(file, lineNo, 0, "line " + lineNo + " of `" + shown + "` has " + n + " fields, more than " + MAX_FIELDS,
                        "the model reads " + trainFeatures.size() + " feature columns; check that this is the file you meant");
                }
                List<String> fields = CsvFields.split(line, delimiter);
                if (width < 0) {
                    width = fields.size();
                    features = FeatureRows.layout(width, trainFeatures);
                    if (features == null && !groups.isEmpty()) throw FeatureRows.lacking(file, lineNo, width, groups, trainFeatures.size());
                    if (features == null) {
                        throw new RowError(file, lineNo, 0, "line " + lineNo + " of `" + shown + "` has " + width + " fields; the model reads "
                                + trainFeatures.size() + " feature columns",
                            "give either the " + trainFeatures.size() + " feature columns, or lines laid out as in the training file");
                    }
                    if (FeatureRows.isHeader(fields, features, trainFeatures, encoding.categorical())) continue;
                } else if (fields.size() != width) {
                    throw new RowError(file, lineNo, 0, "line " + lineNo + " of `" + shown + "` has " + fields.size()
                        + " fields, but the first line has " + width, "every line needs the same number of fields");
                }
                if ((long) (count + 1) * d > x.length) x = Arrays.copyOf(x, Math.toIntExact(Math.max((long) x.length * 2, (long) (count + 1) * d)));
                encoding.encode(fields, features, x, count * d, file, lineNo, line, delimiter);
                count++;
            }
        } catch (IOException e) {
            throw new RowError(file, 0, 0, "`" + shown + "` cannot be read: " + e.getMessage(),
                file.toString().endsWith(".gz") ? "a `.gz` file must be gzip-compressed" : null);
        }
        if (count == 0) throw new RowError(file, 0, 0, "`" + shown + "` has no data lines", null);
        return new Rows(Arrays.copyOf(x, count * d), count, d);
    }

    /** The next line, bounded in length (a compressed bomb ends here, not in running out of memory). */
    private static String next(BufferedReader r, Path file, long lineNo) throws IOException, RowError {
        try {
            return Lines.read(r);
        } catch (Lines.TooLong e) {
            throw new RowError(file, lineNo, 0, "line " + lineNo + " of `" + RowError.display(file) + "` is longer than " + Lines.MAX
                + " characters", "a data file has short lines; check that this is the file you meant");
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(DataStreams.open(file), StandardCharsets.UTF_8), 1 << 16);
    }
}
