package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.dlx.aot.jar.ModelJar;
import dev.dlx.aot.support.PredictMain;
import dev.dlx.support.Lines;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `dlxc predict` and the JAR `dlxc build` makes of the same run, on a small weather table with a
 * categorical column (`sky`, one-hot over cloudy, rain, sunny) and missing cells, trained under each
 * `missing` policy: the same predictions (the same header and classes; probabilities printed with six
 * decimals may differ by one in the last, as the JAR runs the frozen graph) and the same error text,
 * byte for byte, for bad rows.
 * The JAR runs as its own process for some inputs, and in this process (its generated class and
 * resources from a class loader of its own) for the others.
 */
class JarPredictParityTest {
    private static final String[] SKY = {"rain", "sunny", "cloudy"};
    @TempDir static Path dir;
    /** Per policy: the run folder and the built JAR with its class name. */
    static final Map<String, Built> BUILT = new HashMap<>();

    record Built(Path run, Path jar, String className) {}

    record Out(int code, String out, String err) {}

    /** Line i of the table: temp, sky, humidity, play; {@code gaps} leaves some cells missing. */
    private static String row(int i, boolean gaps) {
        int temp = 5 + (i * 7) % 30;
        String sky = SKY[i % 3];
        double humidity = ((i * 13) % 10) / 10.0;
        String play = temp > 18 && !sky.equals("rain") ? "yes" : "no";
        String t = gaps && i % 9 == 4 ? "" : Integer.toString(temp);
        String s = gaps && i % 11 == 5 ? "NA" : sky;
        String h = gaps && i % 13 == 6 ? "?" : Double.toString(humidity);
        return t + "," + s + "," + h + "," + play;
    }

    private static String table(boolean gaps) {
        StringBuilder s = new StringBuilder("temp,sky,humidity,play\n");
        for (int i = 0; i < 90; i++) s.append(row(i, gaps)).append('\n');
        return s.toString();
    }

    private static Built train(String policy) throws Exception {
        boolean gaps = !policy.equals("error");
        Path data = dir.resolve("weather_" + policy + ".csv");
        Files.writeString(data, table(gaps));
        Path file = dir.resolve("weather_" + policy + ".dlx");
        Files.writeString(file, """
            dataset weather {
                source csv "%s" { header, features 0..2, label 3, categorical 1 3%s }
                labels classes 2 sparse
                split train 80%%, val 20%% shuffle seed 1
                normalize featurewise
                batch 16
            }
            model Weather(x [5]) -> [2] {
                dense 8 -> relu
                dense 2 -> softmax
            }
            train Weather on weather {
                loss sparse_categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 4
            }
            """.formatted(data, gaps ? ", missing " + policy : ""));
        Path runs = dir.resolve("runs_" + policy);
        var r = TrainingCommandsTest.dlxc("run", file.toString(), "--runs", runs.toString(), "--seed", "3", "--progress", "plain");
        assertEquals(0, r.code(), r.toString());
        Path run;
        try (Stream<Path> s = Files.list(runs)) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path jar = dir.resolve("weather_" + policy + ".jar");
        var build = TrainingCommandsTest.dlxc("build", run.toString(), "-o", jar.toString(), "--thin");
        assertEquals(0, build.code(), build.toString());
        Matcher m = Pattern.compile("class (\\S+) \\(").matcher(build.out());
        assertTrue(m.find(), build.out());
        return new Built(run, jar, m.group(1));
    }

    @BeforeAll
    static void trainEachPolicy() throws Exception {
        for (String policy : List.of("error", "drop", "mean", "zero")) BUILT.put(policy, train(policy));
    }

    private static Out dlxcPredict(Built b, Path input) {
        var r = TrainingCommandsTest.dlxc("predict", b.run().toString(), input.toString());
        return new Out(r.code(), r.out(), r.err());
    }

    /** The JAR's `predict`, in this process: its generated class and resources from a class loader of its own. */
    private static Out jarPredict(Path jar, String className, Path input) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, JarPredictParityTest.class.getClassLoader())) {
            Class<?> owner = loader.loadClass(className);
            StringWriter out = new StringWriter(), err = new StringWriter();
            int code = PredictMain.run(owner, ModelJar.resourceFolder(className), new String[] {"predict", input.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
            return new Out(code, out.toString(), err.toString());
        }
    }

    /** The JAR's `predict` as its own process: `java -jar model.jar predict INPUT`. */
    private static Out jarProcess(Path jar, Path input) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
            "predict", input.toString()).redirectError(ProcessBuilder.Redirect.PIPE).start();
        var errText = new java.util.concurrent.CompletableFuture<String>();
        Thread t = new Thread(() -> {
            try {
                errText.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                errText.complete(e.toString());
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        t.join();
        return new Out(p.exitValue(), out, errText.get());
    }

    private static Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    /** The predictions file: the training layout with a header, missing cells of each column, and pairs of rows a policy makes equal. */
    private static Path gapsInput(String temp) throws Exception {
        return write("gaps_" + temp + ".csv", "temp,sky,humidity,play\n"
            + "22,sunny,0.3,\n"                  // 1: complete
            + ",sunny,0.3,\n"                    // 2: temp missing
            + temp + ",sunny,0.3,\n"             // 3: temp as the policy fills it
            + "14,NA,0.9,\n"                     // 4: sky missing
            + "27,cloudy,?,\n"                   // 5: humidity missing
            + "9,rain,0.1,\n");                  // 6: complete
    }

    private static List<String> lines(String s) { return s.lines().toList(); }

    @Test
    void missingCellsFilledAsTrainedGiveTheSamePredictions() throws Exception {
        for (String policy : List.of("mean", "zero")) {
            Built b = BUILT.get(policy);
            // the value the policy puts in a missing temp: the training split's mean (data.json), or 0
            var data = JsonParser.parseString(Files.readString(b.run().resolve("data.json"))).getAsJsonObject();
            assertEquals(policy, data.get("missing").getAsString());
            float fill = policy.equals("mean") ? data.getAsJsonArray("missing_fill").get(0).getAsFloat() : 0f;
            if (policy.equals("mean")) assertTrue(fill > 5 && fill < 35, "mean temp " + fill);
            Path input = gapsInput(policy.equals("mean") ? Float.toString(fill) : "0");
            Out predict = dlxcPredict(b, input);
            assertEquals(0, predict.code(), predict.toString());
            Out jar = policy.equals("mean") ? jarProcess(b.jar(), input) : jarPredict(b.jar(), b.className(), input);
            assertEquals(0, jar.code(), jar.err());
            BuildExportCommandsTest.assertSamePredictions(predict.out(), jar.out());
            List<String> rows = lines(jar.out());
            assertEquals("class,p_no,p_yes", rows.get(0));
            assertEquals(7, rows.size(), jar.out());
            // a missing temp predicts as the filled value given explicitly; the complete rows are not all alike
            assertEquals(rows.get(3), rows.get(2), policy);
            assertNotEquals(rows.get(1), rows.get(6), policy);
            // model.json carries the encoding and the policy that gave these rows
            var manifest = JsonParser.parseString(info(b)).getAsJsonObject();
            assertEquals("dlx-model 2", manifest.get("format").getAsString());
            var csv = manifest.getAsJsonObject("csv");
            assertEquals(policy, csv.getAsJsonObject("missing").get("policy").getAsString());
            assertEquals("{\"column\":1,\"encoding\":\"onehot\",\"categories\":[\"cloudy\",\"rain\",\"sunny\"]}",
                csv.getAsJsonArray("features").get(1).toString());
        }
    }

    /** `java -jar ... info` in this process: model.json as the JAR holds it. */
    private static String info(Built b) throws Exception {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {b.jar().toUri().toURL()}, JarPredictParityTest.class.getClassLoader())) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            int code = PredictMain.run(loader.loadClass(b.className()), ModelJar.resourceFolder(b.className()), new String[] {"info"},
                new PrintWriter(out, true), new PrintWriter(err, true));
            assertEquals(0, code, err.toString());
            return out.toString();
        }
    }

    @Test
    void completeRowsPredictAlikeUnderEveryPolicy() throws Exception {
        Path clean = write("clean.csv", "22,sunny,0.3\n9,rain,0.1\n30,cloudy,0.5\n");
        for (String policy : List.of("error", "drop", "mean", "zero")) {
            Built b = BUILT.get(policy);
            Out predict = dlxcPredict(b, clean);
            assertEquals(0, predict.code(), predict.toString());
            Out jar = jarPredict(b.jar(), b.className(), clean);
            assertEquals(0, jar.code(), jar.err());
            BuildExportCommandsTest.assertSamePredictions(predict.out(), jar.out());
            assertEquals(4, lines(jar.out()).size(), jar.out());
        }
    }

    /** Both refuse {@code input} with exit 1 and the same text, which holds {@code expected}; returns it. */
    private static String sameError(Built b, Path input, String expected) throws Exception {
        Out predict = dlxcPredict(b, input);
        Out jar = jarPredict(b.jar(), b.className(), input);
        assertEquals(1, predict.code(), predict.toString());
        assertEquals(1, jar.code(), jar.toString());
        assertEquals(predict.err(), jar.err());
        assertTrue(jar.err().startsWith("error[DLX0506]: ") && jar.err().contains(expected), jar.err());
        assertFalse(jar.err().contains("Exception") || jar.err().contains("\tat "), jar.err());
        assertEquals("", jar.out());
        return jar.err();
    }

    @Test
    void missingCellsRefusedByThePolicyReadTheSame() throws Exception {
        Path gaps = gapsInput("0");
        String error = sameError(BUILT.get("error"), gaps, "feature column 0 on line 3 of `" + gaps + "` is empty");
        assertTrue(error.contains("  --> " + gaps + ":3:1\n") && error.contains("the dataset declares no `missing` policy"), error);
        String drop = sameError(BUILT.get("drop"), gaps, "feature column 0 on line 3 of `" + gaps + "` is empty");
        assertTrue(drop.contains("lines are not dropped when predicting"), drop);
        // a missing category under `error`
        Path sky = write("sky_missing.csv", "22,sunny,0.3\n14,NA,0.9\n");
        sameError(BUILT.get("error"), sky, "feature column 1 on line 2 of `" + sky + "` holds `NA`, a missing value");
    }

    @Test
    void badRowsReadTheSame() throws Exception {
        Built b = BUILT.get("mean");
        Path unknown = write("unknown.csv", "22,sunny,0.3\n14,fog,0.9\n");
        String e = sameError(b, unknown, "`fog` on line 2 is not a category seen in training (`cloudy`, `rain`, `sunny`)");
        assertTrue(e.contains("  --> " + unknown + ":2:4\n"), e);
        // the JAR as its own process prints the same
        Out process = jarProcess(b.jar(), unknown);
        assertEquals(1, process.code());
        assertTrue(process.err().endsWith(e), process.err());

        Path longLine = dir.resolve("long.csv");
        Files.writeString(longLine, "22,sunny,0.3\n" + "1".repeat(Lines.MAX + 1) + "\n");
        sameError(b, longLine, "line 2 of `" + longLine + "` is longer than " + Lines.MAX + " characters");

        Path wide = write("wide.csv", "22,sunny,0.3\n" + ",".repeat(70_000) + "\n");
        sameError(b, wide, "line 2 of `" + wide + "` has 70001 fields, more than 65536");

        Path ragged = write("ragged.csv", "22,sunny,0.3\n14,rain\n");
        sameError(b, ragged, "line 2 of `" + ragged + "` has 2 fields, but the first line has 3");

        Path text = write("text.csv", "22,sunny,0.3\nwarm,rain,0.9\n");
        sameError(b, text, "feature column 0 on line 2 of `" + text + "` holds `warm`, not a number");
    }

    @Test
    void aModelDescriptionOfTheOldFormatSaysToRebuild() throws Exception {
        Built b = BUILT.get("mean");
        Path old = dir.resolve("old.jar");
        Files.copy(b.jar(), old, StandardCopyOption.REPLACE_EXISTING);
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + old.toUri()), Map.of())) {
            Path manifest = zip.getPath(ModelJar.resourceFolder(b.className()) + "model.json");
            Files.writeString(manifest, Files.readString(manifest).replace("\"dlx-model 2\"", "\"dlx-model 1\""));
        }
        Path clean = write("clean_old.csv", "22,sunny,0.3\n");
        Out jar = jarPredict(old, b.className(), clean);
        assertEquals(1, jar.code(), jar.toString());
        assertEquals("error: the model description (model.json) is format `dlx-model 1`, but this code reads `dlx-model 2`: "
            + "build the model again with `dlxc build` (or `dlxc export`) of this version\n", jar.err());
        Out process = jarProcess(old, clean);
        assertEquals(1, process.code(), process.err());
        assertTrue(process.err().contains("is format `dlx-model 1`") && !process.err().contains("Exception"), process.err());
    }
}
