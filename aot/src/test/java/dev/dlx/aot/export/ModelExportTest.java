package dev.dlx.aot.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.aot.TrainedDigits;
import dev.dlx.aot.freeze.FrozenRun;
import dev.dlx.aot.support.FrozenModel;
import dev.dlx.aot.support.ModelManifest;
import dev.dlx.runtime.run.SavedRun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** Exports read back by TensorFlow itself give the runtime's predictions. */
class ModelExportTest {

    @Test
    void savedModelServesTheRunsPredictions(@TempDir Path dir) throws Exception {
        SavedRun run = SavedRun.open(TrainedDigits.run(), null, new PrintWriter(System.err, true));
        float[][][][] samples = TrainedDigits.samples(TrainedDigits.rawRows(25));
        float[][] expected = TrainedDigits.runtimePredictions(run, samples);
        Path out = dir.resolve("saved");
        ModelExport.write(FrozenRun.of(run), ModelExport.Format.SAVEDMODEL, out);
        assertTrue(Files.isRegularFile(out.resolve("saved_model.pb")));
        assertTrue(Files.isRegularFile(out.resolve("assets.extra/model.json")));

        float[] flat = new float[samples.length * 64];
        for (int i = 0; i < samples.length; i++) for (int p = 0; p < 64; p++) flat[i * 64 + p] = samples[i][p / 8][p % 8][0];
        try (SavedModelBundle bundle = SavedModelBundle.load(out.toString(), "serve")) {
            Signature sig = bundle.function("serving_default").signature();
            assertEquals(java.util.Set.of("image"), sig.inputNames());
            assertEquals(java.util.Set.of("output"), sig.outputNames());
            try (TFloat32 x = TFloat32.tensorOf(Shape.of(samples.length, 8, 8, 1), DataBuffers.of(flat, true, false));
                 Result r = bundle.function("serving_default").call(Map.of("image", x))) {
                Tensor y = r.get("output").orElseThrow();
                assertEquals(Shape.of(samples.length, 10), y.shape());
                float[] got = new float[samples.length * 10];
                ((TFloat32) y).copyTo(DataBuffers.of(got, false, false));
                for (int i = 0; i < samples.length; i++) {
                    assertArrayEquals(expected[i], java.util.Arrays.copyOfRange(got, i * 10, i * 10 + 10), 1e-6f, "sample " + i);
                }
            }
        }
    }

    @Test
    void samplewiseNormalizationInTheGraphMatchesTheHost() throws Exception {
        SavedRun run = SavedRun.open(TrainedDigits.run("samplewise"), null, new PrintWriter(System.err, true));
        float[][][][] samples = TrainedDigits.samples(TrainedDigits.rawRows(30));
        float[][] expected = TrainedDigits.runtimePredictions(run, samples);
        FrozenRun frozen = FrozenRun.of(run);
        assertEquals("samplewise", frozen.manifest().getAsJsonObject("normalization").get("mode").getAsString());
        try (FrozenModel model = FrozenModel.of(frozen.parsed(), frozen.graph())) {
            float[][] got = model.predictBatch(samples);
            for (int i = 0; i < samples.length; i++) assertArrayEquals(expected[i], got[i], 1e-6f, "sample " + i);
        }
    }

    @Test
    void frozenGraphRunsWithItsDescription(@TempDir Path dir) throws Exception {
        SavedRun run = SavedRun.open(TrainedDigits.run(), null, new PrintWriter(System.err, true));
        float[][][][] samples = TrainedDigits.samples(TrainedDigits.rawRows(5));
        float[][] expected = TrainedDigits.runtimePredictions(run, samples);
        ModelExport.write(FrozenRun.of(run), ModelExport.Format.FROZEN, dir);
        ModelManifest m = ModelManifest.parse(Files.readString(dir.resolve("model.json")));
        assertEquals("TinyNet", m.model());
        assertEquals("multiclass", m.task());
        try (FrozenModel model = FrozenModel.of(m, Files.readAllBytes(dir.resolve("graph.pb")))) {
            float[][] got = model.predictBatch(samples);
            for (int i = 0; i < samples.length; i++) assertArrayEquals(expected[i], got[i], 1e-6f);
        }
    }
}
