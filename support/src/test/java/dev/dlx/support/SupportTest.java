package dev.dlx.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shared inference code against hand-computed values. */
class SupportTest {

    @Test
    void splitsQuotedFieldsAndKnowsMissingCells() {
        assertEquals(List.of("a", "b,c", "say \"hi\"", ""), CsvFields.split("a,\"b,c\",\"say \"\"hi\"\"\",", ','));
        assertEquals(List.of("1", "2"), CsvFields.split("1\t2", '\t'));
        for (String m : List.of("", "?", "NA", "n/a", "NaN")) assertTrue(CsvFields.isMissing(m), m);
        assertFalse(CsvFields.isMissing("0"));
        assertTrue(CsvFields.isNumber("-3e2"));
        assertFalse(CsvFields.isNumber("x"));
    }

    @Test
    void numericCellsAreFiniteFloats() throws Exception {
        assertEquals(-300f, CsvFields.number("-3e2"), 0f);
        assertEquals(0.1f, CsvFields.number("0.1"), 0f);
        assertEquals(CsvFields.Problem.EMPTY, assertThrows(CsvFields.BadNumber.class, () -> CsvFields.number("")).problem());
        assertEquals(CsvFields.Problem.NOT_A_NUMBER, assertThrows(CsvFields.BadNumber.class, () -> CsvFields.number("1,5")).problem());
        assertEquals(CsvFields.Problem.NOT_FINITE, assertThrows(CsvFields.BadNumber.class, () -> CsvFields.number("1e39")).problem());
        assertEquals(CsvFields.Problem.NOT_FINITE, assertThrows(CsvFields.BadNumber.class, () -> CsvFields.number("NaN")).problem());
    }

    @Test
    void rowsLaidOutAsTrainingOrFeatureColumnsOnly() {
        List<Integer> train = List.of(1, 3);
        assertEquals(List.of(0, 1), FeatureRows.layout(2, train));
        assertEquals(train, FeatureRows.layout(4, train));
        assertNull(FeatureRows.layout(3, train));
        assertTrue(FeatureRows.isHeader(List.of("id", "w", "x", "h"), train, train, Set.of()));
        assertFalse(FeatureRows.isHeader(List.of("id", "1", "x", "NA"), train, train, Set.of()));
        assertFalse(FeatureRows.isHeader(List.of("id", "red", "x", "2"), train, train, Set.of(1)));
    }

    @Test
    void resizeScaleReshapeAndLuma() {
        // 2 x 2 one channel -> 1 x 1 samples the middle (the mean); -> 4 x 4 keeps the corners' quarter-pixel blend
        float[] img = {0, 2, 4, 6};
        float[] one = new float[1];
        Images.resize(img, 0, 2, 2, 1, one, 0, 1, 1);
        assertEquals(3f, one[0], 0f);
        float[] up = new float[16];
        Images.resize(img, 0, 2, 2, 1, up, 0, 4, 4);
        // row 0, column 1: x = 1.5 * 0.5 - 0.5 = 0.25 -> 0 + 0.25 * 2
        assertEquals(0.5f, up[1], 1e-6f);
        assertEquals(6f, up[15], 0f);
        assertArrayEquals(new float[] {0.2989f + 0.5870f * 2 + 0.1140f * 3}, Images.grayscale(new float[] {1, 2, 3}, 1), 1e-6f);
        float[] x = {1, 2};
        FeatureMath.scale(x, 0.5f, 1f);
        assertArrayEquals(new float[] {1.5f, 2f}, x);
        assertArrayEquals(new int[] {2, 3, 2}, FeatureMath.reshape(new int[] {2, -1, 2}, 12));
        assertNull(FeatureMath.reshape(new int[] {5, -1}, 12));
        assertNull(FeatureMath.reshape(new int[] {2, 2}, 12));
    }

    @Test
    void predictionColumns() {
        StringBuilder s = new StringBuilder();
        PredictionColumns.header(s, "class", "", PredictionColumns.Task.BINARY, List.of("no", "yes"), 1);
        s.append('|');
        PredictionColumns.row(s, new float[] {0f}, 1, PredictionColumns.Task.BINARY, List.of("no", "yes"), true);
        assertEquals("class,p_yes|yes,0.500000", s.toString());
        s.setLength(0);
        PredictionColumns.row(s, new float[] {0.2f, 0.7f, 0.1f}, 3, PredictionColumns.Task.MULTICLASS, null, false);
        assertEquals("1,0.200000,0.700000,0.100000", s.toString());
        assertEquals("\"a,b\"", PredictionColumns.csv("a,b"));
    }
}
