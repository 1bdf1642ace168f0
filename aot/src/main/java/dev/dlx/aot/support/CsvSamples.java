package dev.dlx.aot.support;

import dev.dlx.support.CsvFields;
import dev.dlx.support.CsvRows;
import dev.dlx.support.FeatureEncoding;
import dev.dlx.support.FeatureRows;
import dev.dlx.support.RowError;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads samples from a CSV/TSV file (optionally gzipped) with the reader `dlxc predict` uses
 * ({@link CsvRows}): rows laid out like the training file (the feature columns are picked out) or
 * rows of only the feature columns; a header line is skipped; each feature cell is encoded as
 * model.json's {@link FeatureEncoding} says (numbers, category words one-hot, missing cells filled
 * by the training's `missing` policy). Its errors read as `dlxc predict`'s.
 */
public final class CsvSamples {
    private CsvSamples() {}

    /** The encoded features of every data line, row after row, {@code encoding.width()} values each. */
    public static float[][] read(Path file, char delimiter, FeatureEncoding encoding) throws InputException {
        return read(file, delimiter, encoding, List.of());
    }

    /** As {@link #read(Path, char, FeatureEncoding)}, for a training file of named features ({@code groups}). */
    public static float[][] read(Path file, char delimiter, FeatureEncoding encoding, List<FeatureRows.Group> groups) throws InputException {
        try {
            CsvRows.Rows rows = CsvRows.read(file, delimiter, encoding, groups);
            float[][] out = new float[rows.count()][];
            for (int i = 0; i < out.length; i++) out[i] = rows.row(i);
            return out;
        } catch (RowError e) {
            throw new InputException(e);
        }
    }

    /** Fields of one line; double quotes protect delimiters, `""` is a quote (the checker's rule). */
    public static List<String> split(String line, char delimiter) {
        return CsvFields.split(line, delimiter);
    }
}
