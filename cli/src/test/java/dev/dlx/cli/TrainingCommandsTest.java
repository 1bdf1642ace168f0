package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dlxc run`, `evaluate`, `predict` and `gradcheck` through the command line, on the digits data. */
class TrainingCommandsTest {
    private static final Path REPO = Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize();

    record Run(int code, String out, String err) {
        @Override public String toString() { return "exit " + code + "\n--- out\n" + out + "--- err\n" + err; }
    }

    static Run dlxc(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static String program() {
        return """
            dataset digits {
                source csv "%s" { features 0..63, label 64 }
                features scale 1/16
                labels classes 10 onehot names "zero" "one" "two" "three" "four" "five" "six" "seven" "eight" "nine"
                split train 70%%, val 15%%, test 15%% shuffle seed 42 stratify
                normalize featurewise
                batch 32
            }
            model Mlp(x [64]) -> [10] {
                dense 32 -> relu
                dense 10 -> softmax
            }
            train Mlp on digits {
                loss categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 6
                metrics accuracy precision recall f1
            }
            evaluate Mlp on digits.val
            """.formatted(REPO.resolve("samples/data/digits.csv.gz"));
    }

    @Test
    void runEvaluatePredict(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("digits.dlx");
        Files.writeString(file, program());
        Path runs = dir.resolve("runs");
        Run run = dlxc("run", file.toString(), "--runs", runs.toString(), "--seed", "1", "--progress", "plain");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("epoch 6/6  loss "), run.toString());
        assertTrue(run.out().contains("val_f1"), run.toString());
        assertTrue(run.out().contains("test  loss "), run.toString());
        assertTrue(run.out().contains("evaluate Mlp on digits.val: loss "), run.toString());
        Path folder;
        try (Stream<Path> s = Files.list(runs)) {
            folder = s.filter(p -> p.getFileName().toString().matches("Mlp-\\d{8}-\\d{6}")).findFirst().orElseThrow();
        }

        Run eval = dlxc("evaluate", folder.toString());
        assertEquals(0, eval.code(), eval.toString());
        assertTrue(eval.out().contains("on digits.test: loss "), eval.toString());
        assertTrue(eval.out().contains("(270 samples)") || eval.out().contains("samples)"), eval.toString());
        Run evalFile = dlxc("evaluate", file.toString(), "--runs", runs.toString());
        assertEquals(0, evalFile.code(), evalFile.toString());
        assertTrue(evalFile.out().contains("evaluate Mlp on digits.val (run "), evalFile.toString());
        // the `test` line, `dlxc evaluate` and the `evaluate` statement report the same metrics, the training's
        String test = metrics(run.out(), "test  ");
        assertEquals("loss accuracy precision recall f1", names(test), run.toString());
        Run evalLast = dlxc("evaluate", folder.toString(), "--weights", "last");
        assertEquals(test, metrics(evalLast.out(), "on digits.test: "), "the same weights on the same split: " + evalLast);
        assertEquals(names(test), names(metrics(run.out(), "evaluate Mlp on digits.val: ")), run.toString());
        assertEquals(names(test), names(metrics(evalFile.out(), "): ")), evalFile.toString());

        // three rows of the training file: features and label
        List<String> rows = new java.util.ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(REPO.resolve("samples/data/digits.csv.gz")))))) {
            for (int i = 0; i < 3; i++) rows.add(in.readLine());
        }
        Path input = dir.resolve("three.csv");
        Files.writeString(input, String.join("\n", rows) + "\n");
        Path output = dir.resolve("predictions.csv");
        Run predict = dlxc("predict", folder.toString(), input.toString(), "-o", output.toString());
        assertEquals(0, predict.code(), predict.toString());
        List<String> lines = Files.readAllLines(output);
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("class,p_zero,p_one,"), lines.get(0));
        String[] labels = {"zero", "one", "two"};
        for (int i = 0; i < 3; i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertEquals(11, cells.length);
            double sum = 0;
            for (int j = 1; j < 11; j++) sum += Double.parseDouble(cells[j]);
            assertEquals(1, sum, 1e-4);
            assertEquals(labels[Integer.parseInt(rows.get(i).substring(rows.get(i).lastIndexOf(',') + 1))], cells[0], lines.toString());
        }
        // the feature columns alone, with a header line, to standard output
        StringBuilder features = new StringBuilder("header");
        for (int j = 1; j < 64; j++) features.append(",f").append(j);
        features.append('\n').append(rows.get(0), 0, rows.get(0).lastIndexOf(',')).append('\n');
        Files.writeString(input, features.toString());
        Run stdout = dlxc("predict", folder.toString(), input.toString());
        assertEquals(0, stdout.code(), stdout.toString());
        assertTrue(stdout.out().startsWith("class,p_zero,"), stdout.toString());
        assertTrue(stdout.out().lines().skip(1).findFirst().orElseThrow().startsWith("zero,"), stdout.toString());
    }

    @Test
    void ctrlCStopsAfterTheBatchAndStillDrawsTheCurves(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("digits.dlx");
        Files.writeString(file, program());
        Path runs = dir.resolve("runs");
        // a real SIGINT to this JVM once the first epoch is printed: the run must stop on its own main
        // thread (exit 130) with the curves drawn, not shut the JVM down
        StringWriter text = new StringWriter();
        java.io.Writer raiser = new java.io.Writer() {
            private boolean raised;
            @Override public void write(char[] c, int off, int len) {
                text.write(c, off, len);
                if (!raised && text.toString().matches("(?s).*epoch +1/.*")) {
                    raised = true;
                    sun.misc.Signal.raise(new sun.misc.Signal("INT"));
                }
            }
            @Override public void flush() { }
            @Override public void close() { }
        };
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(raiser, true), new PrintWriter(err, true), "run", file.toString(), "--runs", runs.toString(),
            "--seed", "1", "--epochs", "500", "--progress", "plain");
        String all = "exit " + code + "\n" + text + "\n--- err\n" + err;
        assertEquals(130, code, all);
        assertTrue(text.toString().contains("interrupted: `last` holds the weights"), all);
        assertTrue(!err.toString().contains("cannot draw"), all);
        Path folder;
        try (Stream<Path> s = Files.list(runs)) {
            folder = s.filter(p -> p.getFileName().toString().startsWith("Mlp-")).findFirst().orElseThrow();
        }
        assertTrue(Files.size(folder.resolve("learning_curves.png")) > 1000, all);
        List<String> metrics = Files.readAllLines(folder.resolve("metrics.csv"));
        assertTrue(metrics.size() >= 2 && metrics.size() < 501, metrics.size() + " lines: the finished epochs, not all 500");
        assertTrue(metrics.get(1).startsWith("1,"), metrics.get(1));
    }

    /** `loss 0.12  accuracy 0.95` -> `loss accuracy`. */
    static String names(String metrics) {
        return metrics.replaceAll(" [^ ]+(  |$)", " ").trim();
    }

    /** The metrics after {@code marker} on the first line holding it, up to the sample count: `loss 0.12  accuracy 0.95`. */
    static String metrics(String out, String marker) {
        String line = out.lines().filter(l -> l.contains(marker)).findFirst().orElseThrow(() -> new AssertionError(marker + " in\n" + out));
        String rest = line.substring(line.indexOf(marker) + marker.length());
        return rest.substring(0, rest.indexOf("  (")).trim();
    }

    @Test
    void usageAndErrors(@TempDir Path dir) throws Exception {
        assertEquals(2, dlxc("run").code());
        assertEquals(2, dlxc("run", dir.resolve("missing.dlx").toString()).code());
        assertEquals(2, dlxc("run", "x.dlx", "--progress", "fancy").code());
        assertEquals(2, dlxc("run", "--epochs", "many", "x.dlx").code());
        assertEquals(2, dlxc("evaluate", dir.resolve("nothing").toString()).code());
        assertEquals(2, dlxc("predict", dir.toString()).code());
        Path bad = dir.resolve("bad.dlx");
        Files.writeString(bad, "model M(x [4]) {\n    dense 64 -> relu\n}\ntrain M on nowhere {\n    loss mse\n}\n");
        Run r = dlxc("run", bad.toString(), "--runs", dir.resolve("runs").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("error[") && r.err().contains("nothing was run"), r.toString());
        assertTrue(!Files.exists(dir.resolve("runs")));
        Path noTrain = dir.resolve("plain.dlx");
        Files.writeString(noTrain, "model M(x [4]) {\n    dense 2\n}\n");
        Run n = dlxc("run", noTrain.toString());
        assertEquals(1, n.code());
        assertTrue(n.err().contains("has no `train` block"), n.toString());
    }

    @Test
    void overfitBatch(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("digits.dlx");
        Files.writeString(file, program());
        Run r = dlxc("run", file.toString(), "--overfit-batch", "--seed", "2");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("overfitting one batch of 32 samples"), r.toString());
        assertTrue(r.out().contains("ok: the loss went near zero"), r.toString());
    }

    @Test
    void gradcheckReportsEveryLayerAndExplainsZeroGradients(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("g.dlx");
        Files.writeString(file, """
            model G(x [6, 6, 1]) -> [3] {
                conv 4 3 -> batchnorm -> relu
                flatten
                dense 3 -> softmax
            }
            """);
        Run r = dlxc("gradcheck", file.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("gradient check of `G` with categorical_crossentropy"), r.toString());
        for (String layer : List.of("conv_1", "batchnorm_1", "dense_1")) assertTrue(r.out().contains(layer), r.toString());
        assertTrue(r.out().contains("largest relative error"), r.toString());
        // the conv bias right before batchnorm has a zero gradient
        assertTrue(r.out().contains("ok (zero gradient)") && r.out().contains("`conv_1/bias` is zero"), r.toString());
    }

    /** A bias whose windows lie in zero padding puts a relu's input at exactly 0: those entries are left out, not failed. */
    @Test
    void gradcheckLeavesOutStepsAcrossAKink(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.dlx");
        Files.writeString(file, """
            model P(image [8, 8, 1]) -> [10] {
                conv 4 3 stride 2 padding full -> relu
                conv 4 2 padding 2x1 -> relu
                conv 4 3 stride 3 padding same
                flatten
                dense 10 -> softmax
            }
            """);
        Run r = dlxc("gradcheck", file.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("entries of `conv_2/bias` left out"), r.toString());
        assertTrue(!r.out().contains("FAIL"), r.toString());
    }
}
