package dev.dlx.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.data.CsvSource;
import dev.dlx.runtime.train.Fixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV sources with header names, one-hot categorical columns and missing values, read from the
 * small files under {@code src/test/resources/csv/}. weather.csv:
 * <pre>
 * temp,sky,humidity,play
 * 21,sunny,0.5,yes
 * ,rain,0.8,no
 * 30,,0.7,yes
 * 10,rain,NA,no
 * </pre>
 * `sky` is one-hot over (rain, sunny), so a sample is [temp, rain, sunny, humidity].
 */
class CsvMissingAndCategoriesTest {
    @TempDir Path dir;

    private static String resource(String name) throws IOException {
        try (InputStream in = CsvMissingAndCategoriesTest.class.getResourceAsStream("/csv/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Compilation compile(String sourceTail, String extra) throws IOException {
        String program = "dataset d {\n    source csv \"weather.csv\" { header, features \"temp\"..\"humidity\", label \"play\", "
            + "categorical \"sky\" \"play\"" + sourceTail + " }\n    labels classes 2 sparse\n" + extra + "}\n"
            + "model M(x [4]) -> [2] {\n    dense 2 -> softmax\n}\n"
            + "train M on d {\n    loss sparse_categorical_crossentropy\n    optimizer sgd\n}\n";
        Compilation c = Fixtures.compile(dir, program, Map.of("weather.csv", resource("weather.csv")));
        assertTrue(c.datasets().get("d").valid(), c.diagnostics().toString());
        return c;
    }

    private LoadedData load(String sourceTail, String extra) throws Exception {
        return LoadedData.load(compile(sourceTail, extra).datasets().get("d"), 1L);
    }

    private static void assertRows(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-5, "value " + i);
    }

    @Test
    void headerNamesAndOneHotGiveTheCheckersWidth() throws Exception {
        Compilation c = compile(", missing zero", "");
        CsvSource src = (CsvSource) c.datasets().get("d").source();
        assertEquals(List.of(0, 1, 2), src.featureColumns());
        assertEquals(List.of(3), src.labelColumns());
        assertEquals(Map.of(1, List.of("rain", "sunny")), src.categories());
        assertEquals("[4]", src.sampleShape().toString());
    }

    @Test
    void missingZeroFillsZerosAndAMissingCategoryIsAllZeros() throws Exception {
        LoadedData d = load(", missing zero", "");
        assertArrayEquals(new int[] {4}, d.sampleShape());
        assertRows(new float[] {21, 0, 1, 0.5f, 0, 1, 0, 0.8f, 30, 0, 0, 0.7f, 10, 1, 0, 0}, d.samples().x());
        assertArrayEquals(new int[] {1, 0, 1, 0}, d.samples().classes());
        assertEquals(List.of("no", "yes"), d.classNames());
        assertEquals(Map.of(1, List.of("rain", "sunny")), d.categories());
        assertNull(d.missingFill());
    }

    @Test
    void missingMeanUsesEveryLineWithoutASplit() throws Exception {
        LoadedData d = load(", missing mean", "");
        // temp (21 + 30 + 10) / 3, sky frequencies over the 3 lines that have one (rain 2, sunny 1), humidity (0.5 + 0.8 + 0.7) / 3
        float t = 61f / 3, rain = 2f / 3, sunny = 1f / 3, h = 2f / 3;
        assertRows(new float[] {21, 0, 1, 0.5f, t, 1, 0, 0.8f, 30, rain, sunny, 0.7f, 10, 1, 0, h}, d.samples().x());
        assertRows(new float[] {t, rain, sunny, h}, d.missingFill());
    }

    @Test
    void missingMeanTakesItsStatisticsFromTheTrainingSplitOnly() throws Exception {
        // no shuffling: train is lines 1-2 (21 / sunny / 0.5 and empty / rain / 0.8), test lines 3-4
        LoadedData d = load(", missing mean", "    split train 50%, test 50% shuffle false\n");
        assertRows(new float[] {21, 0, 1, 0.5f, 21, 1, 0, 0.8f, 30, 0.5f, 0.5f, 0.7f, 10, 1, 0, 0.65f}, d.samples().x());
        assertRows(new float[] {21, 0.5f, 0.5f, 0.65f}, d.missingFill());
    }

    @Test
    void missingDropLeavesOutLinesWithAGap() throws Exception {
        LoadedData d = load(", missing drop", "");
        assertEquals(1, d.samples().count());
        assertRows(new float[] {21, 0, 1, 0.5f}, d.samples().x());
        // the class names come from every line, dropped or not: (no, yes)
        assertArrayEquals(new int[] {1}, d.samples().classes());
        assertEquals(List.of("no", "yes"), d.classNames());
    }

    @Test
    void aMissingCellIsAnErrorByDefaultAtItsLineAndColumn() throws Exception {
        // the checker finds it before anything runs (`dlxc check`), with the reader's words and place
        String program = "dataset d {\n    source csv \"weather.csv\" { header, features \"temp\"..\"humidity\", label \"play\", "
            + "categorical \"sky\" \"play\" }\n    labels classes 2 sparse\n}\n";
        Files.writeString(dir.resolve("weather.csv"), resource("weather.csv"));
        Files.writeString(dir.resolve("strict.dlx"), program);
        Compilation checked = new dev.dlx.compiler.Compiler().compile(dir.resolve("strict.dlx")).orElseThrow();
        dev.dlx.compiler.diag.Diagnostic found = checked.diagnostics().sorted().stream()
            .filter(d -> d.code() == dev.dlx.compiler.diag.Code.DATA_FILE).findFirst().orElseThrow();
        assertTrue(found.message().contains("column 0 (`temp`) on line 3") && found.notes().contains("at weather.csv:3:1"), found.toString());
        // the reader refuses it the same way, for a source that reaches it unchecked
        CsvSource mean = (CsvSource) compile(", missing mean", "").datasets().get("d").source();
        CsvSource strict = new CsvSource(mean.format(), mean.path(), mean.featureColumns(), mean.labelColumns(), mean.skip(), mean.delimiter(),
            mean.categorical(), mean.categories(), mean.header(), mean.columnNames(), CsvSource.Missing.ERROR, mean.featureGroups(),
            mean.labelGroups(), mean.span());
        DataException e = assertThrows(DataException.class, () -> CsvReader.read(strict, compile(", missing mean", "").datasets().get("d").labels()));
        assertTrue(e.location().endsWith("weather.csv:3:1"), e.render());
        assertEquals(3, e.line());
        assertEquals(1, e.column());
        assertTrue(e.getMessage().contains("column 0 (`temp`) on line 3") && e.getMessage().contains("is empty"), e.getMessage());
        assertTrue(e.help().contains("`missing drop`"), e.help());
    }

    @Test
    void predictionEncodesRowsAsTrainingAndPointsAtAnUnseenCategory() throws Exception {
        Files.writeString(dir.resolve("gaps.csv"), resource("gaps.csv"));
        Files.writeString(dir.resolve("unseen.csv"), resource("unseen.csv"));
        CsvSource layout = new CsvSource(CsvSource.Format.CSV, dir.resolve("gaps.csv"), List.of(0, 1, 2), List.of(), 0, ',', List.of(), null);
        Map<Integer, List<String>> categories = Map.of(1, List.of("rain", "sunny"));
        float[] fill = {20, 0.25f, 0.75f, 0.6f};
        // gaps.csv: a header, then ",sunny,0.3" and "12, rain,?"
        Samples s = CsvReader.readFeatures(dir.resolve("gaps.csv"), layout, List.of(0, 1, 2), categories, CsvSource.Missing.MEAN, fill);
        assertArrayEquals(new int[] {4}, s.shape());
        assertRows(new float[] {20, 0, 1, 0.3f, 12, 1, 0, 0.6f}, s.x());

        DataException noPolicy = assertThrows(DataException.class,
            () -> CsvReader.readFeatures(dir.resolve("gaps.csv"), layout, List.of(0, 1, 2), categories));
        assertTrue(noPolicy.location().endsWith("gaps.csv:2:1"), noPolicy.render());

        DataException unseen = assertThrows(DataException.class,
            () -> CsvReader.readFeatures(dir.resolve("unseen.csv"), layout, List.of(0, 1, 2), categories, CsvSource.Missing.MEAN, fill));
        assertTrue(unseen.location().endsWith("unseen.csv:2:4"), unseen.render());
        assertTrue(unseen.getMessage().contains("`fog` on line 2 is not a category seen in training (`rain`, `sunny`)"), unseen.getMessage());
    }
}
