package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dlxc build` and `dlxc export` on a model trained for one epoch, and the built JAR run as its own process. */
class BuildExportCommandsTest {
    private static final Path REPO = Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize();
    @TempDir static Path dir;
    static Path file;
    static Path runs;
    static Path run;

    @BeforeAll
    static void train() throws Exception {
        file = dir.resolve("small_digits.dlx");
        runs = dir.resolve("runs");
        run = TrainedRuns.smallDigitsRun(file, "SmallMlp", 16, runs);
    }

    @Test
    void builtJarPredictsAsDlxcPredict() throws Exception {
        Path input = dir.resolve("rows.csv");
        List<String> rows = new ArrayList<>();
        try (var in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(REPO.resolve("samples/data/digits.csv.gz")))))) {
            for (int i = 0; i < 15; i++) rows.add(in.readLine());
        }
        Files.write(input, rows);
        Path jar = dir.resolve("small.jar");
        // a .dlx file stands for its model's newest run
        var build = TrainingCommandsTest.dlxc("build", file.toString(), "--runs", runs.toString(), "-o", jar.toString(), "--thin");
        assertEquals(0, build.code(), build.toString());
        assertTrue(build.out().contains("class dlx.models.small_digits.SmallMlp ([64] -> [10]"), build.toString());

        var predict = TrainingCommandsTest.dlxc("predict", run.toString(), input.toString());
        assertEquals(0, predict.code(), predict.toString());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
            "predict", input.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertSamePredictions(predict.out(), out);
        assertEquals(16, out.lines().count());

        Process bad = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
            "predict", dir.resolve("missing.csv").toString()).start();
        String err = new String(bad.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bad.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue());
        assertTrue(err.contains("missing.csv") && err.contains("no such file"), err);
    }

    /**
     * The same header, classes and probabilities: printed with 6 decimals, they may differ by one in
     * the last (the built class runs the frozen graph, whose kernels may sum in another order).
     */
    static void assertSamePredictions(String expected, String actual) {
        List<String> e = expected.lines().toList(), a = actual.lines().toList();
        assertEquals(e.size(), a.size(), actual);
        assertEquals(e.get(0), a.get(0));
        for (int i = 1; i < e.size(); i++) {
            String[] x = e.get(i).split(","), y = a.get(i).split(",");
            assertEquals(x.length, y.length, a.get(i));
            assertEquals(x[0], y[0], "class of row " + i);
            for (int k = 1; k < x.length; k++) assertEquals(Double.parseDouble(x[k]), Double.parseDouble(y[k]), 1.5e-6, "row " + i + ": " + a.get(i));
        }
    }

    @Test
    void buildChecksNamesAndTargets() {
        var badPackage = TrainingCommandsTest.dlxc("build", run.toString(), "--package", "com.2fast", "-o", dir.resolve("x.jar").toString());
        assertEquals(2, badPackage.code());
        assertTrue(badPackage.err().contains("`com.2fast` is not a Java package name: `2fast` starts with `2`"), badPackage.toString());
        var badClass = TrainingCommandsTest.dlxc("build", run.toString(), "--class", "class", "-o", dir.resolve("x.jar").toString());
        assertEquals(2, badClass.code());
        assertTrue(badClass.err().contains("`class` is a Java keyword"), badClass.toString());
        var noRun = TrainingCommandsTest.dlxc("build", file.toString(), "--runs", dir.resolve("nowhere").toString());
        assertEquals(1, noRun.code());
        assertTrue(noRun.err().contains("no finished run of model `SmallMlp`") && noRun.err().contains("dlxc run " + file), noRun.toString());
    }

    @Test
    void exportRefusesAFullFolderWithoutForce() throws Exception {
        Path out = dir.resolve("saved");
        var first = TrainingCommandsTest.dlxc("export", run.toString(), "--format", "savedmodel", out.toString());
        assertEquals(0, first.code(), first.toString());
        assertTrue(first.out().contains("signature serving_default: pixels float32 [batch, 64] -> output float32 [batch, 10]"), first.toString());
        assertTrue(Files.isRegularFile(out.resolve("saved_model.pb")));
        var again = TrainingCommandsTest.dlxc("export", run.toString(), "--format", "savedmodel", out.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("is not empty") && again.err().contains("--force"), again.toString());
        var forced = TrainingCommandsTest.dlxc("export", run.toString(), "--format", "frozen", out.toString(), "--force");
        assertEquals(0, forced.code(), forced.toString());
        assertTrue(Files.isRegularFile(out.resolve("graph.pb")) && !Files.exists(out.resolve("saved_model.pb")));
        var badFormat = TrainingCommandsTest.dlxc("export", run.toString(), "--format", "onnx", dir.resolve("o").toString());
        assertEquals(2, badFormat.code());
        assertTrue(badFormat.err().contains("--format takes savedmodel or frozen, not `onnx`"), badFormat.toString());
    }
}
