package dev.dlx.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prediction rows' reader and feature encoding against hand-written files and hand-computed values. */
class CsvRowsTest {
    @TempDir Path dir;

    /** temp (number), sky one-hot over (rain, sunny), humidity (number): 4 values a row. */
    private static FeatureEncoding weather(FeatureEncoding.Missing missing, float[] fill) {
        return FeatureEncoding.of(List.of(0, 1, 2), Map.of(1, List.of("rain", "sunny")), missing, fill);
    }

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void encodesNumbersAndCategoriesOneHotAndFillsMissingCellsByThePolicy() throws Exception {
        Path f = write("w.csv", "temp,sky,humidity,play\n21,sunny,0.5,yes\n\n,rain,0.8,no\n30,NA,?,yes\n");
        float[] fill = {20, 0.25f, 0.75f, 0.6f};
        CsvRows.Rows mean = CsvRows.read(f, ',', weather(FeatureEncoding.Missing.MEAN, fill));
        assertEquals(3, mean.count());
        assertEquals(4, mean.width());
        assertArrayEquals(new float[] {21, 0, 1, 0.5f, 20, 1, 0, 0.8f, 30, 0.25f, 0.75f, 0.6f}, mean.x());
        CsvRows.Rows zero = CsvRows.read(f, ',', weather(FeatureEncoding.Missing.ZERO, null));
        assertArrayEquals(new float[] {21, 0, 1, 0.5f, 0, 1, 0, 0.8f, 30, 0, 0, 0}, zero.x());
        // the feature columns alone, gzipped, tab-separated
        Path gz = dir.resolve("w.tsv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("21\tsunny\t0.5\n".getBytes(StandardCharsets.UTF_8));
        }
        assertArrayEquals(new float[] {21, 0, 1, 0.5f}, CsvRows.read(gz, '\t', weather(FeatureEncoding.Missing.ERROR, null)).x());
    }

    @Test
    void refusesBadRowsAtTheirLineAndCell() throws Exception {
        FeatureEncoding strict = weather(FeatureEncoding.Missing.ERROR, null);
        Path gap = write("gap.csv", "21,sunny,0.5\n22, NA,0.1\n");
        RowError e = assertThrows(RowError.class, () -> CsvRows.read(gap, ',', strict));
        assertEquals("feature column 1 on line 2 of `" + gap + "` holds `NA`, a missing value", e.getMessage());
        assertEquals(gap + ":2:5", e.location());
        assertEquals("fill in the value (the dataset declares no `missing` policy)", e.hint());
        assertEquals("lines are not dropped when predicting: each needs a prediction; fill in the value",
            assertThrows(RowError.class, () -> CsvRows.read(gap, ',', weather(FeatureEncoding.Missing.DROP, null))).hint());
        Path fog = write("fog.csv", "21,fog,0.5\n");
        e = assertThrows(RowError.class, () -> CsvRows.read(fog, ',', strict));
        assertEquals("error[DLX0506]: `fog` on line 1 is not a category seen in training (`rain`, `sunny`)\n  --> " + fog + ":1:4\n"
            + "  = help: the model knows only the categories of the training file\n", e.render());
        Path inf = write("inf.csv", "1e39,rain,0.5\n");
        assertEquals("feature column 0 on line 1 of `" + inf + "` holds `1e39`",
            assertThrows(RowError.class, () -> CsvRows.read(inf, ',', strict)).getMessage());
        Path ragged = write("ragged.csv", "21,rain,0.5\n21,rain\n");
        assertEquals(ragged + ":2", assertThrows(RowError.class, () -> CsvRows.read(ragged, ',', strict)).location());
        Path narrow = write("narrow.csv", "21,rain\n");
        assertEquals("line 1 of `" + narrow + "` has 2 fields; the model reads 3 feature columns",
            assertThrows(RowError.class, () -> CsvRows.read(narrow, ',', strict)).getMessage());
        Path wide = write("wide.csv", "1,".repeat(CsvRows.MAX_FIELDS) + "1\n");
        assertEquals("line 1 of `" + wide + "` has " + (CsvRows.MAX_FIELDS + 1) + " fields, more than " + CsvRows.MAX_FIELDS,
            assertThrows(RowError.class, () -> CsvRows.read(wide, ',', strict)).getMessage());
        Path longLine = write("long.csv", "21,rain,0.5\n" + "2".repeat(Lines.MAX + 1));
        e = assertThrows(RowError.class, () -> CsvRows.read(longLine, ',', strict));
        assertEquals("line 2 of `" + longLine + "` is longer than " + Lines.MAX + " characters", e.getMessage());
        assertEquals(longLine + ":2", e.location());
        Path empty = write("empty.csv", "temp,sky,humidity\n\n");
        assertEquals("`" + empty + "` has no data lines", assertThrows(RowError.class, () -> CsvRows.read(empty, ',', strict)).getMessage());
        assertEquals("`" + dir + "` cannot be read: it is a folder, not a file",
            assertThrows(RowError.class, () -> CsvRows.read(dir, ',', strict)).getMessage());
    }

    @Test
    void aFillMustCoverEveryEncodedValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> weather(FeatureEncoding.Missing.MEAN, new float[] {1, 2, 3}));
        assertEquals("the missing-value fill holds 3 values for 4 encoded feature values", e.getMessage());
    }
}
