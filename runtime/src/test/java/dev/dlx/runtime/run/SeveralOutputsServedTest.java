package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.train.Fixtures;
import dev.dlx.runtime.train.TrainGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of a model with two inputs and two outputs, trained once, then opened again: `dlxc
 * evaluate` gives the numbers `dlxc run` printed for the same weights, per label; `dlxc predict`
 * writes each output's predictions as the training graph computes them.
 */
class SeveralOutputsServedTest {
    @TempDir static Path dir;
    static Path run;
    static String trained;

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
        evaluate Two on pairs.val
        """;

    @BeforeAll
    static void train() throws Exception {
        Fixtures.compile(dir, PROGRAM, Map.of("pairs.csv", MultiTensorTest.CSV + MultiTensorTest.CSV));
        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        int code = r.run(dir.resolve("main.dlx"), RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN)
            .withSeed(5L));
        assertEquals(Runner.OK, code, out.toString());
        run = r.results().get(0).folder();
        trained = out.out.toString();
    }

    /** The metrics of the first line of {@code text} that starts with {@code start}, up to the sample count. */
    static String metrics(String text, String start) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(start) + "(.*?)  \\((\\d+) samples").matcher(text);
        assertTrue(m.find(), "no `" + start + "` line in:\n" + text);
        return m.group(1) + " / " + m.group(2);
    }

    @Test
    void evaluateGivesTheTestLineOfTheRunPerLabel() {
        String test = metrics(trained, "test  ");
        assertTrue(test.startsWith("loss "), test);
        assertTrue(test.contains("kind_loss ") && test.contains("kind_accuracy ") && test.contains("flag_loss ") && test.contains("flag_accuracy "),
            test);
        Fixtures.Output out = new Fixtures.Output();
        // one epoch: the last weights are the ones the test line used
        assertEquals(Runner.OK, new Evaluation(out.outWriter, out.errWriter, 1).run(run, null, "last"), out.toString());
        assertEquals(test, metrics(out.out.toString(), "Two (last weights, epoch 1) on pairs.test: "));
        assertTrue(Files.exists(run.resolve("normalization.right.json")), "each input's statistics are read back, not refitted");
    }

    @Test
    void evaluateStatementsOfAProgramScoreEachLabel() {
        // printed by `dlxc run` with the trained weights, and by `dlxc evaluate FILE` with the saved ones
        String during = metrics(trained, "evaluate Two on pairs.val: ");
        assertTrue(during.contains("kind_accuracy ") && during.contains("flag_accuracy "), during);
        Fixtures.Output out = new Fixtures.Output();
        assertEquals(Runner.OK, new Evaluation(out.outWriter, out.errWriter, 1).file(dir.resolve("main.dlx"), dir.resolve("runs")), out.toString());
        assertEquals(during, metrics(out.out.toString(), "evaluate Two on pairs.val (run " + Runner.display(run) + ", best weights): "));
        Fixtures.Output split = new Fixtures.Output();
        assertEquals(Runner.OK, new Evaluation(split.outWriter, split.errWriter, 1).run(run, "val", null), split.toString());
        assertEquals(during, metrics(split.out.toString(), "Two (best weights, epoch 1) on pairs.val: "));
    }

    @Test
    void aRunFolderWithoutAnInputsStatisticsIsAClearError() throws Exception {
        Path copy = dir.resolve("damaged");
        Files.createDirectories(copy);
        try (var files = Files.walk(run)) {
            for (Path p : files.toList()) {
                Path to = copy.resolve(run.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        Files.delete(copy.resolve("normalization.right.json"));
        Fixtures.Output out = new Fixtures.Output();
        assertEquals(Runner.ERRORS, new Evaluation(out.outWriter, out.errWriter, 1).run(copy, null, null), out.toString());
        assertTrue(out.err.toString().contains("has no normalization.right.json (the normalization of feature `right`)"), out.toString());
        assertTrue(!Files.exists(copy.resolve("normalization.right.json")), "evaluate writes nothing into the run folder");
    }

    @Test
    void predictWritesEachOutputUnderItsNameAsTheGraphComputesIt() throws Exception {
        Path in = dir.resolve("pairs.csv"), written = dir.resolve("predicted.csv");
        Fixtures.Output out = new Fixtures.Output();
        assertEquals(Runner.OK, new Prediction(out.outWriter, out.errWriter, 1).run(run, in, written, "last"), out.toString());
        List<String> lines = Files.readAllLines(written);
        assertEquals("kind,kind_p_0,kind_p_1,kind_p_2,flag,flag_p_0,flag_p_1", lines.get(0));
        assertEquals(13, lines.size(), "a header and the twelve rows");
        // the same rows fed as training feeds them, through the training graph with the same weights
        SavedRun r = SavedRun.open(run, "last", out.errWriter);
        LoadedData data = LoadedData.load(r.dataset(), r.seed());
        Feeding feeding = r.feeding(data);
        float[] kind, flag;
        try (TrainGraph g = r.graph(1, feeding);
             BatchFeeder feed = feeding.feeder(data.samples().all(), r.normalizers(feeding), null, 12)) {
            g.evaluate(feed.batch(null, 0, 12, null));
            kind = g.predictions(0).clone();
            flag = g.predictions(1).clone();
        }
        for (int i = 0; i < 12; i++) {
            String[] cells = lines.get(i + 1).split(",");
            int bestKind = 0, bestFlag = flag[i * 2 + 1] > flag[i * 2] ? 1 : 0;
            for (int j = 0; j < 3; j++) {
                assertEquals(kind[i * 3 + j], Double.parseDouble(cells[1 + j]), 1e-6, "row " + i + " kind " + j);
                if (kind[i * 3 + j] > kind[i * 3 + bestKind]) bestKind = j;
            }
            for (int j = 0; j < 2; j++) assertEquals(flag[i * 2 + j], Double.parseDouble(cells[5 + j]), 1e-6, "row " + i + " flag " + j);
            assertEquals(Integer.toString(bestKind), cells[0]);
            assertEquals(Integer.toString(bestFlag), cells[4]);
        }
        // the feature columns alone give the same predictions
        Path alone = dir.resolve("features.csv");
        StringBuilder rows = new StringBuilder();
        for (String line : Files.readAllLines(in)) {
            if (!line.isBlank()) rows.append(String.join(",", Arrays.copyOf(line.split(","), 6))).append('\n');
        }
        Files.writeString(alone, rows);
        Path again = dir.resolve("again.csv");
        assertEquals(Runner.OK, new Prediction(out.outWriter, out.errWriter, 1).run(run, alone, again, "last"), out.toString());
        assertEquals(lines, Files.readAllLines(again));
    }

    @Test
    void predictNamesTheFeatureWhoseColumnsTheInputLacks() throws Exception {
        Path in = dir.resolve("short.csv");
        Files.writeString(in, "4,0,2,1,0.5\n0,4,1,2,1\n");
        Fixtures.Output out = new Fixtures.Output();
        assertEquals(Runner.ERRORS, new Prediction(out.outWriter, out.errWriter, 1).run(run, in, null, null), out.toString());
        String err = out.err.toString();
        assertTrue(err.contains("has 5 fields: feature `right` in columns 4..5 of the training file's layout is missing"), err);
        assertTrue(err.contains("`left` in columns 0..3, `right` in columns 4..5"), err);
        assertTrue(err.contains("short.csv:1"), "the error points at the line: " + err);
    }

    @Test
    void eachLabelsClassNamesTravelWithTheDataFiles() throws Exception {
        Path fold = dir.resolve("fold");
        Files.createDirectories(fold);
        Files.copy(run.resolve(RunFolder.RUN_JSON), fold.resolve(RunFolder.RUN_JSON));
        RunFolder.open(run).copyDataFiles(RunFolder.open(fold));
        for (String f : List.of("classes.kind.json", "classes.flag.json", RunFolder.DATA)) {
            assertEquals(Files.readString(run.resolve(f)), Files.readString(fold.resolve(f)), f);
        }
        assertTrue(!Files.exists(fold.resolve(RunFolder.LAST)), "only what reading the data needs");
    }
}
