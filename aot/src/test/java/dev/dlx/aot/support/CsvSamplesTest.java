package dev.dlx.aot.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.dlx.compiler.data.CsvSource;
import dev.dlx.support.FeatureEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JAR's CSV reading and feature steps, against the checker's splitter and hand-computed values. */
class CsvSamplesTest {

    @Test
    void splitsFieldsAsTheChecker() {
        for (String line : List.of("1,2,3", "a,\"b,c\",d", "\"say \"\"hi\"\"\",2", ",,", "x\ty", "\"unterminated,1")) {
            for (char d : new char[] {',', '\t'}) assertEquals(CsvSource.split(line, d), CsvSamples.split(line, d), line);
        }
    }

    @Test
    void readsTrainingLayoutOrFeatureColumnsWithCategoriesOneHotAndHeader(@TempDir Path dir) throws Exception {
        Path full = dir.resolve("full.csv");
        Files.writeString(full, "label,color,size,weight\n7,red,1.5,2\n3,blue,2.5,4\n");
        FeatureEncoding encoding = FeatureEncoding.of(List.of(1, 2, 3), Map.of(1, List.of("blue", "red")), FeatureEncoding.Missing.ERROR, null);
        float[][] rows = CsvSamples.read(full, ',', encoding);
        // `red` is the second of (blue, red): one-hot 0, 1
        assertArrayEquals(new float[] {0, 1, 1.5f, 2}, rows[0]);
        assertArrayEquals(new float[] {1, 0, 2.5f, 4}, rows[1]);
        Path only = dir.resolve("only.csv");
        Files.writeString(only, "red,1.5,2\n");
        assertArrayEquals(new float[] {0, 1, 1.5f, 2}, CsvSamples.read(only, ',', encoding)[0]);
        Path unknown = dir.resolve("unknown.csv");
        Files.writeString(unknown, "green,1,2\n");
        InputException e = assertThrows(InputException.class, () -> CsvSamples.read(unknown, ',', encoding));
        assertEquals(unknown + ":1:1: `green` on line 1 is not a category seen in training (`blue`, `red`)", e.getMessage());
        Path text = dir.resolve("text.csv");
        Files.writeString(text, "red,1,2\nred,x,2\n");
        e = assertThrows(InputException.class, () -> CsvSamples.read(text, ',', encoding));
        assertEquals(text + ":2:5: feature column 1 on line 2 of `" + text + "` holds `x`, not a number", e.getMessage());
        Path narrow = dir.resolve("narrow.csv");
        Files.writeString(narrow, "1,2\n");
        e = assertThrows(InputException.class, () -> CsvSamples.read(narrow, ',', encoding));
        assertTrue(e.getMessage().contains("has 2 fields; the model reads 3 feature columns"), e.getMessage());
    }

    @Test
    void featureStepsMatchHandComputedValues() {
        var steps = List.of(
            JsonParser.parseString("{\"step\":\"reshape\",\"shape\":[2,-1,3]}").getAsJsonObject(),
            JsonParser.parseString("{\"step\":\"scale\",\"factor\":0.5,\"offset\":1}").getAsJsonObject(),
            JsonParser.parseString("{\"step\":\"grayscale\"}").getAsJsonObject(),
            JsonParser.parseString("{\"step\":\"resize\",\"height\":1,\"width\":1}").getAsJsonObject(),
            JsonParser.parseString("{\"step\":\"flatten\"}").getAsJsonObject());
        // 2x2 RGB pixels: (0,0,0) (2,2,2) (4,4,4) (6,6,6) -> scaled 1,2,3,4 (grey, so luma = value * 0.9999)
        float[] x = {0, 0, 0, 2, 2, 2, 4, 4, 4, 6, 6, 6};
        FeatureSteps.Sample s = FeatureSteps.apply(steps, new FeatureSteps.Sample(x, new int[] {12}));
        assertArrayEquals(new int[] {1}, s.shape());
        // resize 2x2 -> 1x1 with half-pixel centers samples the middle: the mean of the four lumas
        float luma = 0.2989f + 0.5870f + 0.1140f;
        assertEquals(2.5f * luma, s.x()[0], 1e-5f);
    }
}
