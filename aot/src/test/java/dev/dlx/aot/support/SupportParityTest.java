package dev.dlx.aot.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.dlx.compiler.data.CsvSource;
import dev.dlx.compiler.data.FeatureStep;
import dev.dlx.runtime.data.CsvReader;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.FeatureProcessor;
import dev.dlx.runtime.data.Samples;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.run.NamedPrediction;
import dev.dlx.runtime.run.Prediction;
import dev.dlx.support.FeatureEncoding;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same inputs through `dlxc predict`'s path (runtime) and a built JAR's (this package) give the
 * same rows, the same values and the same text: both read CSV rows, apply feature steps and write
 * predictions with the support module.
 */
class SupportParityTest {

    private static float[] flat(float[][] rows) {
        int n = 0;
        for (float[] r : rows) n += r.length;
        float[] out = new float[n];
        int at = 0;
        for (float[] r : rows) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }

    private static Samples runtimeRows(Path file, List<Integer> columns) throws DataException {
        CsvSource layout = new CsvSource(CsvSource.Format.CSV, file, columns, List.of(), 0, ',', List.of(), null);
        return CsvReader.readFeatures(file, layout, columns, Map.of());
    }

    private static FeatureEncoding numbers(List<Integer> columns) {
        return FeatureEncoding.of(columns, Map.of(), FeatureEncoding.Missing.ERROR, null);
    }

    @Test
    void csvRowsWithQuotesHeaderAndLayoutsReadAlike(@TempDir Path dir) throws Exception {
        // a header whose names hold the delimiter, quoted numbers, a quoted `""`, the training layout (label in column 0)
        Path full = dir.resolve("full.csv");
        Files.writeString(full, "id,\"width, cm\",\"say \"\"h\"\"\",height\n"
            + "\"a,b\",1.5,\"2\",-3e2\n"
            + "c,\"0.25\",4, 7 \n");
        List<Integer> columns = List.of(1, 2, 3);
        Samples runtime = runtimeRows(full, columns);
        float[][] jar = CsvSamples.read(full, ',', numbers(columns));
        float[] expected = {1.5f, 2f, -300f, 0.25f, 4f, 7f};
        assertArrayEquals(expected, runtime.x());
        assertArrayEquals(expected, flat(jar));
        // the feature columns alone
        Path only = dir.resolve("only.csv");
        Files.writeString(only, "\"1.5\",2,-3e2\n0.25,\"4\",7\n");
        assertArrayEquals(expected, runtimeRows(only, columns).x());
        assertArrayEquals(expected, flat(CsvSamples.read(only, ',', numbers(columns))));
    }

    @Test
    void missingCellsAreRejectedAtTheSameLineByBoth(@TempDir Path dir) throws Exception {
        List<Integer> columns = List.of(0, 1);
        // `NA` in the first line is a missing value, not a header: both read line 1 as data and reject it
        for (String text : List.of("1,2\n3,\n", "1,2\n3,NA\n", "1,NA\n3,4\n", "1,2\n\"\",4\n")) {
            Path f = dir.resolve("missing.csv");
            Files.writeString(f, text);
            long line = text.startsWith("1,NA") ? 1 : 2;
            DataException r = assertThrows(DataException.class, () -> runtimeRows(f, columns), text);
            InputException j = assertThrows(InputException.class, () -> CsvSamples.read(f, ',', numbers(columns)), text);
            assertTrue(r.getMessage().contains("on line " + line + " "), r.getMessage());
            assertTrue(j.getMessage().contains("on line " + line + " "), j.getMessage());
        }
    }

    @Test
    void featureStepsResizeAnImageAlike() throws Exception {
        // a 3 x 5 RGB image with distinct values, scaled, resized up and down, then grey
        int h = 3, w = 5, c = 3;
        float[] image = new float[h * w * c];
        for (int i = 0; i < image.length; i++) image[i] = (i * 37) % 256;
        for (int[] size : new int[][] {{7, 4}, {2, 2}, {3, 5}}) {
            List<FeatureStep> steps = List.of(new FeatureStep.Scale(1 / 255.0, -0.5, null), new FeatureStep.Resize(size[0], size[1], null),
                new FeatureStep.Grayscale(null));
            Samples s = FeatureProcessor.apply(steps, new Samples(image.clone(), 1, new int[] {h, w, c}, null, null, 0), Path.of("x.csv"));
            List<JsonObject> json = List.of(
                JsonParser.parseString("{\"step\":\"scale\",\"factor\":" + (1 / 255.0) + ",\"offset\":-0.5}").getAsJsonObject(),
                JsonParser.parseString("{\"step\":\"resize\",\"height\":" + size[0] + ",\"width\":" + size[1] + "}").getAsJsonObject(),
                JsonParser.parseString("{\"step\":\"grayscale\"}").getAsJsonObject());
            FeatureSteps.Sample j = FeatureSteps.apply(json, new FeatureSteps.Sample(image.clone(), new int[] {h, w, c}));
            assertArrayEquals(new int[] {size[0], size[1], 1}, s.shape());
            assertArrayEquals(s.shape(), j.shape());
            assertArrayEquals(s.x(), j.x());
        }
        // hand-computed: 3 x 5 -> 3 x 5 is the identity, so the first grey pixel is the luma of the scaled first pixel
        Samples same = FeatureProcessor.apply(List.of(new FeatureStep.Resize(3, 5, null)),
            new Samples(image.clone(), 1, new int[] {h, w, c}, null, null, 0), Path.of("x.csv"));
        assertArrayEquals(image, same.x());
    }

    @Test
    void predictionTextIsTheSame() throws Exception {
        float[][] multi = {{2f, 0f, -1f}, {0f, 0f, 3f}};
        StringWriter runtime = new StringWriter();
        Prediction.write(MetricAccumulator.Task.MULTICLASS, List.of("cat", "dog, big", "say \"hi\""), true, 1, 3, multi, runtime);
        String m = "{\"format\": \"dlx-model 2\", \"task\": \"multiclass\", \"logits\": true,"
            + " \"class_names\": [\"cat\", \"dog, big\", \"say \\\"hi\\\"\"], \"output\": {\"shape\": [3]}}";
        StringWriter jar = new StringWriter();
        PredictionFormat.write(ModelManifest.parse(m), multi, jar);
        assertEquals(runtime.toString(), jar.toString());
        // softmax(2, 0, -1) = 0.843795, 0.114195, 0.042010 (hand-computed)
        assertTrue(jar.toString().startsWith("class,p_cat,p_\"dog, big\",p_\"say \"\"hi\"\"\"\ncat,0.843795,0.114195,0.042010\n"),
            jar.toString());

        float[][] reg = {{1.23456789f, -2f}};
        StringWriter r2 = new StringWriter(), j2 = new StringWriter();
        Prediction.write(MetricAccumulator.Task.REGRESSION, null, false, 1, 2, reg, r2);
        PredictionFormat.write(ModelManifest.parse("{\"format\": \"dlx-model 2\", \"task\": \"regression\", \"class_names\": [], \"output\": {\"shape\": [2]}}"),
            reg, j2);
        assertEquals("target_1,target_2\n1.23457,-2.00000\n", r2.toString());
        assertEquals(r2.toString(), j2.toString());

        // several outputs: a binary head on logits, and one trained on no label
        float[][][] several = {{{0f}, {2f}}, {{0.5f, 1f}, {-1f, 3f}}};
        StringWriter r3 = new StringWriter(), j3 = new StringWriter();
        NamedPrediction.write(List.of(new NamedPrediction.Head("spam", MetricAccumulator.Task.BINARY, List.of("no", "yes"), true, 1),
            new NamedPrediction.Head("code", null, null, false, 2)), several, r3);
        String ms = "{\"format\": \"dlx-model 2\", \"outputs\": ["
            + "{\"name\": \"spam\", \"op\": \"a\", \"shape\": [1], \"task\": \"binary\", \"logits\": true, \"class_names\": [\"no\", \"yes\"]},"
            + "{\"name\": \"code\", \"op\": \"b\", \"shape\": [2]}]}";
        PredictionFormat.write(ModelManifest.parse(ms), several, j3);
        assertEquals("spam,spam_p_yes,code_1,code_2\nyes,0.500000,0.500000,1.00000\nyes,0.880797,-1.00000,3.00000\n", r3.toString());
        assertEquals(r3.toString(), j3.toString());
    }
}
