package dev.dlx.aot.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.aot.freeze.FrozenRun;
import dev.dlx.runtime.run.ConsoleListener;
import dev.dlx.runtime.run.Prediction;
import dev.dlx.runtime.run.RunOptions;
import dev.dlx.runtime.run.Runner;
import dev.dlx.runtime.run.SavedRun;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A model with two inputs and two outputs exported as a SavedModel (its signature names each) and
 * built into a class (one typed method per output): both give `dlxc predict`'s numbers.
 */
class SeveralOutputsExportTest {
    @TempDir static Path dir;
    static Path run;

    static final String CSV = """
        4,0,2,1,0.5,-1,0,1
        0,4,1,2,1,0.25,1,0
        2,2,4,0,-0.5,1,2,1
        1,3,0,4,0,0,0,0
        3,1,2,2,0.75,-0.25,1,1
        0,0,4,4,-1,0.5,2,0
        1,1,1,3,0.25,0.75,0,1
        2,0,3,3,-0.75,-0.5,1,0
        """;

    static final String PROGRAM = """
        dataset pairs {
            source csv "pairs.csv" { features left 0..3, right 4..5, labels kind 6, flag 7 }
            features left scale 1/4, right reshape [2, 1]
            labels kind classes 3 onehot, flag classes 2 onehot
            normalize featurewise
            split train 50%, val 25%, test 25% shuffle seed 1
            batch 4
        }
        model Two(left [4], right [2, 1]) {
            let r = right -> flatten
            let h = concat(left, r) -> dense 8 -> relu
            let kind = h -> dense 3 -> softmax
            let flag = h -> dense 2 -> softmax
            return kind, flag
        }
        train Two on pairs {
            loss categorical_crossentropy
            optimizer adam lr 1e-2
            epochs 1
        }
        """;

    @BeforeAll
    static void train() throws Exception {
        Files.writeString(dir.resolve("pairs.csv"), CSV);
        Files.writeString(dir.resolve("main.dlx"), PROGRAM);
        StringWriter out = new StringWriter();
        Runner runner = new Runner(new PrintWriter(out, true), new PrintWriter(out, true), null, null);
        int code = runner.run(dir.resolve("main.dlx"), RunOptions.defaults().withRuns(dir.resolve("runs")).withSeed(3L)
            .withProgress(ConsoleListener.Mode.PLAIN));
        assertEquals(Runner.OK, code, out.toString());
        run = runner.results().get(0).folder();
    }

    @Test
    void theSignatureNamesEachInputAndOutputAndServesPredictsNumbers() throws Exception {
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text, true);
        Path predicted = dir.resolve("predicted.csv");
        assertEquals(Runner.OK, new Prediction(w, w, 1).run(run, dir.resolve("pairs.csv"), predicted, "last"), text.toString());
        List<String> lines = Files.readAllLines(predicted);
        assertEquals("kind,kind_p_0,kind_p_1,kind_p_2,flag,flag_p_0,flag_p_1", lines.get(0));

        SavedRun saved = SavedRun.open(run, "last", w);
        Path out = dir.resolve("saved");
        ModelExport.write(FrozenRun.of(saved), ModelExport.Format.SAVEDMODEL, out);
        // the inputs as the features' steps leave them: `left` scaled by 1/4, `right` as [2, 1]; normalization is in the graph
        List<String> rows = CSV.lines().filter(l -> !l.isBlank()).toList();
        int n = rows.size();
        float[] left = new float[n * 4], right = new float[n * 2];
        for (int i = 0; i < n; i++) {
            String[] f = rows.get(i).split(",");
            for (int j = 0; j < 4; j++) left[i * 4 + j] = Float.parseFloat(f[j]) / 4;
            for (int j = 0; j < 2; j++) right[i * 2 + j] = Float.parseFloat(f[4 + j]);
        }
        try (SavedModelBundle bundle = SavedModelBundle.load(out.toString(), "serve")) {
            Signature sig = bundle.function("serving_default").signature();
            assertEquals(Set.of("left", "right"), sig.inputNames());
            assertEquals(Set.of("kind", "flag"), sig.outputNames());
            try (TFloat32 l = TFloat32.tensorOf(Shape.of(n, 4), DataBuffers.of(left, true, false));
                 TFloat32 r = TFloat32.tensorOf(Shape.of(n, 2, 1), DataBuffers.of(right, true, false));
                 Result y = bundle.function("serving_default").call(Map.of("left", l, "right", r))) {
                float[] kind = new float[n * 3], flag = new float[n * 2];
                ((TFloat32) y.get("kind").orElseThrow()).copyTo(DataBuffers.of(kind, false, false));
                ((TFloat32) y.get("flag").orElseThrow()).copyTo(DataBuffers.of(flag, false, false));
                for (int i = 0; i < n; i++) {
                    String[] cells = lines.get(i + 1).split(",");
                    for (int j = 0; j < 3; j++) assertEquals(Double.parseDouble(cells[1 + j]), kind[i * 3 + j], 1e-5, "row " + i + " kind " + j);
                    for (int j = 0; j < 2; j++) assertEquals(Double.parseDouble(cells[5 + j]), flag[i * 2 + j], 1e-5, "row " + i + " flag " + j);
                }
            }
        }
        String manifest = Files.readString(out.resolve("assets.extra/model.json"));
        assertTrue(manifest.contains("\"op\": \"dlx.input.right\"") && manifest.contains("\"op\": \"dlx.output.flag\""), manifest);
        assertTrue(manifest.contains("\"label\": \"flag\""), manifest);
    }

    @Test
    void aBuiltClassHasOneTypedMethodPerOutputGivingPredictsNumbers() throws Exception {
        StringWriter text = new StringWriter();
        PrintWriter w = new PrintWriter(text, true);
        Path predicted = dir.resolve("predicted-for-build.csv");
        assertEquals(Runner.OK, new Prediction(w, w, 1).run(run, dir.resolve("pairs.csv"), predicted, "last"), text.toString());
        List<String> lines = Files.readAllLines(predicted);
        String name = "dlx.models.main.Two";
        Path jar = dir.resolve("two.jar");
        dev.dlx.aot.jar.ModelJar.write(FrozenRun.of(SavedRun.open(run, "last", w)), name, jar, true);
        List<String> rows = CSV.lines().filter(l -> !l.isBlank()).toList();
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()},
                SeveralOutputsExportTest.class.getClassLoader())) {
            Class<?> c = loader.loadClass(name);
            assertEquals(List.of("left", "right"), c.getField("INPUT_NAMES").get(null));
            assertEquals(List.of("kind", "flag"), c.getField("OUTPUT_NAMES").get(null));
            var predictKind = c.getMethod("predictKind", float[].class, float[][].class);
            var predictFlag = c.getMethod("predictFlag", float[].class, float[][].class);
            var predictAll = c.getMethod("predict", float[].class, float[][].class);
            try (AutoCloseable model = (AutoCloseable) c.getMethod("load").invoke(null)) {
                for (int i = 0; i < rows.size(); i++) {
                    String[] f = rows.get(i).split(",");
                    float[] left = new float[4];
                    float[][] right = new float[2][1];
                    for (int j = 0; j < 4; j++) left[j] = Float.parseFloat(f[j]) / 4;
                    for (int j = 0; j < 2; j++) right[j][0] = Float.parseFloat(f[4 + j]);
                    float[] kind = (float[]) predictKind.invoke(model, left, right);
                    float[] flag = (float[]) predictFlag.invoke(model, left, right);
                    float[][] all = (float[][]) predictAll.invoke(model, left, right);
                    String[] cells = lines.get(i + 1).split(",");
                    assertEquals(3, kind.length);
                    assertEquals(2, flag.length);
                    for (int j = 0; j < 3; j++) assertEquals(Double.parseDouble(cells[1 + j]), kind[j], 1e-5, "row " + i + " kind " + j);
                    for (int j = 0; j < 2; j++) assertEquals(Double.parseDouble(cells[5 + j]), flag[j], 1e-5, "row " + i + " flag " + j);
                    assertEquals(java.util.Arrays.toString(kind), java.util.Arrays.toString(all[0]));
                    assertEquals(java.util.Arrays.toString(flag), java.util.Arrays.toString(all[1]));
                }
            }
            // the JAR's command line writes what `dlxc predict` writes
            Path fromJar = dir.resolve("from-jar.csv");
            StringWriter jarOut = new StringWriter(), jarErr = new StringWriter();
            int code = dev.dlx.aot.support.PredictMain.run(c, dev.dlx.aot.jar.ModelJar.resourceFolder(name),
                new String[] {"predict", dir.resolve("pairs.csv").toString(), "-o", fromJar.toString()}, new PrintWriter(jarOut, true),
                new PrintWriter(jarErr, true));
            assertEquals(0, code, jarOut + "\n" + jarErr);
            List<String> got = Files.readAllLines(fromJar);
            assertEquals(lines.get(0), got.get(0));
            assertEquals(lines.size(), got.size());
            for (int i = 1; i < lines.size(); i++) {
                String[] want = lines.get(i).split(","), have = got.get(i).split(",");
                assertEquals(want[0], have[0], "row " + i + ": the class of `kind`");
                assertEquals(want[4], have[4], "row " + i + ": the class of `flag`");
                for (int j : new int[] {1, 2, 3, 5, 6}) assertEquals(Double.parseDouble(want[j]), Double.parseDouble(have[j]), 2e-6, "row " + i);
            }
            // a first line of 5 fields holds neither layout: both name the feature whose columns it lacks, in the same words
            Path narrow = dir.resolve("narrow.csv");
            Files.writeString(narrow, "1,2,3,4,5\n");
            StringWriter runtimeErr = new StringWriter();
            assertEquals(Runner.ERRORS, new Prediction(new PrintWriter(new StringWriter(), true), new PrintWriter(runtimeErr, true), 1)
                .run(run, narrow, null, "last"));
            StringWriter narrowErr = new StringWriter();
            assertEquals(1, dev.dlx.aot.support.PredictMain.run(c, dev.dlx.aot.jar.ModelJar.resourceFolder(name),
                new String[] {"predict", narrow.toString()}, new PrintWriter(new StringWriter(), true), new PrintWriter(narrowErr, true)));
            // (`dlxc predict` first repeats the program's warnings)
            assertTrue(narrowErr.toString().startsWith("error[DLX0506]: ") && runtimeErr.toString().endsWith(narrowErr.toString()),
                runtimeErr + "\n---\n" + narrowErr);
            assertTrue(narrowErr.toString().contains("has 5 fields: feature `right` in columns 4..5 of the training file's layout is missing"),
                narrowErr.toString());
            assertTrue(narrowErr.toString().contains("(`left` in columns 0..3, `right` in columns 4..5), or the 6 feature columns alone"),
                narrowErr.toString());
        }
    }
}
