package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.run.RunFolder;
import dev.dlx.runtime.train.Checkpoint;
import dev.dlx.runtime.train.StepLosses;
import dev.dlx.runtime.train.WeightDifference;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `dlxc run --workers N`: worker processes on loopback ports training synchronously data-parallel
 * on TensorFlow's distributed runtime (each test starts its own processes: a TensorFlow server
 * lives until its process ends).
 */
class WorkersTest {
    static final Path REPO = Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize();

    record Run(int code, String out, String err) {
        @Override public String toString() { return "exit " + code + "\n--- out\n" + out + "--- err\n" + err; }
    }

    static Run dlxc(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The `last` checkpoint of the one run folder under {@code runs}. */
    static Checkpoint last(Path runs) throws Exception {
        try (Stream<Path> s = Files.walk(runs)) {
            List<Path> found = s.filter(p -> p.getFileName().toString().equals(RunFolder.LAST)).toList();
            assertEquals(1, found.size(), "one run folder under " + runs + ": " + found);
            return Checkpoint.read(found.get(0));
        }
    }

    @Test
    void twoWorkersOnTheDigitsSampleEndWithTheSameWeights(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs"), others = dir.resolve("workers");
        Run run = dlxc("run", REPO.resolve("samples/digits.dlx").toString(), "--workers", "2", "--epochs", "1", "--seed", "3",
            "--runs", runs.toString(), "--worker-runs", others.toString(), "--progress", "plain", "--collective-timeout", "120");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("2 local workers"), run.toString());
        assertTrue(run.out().contains("epoch 1/1"), run.toString());
        Checkpoint chief = last(runs), other = last(others.resolve("task-1"));
        assertEquals(chief.weights().keySet(), other.weights().keySet());
        int compared = 0, moving = 0;
        for (Map.Entry<String, float[]> e : chief.weights().entrySet()) {
            // every weight is the same, batch normalization's moving statistics too (their mean over the workers each step)
            assertArrayEquals(e.getValue(), other.weights().get(e.getKey()), 0f, e.getKey());
            compared++;
            if (e.getKey().contains("moving")) moving++;
        }
        assertTrue(compared >= 8, "weights compared: " + compared);
        assertTrue(moving >= 4, "moving statistics compared: " + moving);
        // the weights did train: the first convolution's kernel is not the same as a fresh run's initial one
        assertFalse(chief.optimizer().isEmpty());
    }

    static String mlp(int batch) {
        return """
            dataset digits {
                source csv "%s" { features 0..63, label 64 }
                features scale 1/16
                labels classes 10 onehot
                split train 70%%, val 15%%, test 15%% shuffle seed 42 stratify
                normalize featurewise
                batch %d
            }
            model Mlp(x [64]) -> [10] {
                dense 32 -> relu
                dense 10 -> softmax
            }
            train Mlp on digits {
                loss categorical_crossentropy
                optimizer sgd lr 0.1
                init glorot_uniform seed 5
                epochs 1
            }
            """.formatted(REPO.resolve("samples/data/digits.csv.gz"), batch);
    }

    /**
     * 2 workers with batch 16 take batches 0, 2, 4, ... and 1, 3, 5, ... of the same shuffled order:
     * each step averages their two gradients, the gradient of the 32 samples of batch k of 1 worker
     * with batch 32 on that order (both drop the same last 1257 mod 32 = 9 samples). After the epoch's
     * 39 steps every weight agrees within 1e-5 of the largest weight's magnitude.
     */
    @Test
    void twoWorkersWithBatch16TrainAsOneWithBatch32(@TempDir Path dir) throws Exception {
        Path two = dir.resolve("two.dlx"), one = dir.resolve("one.dlx");
        Files.writeString(two, mlp(16));
        Files.writeString(one, mlp(32));
        Run a = dlxc("run", two.toString(), "--workers", "2", "--seed", "9", "--runs", dir.resolve("runs2").toString(), "--progress", "plain");
        assertEquals(0, a.code(), a.toString());
        Run b = dlxc("run", one.toString(), "--workers", "1", "--seed", "9", "--runs", dir.resolve("runs1").toString(), "--progress", "plain");
        assertEquals(0, b.code(), b.toString());
        float[] d = difference(last(dir.resolve("runs2")).weights(), last(dir.resolve("runs1")).weights());
        assertTrue(d[1] > 0);
        System.out.printf("2 workers x 16 vs 1 x 32, one epoch: largest weight difference %.3g, largest weight %.3g%n", d[0], d[1]);
        assertTrue(d[0] <= 1e-5 * d[1], "largest difference " + d[0] + " of weights up to " + d[1]);
    }

    /** The largest difference between the weights of {@code a} and {@code b} (the same names), and the largest weight of {@code b}. */
    static float[] difference(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(b.keySet(), a.keySet());
        WeightDifference d = WeightDifference.of(a, b);
        return new float[] {(float) d.largest(), (float) d.scale()};
    }

    /** Every worker's `last` checkpoint: the chief's under {@code runs}, worker i's under {@code others/task-i}; all bit-equal. */
    static Map<String, float[]> sameOnEveryWorker(Path runs, Path others, int n) throws Exception {
        Map<String, float[]> chief = last(runs).weights();
        for (int i = 1; i < n; i++) {
            Map<String, float[]> other = last(others.resolve("task-" + i)).weights();
            assertEquals(chief.keySet(), other.keySet());
            for (String k : chief.keySet()) assertArrayEquals(chief.get(k), other.get(k), 0f, "worker " + i + ": " + k);
        }
        return chief;
    }

    /**
     * 3 workers with batch 16 against 1 process with batch 48 on the same order (batches 3k, 3k+1
     * and 3k+2 of 16 are batch k of 48; both drop the last 1257 mod 48 = 9 samples, the one
     * process as `--workers 1`): after the
     * epoch's 26 steps the three workers hold bit-equal weights, and those agree with the single
     * process's within 1e-5 of the largest weight (float sums in another order). With `--log-every 5`
     * the chief's steps.csv (the loss of every 5 steps' global batches) is the single process's within
     * 1e-5 relative, and the other workers write none.
     */
    @Test
    void threeWorkersWithBatch16TrainAsOneWithBatch48(@TempDir Path dir) throws Exception {
        Path three = dir.resolve("three.dlx"), one = dir.resolve("one.dlx");
        Files.writeString(three, mlp(16));
        Files.writeString(one, mlp(48));
        Path others = dir.resolve("workers");
        Run a = dlxc("run", three.toString(), "--workers", "3", "--seed", "9", "--runs", dir.resolve("runs3").toString(),
            "--worker-runs", others.toString(), "--progress", "plain", "--log-every", "5");
        assertEquals(0, a.code(), a.toString());
        assertTrue(a.out().contains("3 local workers"), a.toString());
        Run b = dlxc("run", one.toString(), "--workers", "1", "--seed", "9", "--runs", dir.resolve("runs1").toString(), "--progress", "plain",
            "--log-every", "5");
        assertEquals(0, b.code(), b.toString());
        Map<String, float[]> wa = sameOnEveryWorker(dir.resolve("runs3"), others, 3), wb = last(dir.resolve("runs1")).weights();
        float[] d = difference(wa, wb);
        System.out.printf("3 workers x 16 vs 1 x 48, one epoch: largest weight difference %.3g, largest weight %.3g%n", d[0], d[1]);
        assertTrue(d[1] > 0);
        assertTrue(d[0] <= 1e-5 * d[1], "largest difference " + d[0] + " of weights up to " + d[1]);
        List<StepLosses.Row> sa = steps(dir.resolve("runs3")), sb = steps(dir.resolve("runs1"));
        // 26 steps: rows after 5, 10, 15, 20, 25 and the epoch's last
        assertEquals(List.of(5, 10, 15, 20, 25, 26), sb.stream().map(StepLosses.Row::batch).toList());
        assertEquals(List.of(5, 5, 5, 5, 5, 1), sb.stream().map(StepLosses.Row::batches).toList());
        assertEquals(sb.stream().map(StepLosses.Row::step).toList(), sa.stream().map(StepLosses.Row::step).toList());
        for (int i = 0; i < sb.size(); i++) {
            double x = sa.get(i).loss(), y = sb.get(i).loss();
            assertTrue(Math.abs(x - y) <= 1e-5 * Math.abs(y), "steps.csv row " + (i + 1) + ": " + x + " on 3 workers, " + y + " in one process");
        }
        for (int i = 1; i < 3; i++) {
            try (Stream<Path> s = Files.walk(others.resolve("task-" + i))) {
                assertTrue(s.noneMatch(p -> p.getFileName().toString().equals(RunFolder.STEPS)), "worker " + i + " wrote steps.csv");
            }
        }
    }

    /** `--log-every` takes a number of steps: 0 is a usage error said before anything is read. */
    @Test
    void logEveryTakesOneStepOrMore(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("one.dlx");
        Files.writeString(file, mlp(32));
        Run r = dlxc("run", file.toString(), "--log-every", "0", "--workers", "2", "--runs", dir.resolve("runs").toString());
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertEquals("dlxc run: --log-every takes a number of steps, 1 or more, not 0", r.err().strip(), r.toString());
        assertFalse(Files.exists(dir.resolve("runs")));
    }

    /** The rows of steps.csv of the one run folder under {@code runs}. */
    static List<StepLosses.Row> steps(Path runs) throws Exception {
        try (Stream<Path> s = Files.list(runs)) {
            return RunFolder.open(s.filter(Files::isDirectory).findFirst().orElseThrow()).readSteps();
        }
    }

    /**
     * Batch normalization on the input, 3 workers with batch 16: every worker ends with the same
     * moving statistics, and the moving mean, the mean over the workers of their batch means each
     * step, is the one process with batch 48 (`--workers 1`) reaches (the input does not depend on the weights);
     * the moving variance, the workers' mean batch variance, is a little below that process's
     * (it leaves out the spread of the three batch means) but close.
     */
    @Test
    void batchNormsMovingStatisticsAreTheSameOnEveryWorker(@TempDir Path dir) throws Exception {
        Path three = dir.resolve("three.dlx"), one = dir.resolve("one.dlx");
        String bn = "model Mlp(x [64]) -> [10] {\n                batchnorm\n";
        // the features as read (0 to 1), not normalized: their means are far from the moving mean's start, 0
        Files.writeString(three, mlp(16).replace("model Mlp(x [64]) -> [10] {\n", bn).replace("normalize featurewise\n", ""));
        Files.writeString(one, mlp(48).replace("model Mlp(x [64]) -> [10] {\n", bn).replace("normalize featurewise\n", ""));
        Path others = dir.resolve("workers");
        Run a = dlxc("run", three.toString(), "--workers", "3", "--seed", "9", "--runs", dir.resolve("runs3").toString(),
            "--worker-runs", others.toString(), "--progress", "plain");
        assertEquals(0, a.code(), a.toString());
        Run b = dlxc("run", one.toString(), "--workers", "1", "--seed", "9", "--runs", dir.resolve("runs1").toString(), "--progress", "plain");
        assertEquals(0, b.code(), b.toString());
        Map<String, float[]> wa = sameOnEveryWorker(dir.resolve("runs3"), others, 3), wb = last(dir.resolve("runs1")).weights();
        String mean = wa.keySet().stream().filter(k -> k.endsWith("/moving_mean")).findFirst().orElseThrow();
        String variance = mean.replace("moving_mean", "moving_variance");
        float[] dm = difference(Map.of(mean, wa.get(mean)), Map.of(mean, wb.get(mean)));
        float[] dv = difference(Map.of(variance, wa.get(variance)), Map.of(variance, wb.get(variance)));
        System.out.printf("moving mean: largest difference %.3g of values up to %.3g; moving variance: %.3g of %.3g%n", dm[0], dm[1], dv[0], dv[1]);
        // after 26 steps of momentum 0.99 the moving mean has gone about a fifth of the way from 0 to the features' means (up to 0.8)
        assertTrue(dm[1] > 0.05, "the moving mean moved: " + dm[1]);
        assertTrue(dm[0] <= 1e-5 * Math.max(1, dm[1]), "moving mean: largest difference " + dm[0]);
        assertTrue(dv[0] <= 0.02 * dv[1], "moving variance: largest difference " + dv[0] + " of values up to " + dv[1]);
    }

    /** A run of one process, resumed for a second epoch on 2 workers: both continue from its weights, and end with the same ones. */
    @Test
    void aRunResumesOnADifferentNumberOfWorkers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("one.dlx");
        Files.writeString(file, mlp(16));
        Path runs = dir.resolve("runs"), others = dir.resolve("workers");
        Run first = dlxc("run", file.toString(), "--seed", "2", "--runs", runs.toString(), "--progress", "plain");
        assertEquals(0, first.code(), first.toString());
        Path folder;
        try (Stream<Path> s = Files.list(runs)) {
            folder = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Map<String, float[]> before = last(runs).weights();
        Run resumed = dlxc("run", "--resume", folder.toString(), "--epochs", "2", "--workers", "2", "--worker-runs", others.toString(),
            "--progress", "plain");
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.out().contains("epoch 2/2"), resumed.toString());
        Checkpoint chief = last(runs), other = last(others.resolve("task-1"));
        assertEquals(2, chief.epoch());
        for (String k : before.keySet()) {
            assertArrayEquals(chief.weights().get(k), other.weights().get(k), 0f, k);
            assertFalse(java.util.Arrays.equals(before.get(k), chief.weights().get(k)), k + " trained in epoch 2");
        }
    }

    /**
     * A worker killed during training: the chief fails with a clear message (no hang, within the
     * collective timeout), its `last` checkpoint of the epochs done is intact, and the run resumes
     * from it on 2 local workers.
     */
    @Test
    void aWorkerKilledDuringTrainingFailsTheChiefClearly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("long.dlx");
        Files.writeString(file, mlp(16).replace("epochs 1", "epochs 200"));
        Path cluster = twoPorts(dir);
        Process chief = worker(dir, file, cluster, 0, "--seed", "4", "--progress", "plain");
        Process other = worker(dir, file, cluster, 1, "--seed", "4", "--progress", "plain");
        Path out0 = dir.resolve("out-0.txt");
        for (int i = 0; i < 600 && !Files.readString(out0).contains(" 3/200  loss"); i++) Thread.sleep(200);
        assertTrue(Files.readString(out0).contains(" 3/200  loss"), Files.readString(out0));
        other.destroyForcibly().waitFor();
        boolean ended = chief.waitFor(120, TimeUnit.SECONDS);
        if (!ended) chief.destroyForcibly().waitFor();
        String output = Files.readString(out0);
        assertTrue(ended, "the chief did not end: " + output);
        assertEquals(1, chief.exitValue(), output);
        assertTrue(output.contains("error: worker 0 of 2: a step with the other workers failed"), output);
        assertFalse(output.contains("\tat "), output);
        Checkpoint kept = last(dir.resolve("runs"));
        assertTrue(kept.epoch() >= 2, output);
        // the chief's run folder resumes on 2 local workers and finishes the next epoch
        resumesOnTwoWorkers(dir, dir.resolve("runs"), kept.epoch() + 1);
    }

    /** The chief's run folder under {@code runs} resumed on 2 local workers up to epoch {@code epochs}: it finishes that epoch. */
    private static void resumesOnTwoWorkers(Path dir, Path runs, int epochs) throws Exception {
        Path folder;
        try (Stream<Path> s = Files.list(runs)) {
            folder = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Run resumed = dlxc("run", "--resume", folder.toString(), "--epochs", String.valueOf(epochs), "--workers", "2",
            "--worker-runs", dir.resolve("workers2").toString(), "--progress", "plain", "--collective-timeout", "120");
        assertEquals(0, resumed.code(), resumed.toString());
        assertTrue(resumed.out().contains("epoch " + epochs + "/" + epochs), resumed.toString());
        assertEquals(epochs, last(runs).epoch());
    }

    /**
     * Ctrl-C at `dlxc run --workers 3` (SIGINT to the launcher's process group, as a terminal sends
     * it): every worker stops after the same batch (their `last` checkpoints are bit-equal, which a
     * worker stopping a batch later would not be), none fails waiting for a peer, the launcher ends
     * with exit 130 and the chief says how to resume; resuming the chief's run folder on 2 workers
     * finishes the run, and its steps.csv goes on from the steps the 3 workers took.
     */
    @Test
    void ctrlCStopsEveryWorkerAfterTheSameBatchAndTheRunResumesOnTwo(@TempDir Path dir) throws Exception {
        Path setsid = Path.of("/usr/bin/setsid");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(setsid), "no setsid to give the launcher a process group of its own");
        Path runs = dir.resolve("runs"), others = dir.resolve("workers");
        interrupted(dir, 3, setsid, "--log-every", "7");
        sameOnEveryWorker(runs, others, 3);
        // the interrupted epoch begins again on 2 workers: steps.csv goes on counting the steps taken
        stepsGoOn(dir, 3, 2, 7);
    }

    /**
     * Ctrl-C sent to the launcher alone (`kill -INT PID`, not its process group): it passes the request
     * on to its workers, and they stop after the same batch as when the terminal's Ctrl-C reaches
     * them all. The run was started with `--log-every 7`: resumed on 2 workers without it, it goes on
     * writing steps.csv from where the stop left it (see {@link #stepsGoOn}).
     */
    @Test
    void ctrlCSentToTheLauncherAloneStopsEveryWorker(@TempDir Path dir) throws Exception {
        interrupted(dir, 2, null, "--log-every", "7");
        sameOnEveryWorker(dir.resolve("runs"), dir.resolve("workers"), 2);
        stepsGoOn(dir, 2, 2, 7);
    }

    /** Ctrl-C at a single `dlxc run --log-every 7`: resumed without the option, it goes on writing steps.csv (see {@link #stepsGoOn}). */
    @Test
    void aRunInterruptedInOneProcessGoesOnWritingItsSteps(@TempDir Path dir) throws Exception {
        interrupted(dir, 0, null, "--log-every", "7");
        stepsGoOn(dir, 0, 0, 7);
    }

    /**
     * The run under {@code dir}/runs, interrupted with `--log-every K` on {@code before} workers (0:
     * one process), resumed on {@code after} without `--log-every` up to the epoch after its `last`:
     * steps.csv as the stop left it is where the final file starts (nothing cut: the stop wrote its
     * rows up to the batch `last` holds, and an epoch begun again on another number of workers keeps
     * the rows of the steps it took), and the final file's rows, every K steps or fewer, join up from
     * step 0 with no gap and no overlap (each row the steps (step - batches, step]) up to every
     * optimizer step taken: the stop's epochs and batches, then the rest of its epoch, or all of it
     * begun again on another number of workers (the training samples in batches of 16, shared by the workers).
     */
    static void stepsGoOn(Path dir, int before, int after, int k) throws Exception {
        Path runs = dir.resolve("runs"), folder;
        try (Stream<Path> s = Files.list(runs)) {
            folder = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path steps = folder.resolve(RunFolder.STEPS);
        String stopped = Files.readString(steps);
        Checkpoint kept = last(runs);
        int epochs = kept.epoch() + 1, batchesDone = kept.meta().has("batches_done") ? kept.meta().get("batches_done").getAsInt() : 0;
        int train = com.google.gson.JsonParser.parseString(Files.readString(folder.resolve(RunFolder.RUN_JSON)))
            .getAsJsonObject().getAsJsonObject("split").get("train").getAsInt();
        long stepsAtStop = kept.epoch() * perEpoch(train, before) + batchesDone;
        List<StepLosses.Row> atStop = RunFolder.open(folder).readSteps();
        assertEquals(stepsAtStop, atStop.get(atStop.size() - 1).step(), stopped);
        List<String> args = new java.util.ArrayList<>(List.of("run", "--resume", folder.toString(), "--epochs", String.valueOf(epochs),
            "--progress", "plain"));
        if (after > 0) args.addAll(List.of("--workers", String.valueOf(after), "--worker-runs", dir.resolve("workers2").toString(),
            "--collective-timeout", "120"));
        Run resumed = dlxc(args.toArray(String[]::new));
        assertEquals(0, resumed.code(), resumed.toString());
        assertEquals(epochs, last(runs).epoch());
        String end = Files.readString(steps);
        assertTrue(end.startsWith(stopped) && end.length() > stopped.length(), "steps.csv before the stop:\n" + stopped + "after:\n" + end);
        long expected = before == after ? epochs * perEpoch(train, after) : stepsAtStop + perEpoch(train, after), reached = 0;
        List<StepLosses.Row> rows = RunFolder.open(folder).readSteps();
        for (StepLosses.Row r : rows) {
            assertEquals(reached, r.step() - r.batches(), "the row after " + reached + " steps: " + r + "\n" + end);
            assertTrue(r.batches() >= 1 && r.batches() <= k, r.toString());
            reached = r.step();
        }
        assertEquals(expected, reached, end);
        assertEquals(expected, last(runs).meta().get("steps_done").getAsLong(), "`last` counts the steps too");
    }

    /** The steps of an epoch of {@code train} samples in batches of 16: one process trains the last, smaller batch too; workers drop it. */
    private static long perEpoch(int train, int workers) { return workers == 0 ? (train + 15) / 16 : train / 16 / workers; }

    /** A run keeps its `--log-every`: resumed without it, steps.csv goes on; with another value, the resume is refused and nothing changes. */
    @Test
    void logEveryIsKeptOnResume(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("one.dlx");
        Files.writeString(file, mlp(32));
        Path runs = dir.resolve("runs");
        Run first = dlxc("run", file.toString(), "--seed", "2", "--runs", runs.toString(), "--progress", "quiet", "--log-every", "10");
        assertEquals(0, first.code(), first.toString());
        Path folder;
        try (Stream<Path> s = Files.list(runs)) {
            folder = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertEquals(10, com.google.gson.JsonParser.parseString(Files.readString(folder.resolve(RunFolder.RUN_JSON)))
            .getAsJsonObject().get("log_every").getAsInt());
        // 40 steps an epoch (1257 samples in batches of 32): rows after 10, 20, 30 and 40
        assertEquals(4, steps(runs).size());
        Run again = dlxc("run", "--resume", folder.toString(), "--epochs", "2", "--progress", "quiet");
        assertEquals(0, again.code(), again.toString());
        List<StepLosses.Row> rows = steps(runs);
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L), rows.stream().map(StepLosses.Row::step).toList());
        // the same value again is fine
        Run same = dlxc("run", "--resume", folder.toString(), "--epochs", "3", "--progress", "quiet", "--log-every", "10");
        assertEquals(0, same.code(), same.toString());
        assertEquals(12, steps(runs).size());
        // another value: refused, in one process and with --workers, before anything in the folder changes
        Map<String, byte[]> files = contents(folder);
        for (List<String> more : List.of(List.<String>of(), List.of("--workers", "2"))) {
            List<String> args = new java.util.ArrayList<>(List.of("run", "--resume", folder.toString(), "--epochs", "4", "--log-every", "5"));
            args.addAll(more);
            Run other = dlxc(args.toArray(String[]::new));
            assertEquals(Main.USAGE, other.code(), other.toString());
            assertEquals("dlxc run: --log-every 5 does not go with --resume of a run started with --log-every 10 "
                + "(a run keeps the settings it was started with)", other.err().strip(), other.toString());
            assertEquals("", other.out(), other.toString());
            assertSameContents(files, contents(folder));
        }
        // a run folder from before run.json recorded it: the value given on resume goes, and is kept from then on
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(Files.readString(folder.resolve(RunFolder.RUN_JSON))).getAsJsonObject();
        json.remove("log_every");
        Files.writeString(folder.resolve(RunFolder.RUN_JSON), json.toString());
        Run legacy = dlxc("run", "--resume", folder.toString(), "--epochs", "4", "--progress", "quiet", "--log-every", "10");
        assertEquals(0, legacy.code(), legacy.toString());
        assertEquals(16, steps(runs).size());
        assertEquals(10, com.google.gson.JsonParser.parseString(Files.readString(folder.resolve(RunFolder.RUN_JSON)))
            .getAsJsonObject().get("log_every").getAsInt());
        // a run started without it
        Path plain = dir.resolve("plain");
        Run none = dlxc("run", file.toString(), "--seed", "2", "--runs", plain.toString(), "--progress", "quiet");
        assertEquals(0, none.code(), none.toString());
        Path noneFolder;
        try (Stream<Path> s = Files.list(plain)) {
            noneFolder = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Map<String, byte[]> noneFiles = contents(noneFolder);
        Run given = dlxc("run", "--resume", noneFolder.toString(), "--epochs", "2", "--log-every", "5");
        assertEquals(Main.USAGE, given.code(), given.toString());
        assertEquals("dlxc run: --log-every 5 does not go with --resume of a run started without --log-every "
            + "(a run keeps the settings it was started with)", given.err().strip(), given.toString());
        assertSameContents(noneFiles, contents(noneFolder));
        assertFalse(Files.exists(noneFolder.resolve(RunFolder.STEPS)));
    }

    /** Every file under {@code dir} by its relative path, with its bytes. */
    static Map<String, byte[]> contents(Path dir) throws Exception {
        Map<String, byte[]> out = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
        }
        return out;
    }

    static void assertSameContents(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) assertArrayEquals(expected.get(k), actual.get(k), k + " changed");
    }

    /**
     * `dlxc run --workers N` on a long training, interrupted (SIGINT) once the chief has trained 2
     * epochs: to its process group when started through {@code setsid} (as a terminal's Ctrl-C),
     * else to the launcher alone. Checks that the launcher ended with exit 130, said every worker
     * stopped after the same batch, and the chief said how to resume; returns the output. With
     * {@code n} 0, a single `dlxc run` (no workers) interrupted the same way; {@code more}: further options.
     */
    static String interrupted(Path dir, int n, Path setsid, String... more) throws Exception {
        Path file = dir.resolve("long.dlx");
        Files.writeString(file, mlp(16).replace("epochs 1", "epochs 200"));
        Path runs = dir.resolve("runs"), others = dir.resolve("workers"), out = dir.resolve("out.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>();
        if (setsid != null) cmd.add(setsid.toString());
        cmd.addAll(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", file.toString(),
            "--seed", "4", "--runs", runs.toString(), "--progress", "plain"));
        // n 0: one process, not launched workers
        if (n > 0) cmd.addAll(List.of("--workers", String.valueOf(n), "--worker-runs", others.toString(), "--collective-timeout", "120"));
        cmd.addAll(List.of(more));
        Process launcher = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            for (int i = 0; i < 1500 && !Files.readString(out).contains(" 2/200  loss") && launcher.isAlive(); i++) Thread.sleep(200);
            assertTrue(Files.readString(out).contains(" 2/200  loss"), Files.readString(out));
            // setsid runs java in its place: the launcher's pid is its process group's id
            String target = setsid != null ? "-" + launcher.pid() : String.valueOf(launcher.pid());
            assertEquals(0, new ProcessBuilder("kill", "-INT", "--", target).start().waitFor());
            assertTrue(launcher.waitFor(180, TimeUnit.SECONDS), "the launcher did not end: " + Files.readString(out));
        } finally {
            if (launcher.isAlive()) launcher.destroyForcibly().waitFor();
        }
        String output = Files.readString(out);
        assertEquals(130, launcher.exitValue(), output);
        assertFalse(output.contains("failed") || output.contains("\tat "), output);
        // one process may also stop between two epochs (its epochs are short), which says so
        assertTrue(output.contains(n == 0 ? "interrupted: `last` holds the weights after "
            : "interrupted: `last` holds the weights after the last batch; continue with `dlxc run --resume "), output);
        if (n == 0) return output;
        assertTrue(output.contains("every worker stops after the same batch"), output);
        assertTrue(output.contains(" --workers " + n + "` (every worker stopped after the same batch"), output);
        assertTrue(output.contains("dlxc: all " + n + " workers stopped after the same batch"), output);
        assertFalse(output.contains("failed") || output.contains("\tat "), output);
        return output;
    }

    /** The launched workers run with the JVM options and TensorFlow settings of dlx's cli/jvm files, as a single `dlxc run` does. */
    @Test
    void launchedWorkersGetTheOptionsOfASingleRun(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("cli/jvm"));
        Files.writeString(home.resolve("cli/jvm/train.options"), "-XX:TieredStopAtLevel=1  -XX:+UseSerialGC\n");
        Files.writeString(home.resolve("cli/jvm/tensorflow.env"), "# a comment\nDLX_WORKER_SETTING=7\nPATH=/nowhere\n");
        ProcessBuilder pb = LocalWorkers.worker(home, List.of("run", "a.dlx"), List.of("--task", "1"));
        List<String> cmd = pb.command();
        assertEquals(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Ddlx.home=" + home), cmd.subList(1, 4));
        assertEquals(List.of("run", "a.dlx", "--task", "1"), cmd.subList(cmd.size() - 4, cmd.size()));
        assertEquals(Main.class.getName(), cmd.get(cmd.size() - 5));
        assertEquals("7", pb.environment().get("DLX_WORKER_SETTING"));
        // a setting already in the environment wins, as in `dlxc`
        assertEquals(System.getenv("PATH"), pb.environment().get("PATH"));
        assertFalse(pb.environment().containsKey("TF_CONFIG"));
        // started otherwise than by `dlxc`: no options of its own
        assertEquals(List.of("-cp", System.getProperty("java.class.path")), LocalWorkers.worker(null, List.of(), List.of()).command().subList(1, 3));
    }

    /** Two workers started with different programs (here, different --epochs) both refuse to train. */
    @Test
    void workersWithDifferentProgramsRefuseToTrain(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("one.dlx");
        Files.writeString(file, mlp(32));
        Path cluster = twoPorts(dir);
        Process[] p = new Process[2];
        for (int i = 0; i < 2; i++) {
            p[i] = worker(dir, file, cluster, i, "--epochs", String.valueOf(1 + i));
        }
        for (int i = 0; i < 2; i++) {
            assertTrue(p[i].waitFor(120, TimeUnit.SECONDS), "worker " + i + " did not end");
            String output = Files.readString(dir.resolve("out-" + i + ".txt"), StandardCharsets.UTF_8);
            assertEquals(1, p[i].exitValue(), output);
            assertTrue(output.contains("error: worker " + i + ": the workers run different programs"), output);
        }
        assertFalse(Files.exists(dir.resolve("runs")));
    }

    static Path twoPorts(Path dir) throws Exception {
        int p0, p1;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            p0 = a.getLocalPort();
            p1 = b.getLocalPort();
        }
        Path cluster = dir.resolve("cluster.json");
        Files.writeString(cluster, "{\"worker\": [\"localhost:" + p0 + "\", \"localhost:" + p1 + "\"]}");
        return cluster;
    }

    static Process worker(Path dir, Path file, Path cluster, int task, String... more) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
            file.toString(), "--cluster", cluster.toString(), "--task", String.valueOf(task), "--collective-timeout", "60",
            "--runs", dir.resolve("runs").toString()));
        cmd.addAll(List.of(more));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out-" + task + ".txt").toFile()).start();
    }

    /**
     * Two `--cluster/--task` workers resumed as a scheduler would start them again, one of them
     * without `--log-every` and one with the same K: each takes K from the chief's run.json before
     * the program hash, so both run the same program, meet, and steps.csv goes on.
     */
    @Test
    void clusterWorkersResumedWithAndWithoutLogEveryAgree(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("one.dlx");
        Files.writeString(file, mlp(32));
        Process[] p = new Process[2];
        Path cluster = twoPorts(dir);
        for (int i = 0; i < 2; i++) p[i] = worker(dir, file, cluster, i, "--seed", "2", "--log-every", "5", "--worker-runs", dir.resolve("w").toString());
        ended(dir, p);
        Path folder;
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            folder = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        int train = com.google.gson.JsonParser.parseString(Files.readString(folder.resolve(RunFolder.RUN_JSON)))
            .getAsJsonObject().getAsJsonObject("split").get("train").getAsInt();
        long perEpoch = train / 32 / 2; // the steps of an epoch: whole rounds of 2 full batches of 32
        assertEquals(perEpoch, steps(dir.resolve("runs")).get(steps(dir.resolve("runs")).size() - 1).step());
        cluster = twoPorts(dir);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int i = 0; i < 2; i++) {
            List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run",
                "--resume", folder.toString(), "--epochs", "2", "--cluster", cluster.toString(), "--task", String.valueOf(i),
                "--collective-timeout", "60", "--worker-runs", dir.resolve("w2").toString()));
            if (i == 1) cmd.addAll(List.of("--log-every", "5"));
            p[i] = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out-" + i + ".txt").toFile()).start();
        }
        ended(dir, p);
        long reached = 0;
        for (StepLosses.Row r : steps(dir.resolve("runs"))) {
            assertEquals(reached, r.step() - r.batches(), r.toString());
            reached = r.step();
        }
        assertEquals(2 * perEpoch, reached);
    }

    /** Waits for the workers {@code p}, each of which must end with exit 0. */
    private static void ended(Path dir, Process[] p) throws Exception {
        for (int i = 0; i < p.length; i++) {
            boolean ended = p[i].waitFor(180, TimeUnit.SECONDS);
            if (!ended) p[i].destroyForcibly().waitFor();
            String output = Files.readString(dir.resolve("out-" + i + ".txt"), StandardCharsets.UTF_8);
            assertTrue(ended, "worker " + i + " did not end: " + output);
            assertEquals(0, p[i].exitValue(), "worker " + i + ": " + output);
        }
    }

    /** Worker 1 of a cluster whose worker 0 never starts: it fails with a clear message after the collective timeout. */
    @Test
    void aWorkerThatNeverStartsIsAClearErrorWithinTheTimeout(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("one.dlx");
        Files.writeString(file, mlp(32));
        int p0, p1;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            p0 = a.getLocalPort();
            p1 = b.getLocalPort();
        }
        Path cluster = dir.resolve("cluster.json");
        Files.writeString(cluster, "{\"worker\": [\"localhost:" + p0 + "\", \"localhost:" + p1 + "\"]}");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", file.toString(),
            "--cluster", cluster.toString(), "--task", "1", "--collective-timeout", "5", "--runs", dir.resolve("runs").toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        if (!ended) p.destroyForcibly().waitFor();
        String output = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        assertTrue(ended, "worker 1 did not end: " + output);
        assertEquals(1, p.exitValue(), output);
        assertTrue(output.contains("worker 1 of 2 cannot meet the other workers within 5 s"), output);
        assertFalse(output.contains("\tat "), output);
    }
}
