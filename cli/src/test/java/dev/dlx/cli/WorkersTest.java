package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.run.RunFolder;
import dev.dlx.runtime.train.Checkpoint;
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
    private static final Path REPO = Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize();

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
        int compared = 0;
        for (Map.Entry<String, float[]> e : chief.weights().entrySet()) {
            // batch normalization's moving statistics are each worker's own (of its own batches); every trained weight is the same
            if (e.getKey().contains("moving")) continue;
            assertArrayEquals(e.getValue(), other.weights().get(e.getKey()), 0f, e.getKey());
            compared++;
        }
        assertTrue(compared >= 8, "trained weights compared: " + compared);
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
        Map<String, float[]> wa = last(dir.resolve("runs2")).weights(), wb = last(dir.resolve("runs1")).weights();
        assertEquals(wb.keySet(), wa.keySet());
        float scale = 0, worst = 0, moved = 0;
        Map<String, float[]> init = null;
        for (String k : wb.keySet()) {
            float[] x = wa.get(k), y = wb.get(k);
            for (int i = 0; i < y.length; i++) {
                scale = Math.max(scale, Math.abs(y[i]));
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        assertTrue(scale > 0);
        System.out.printf("2 workers x 16 vs 1 x 32, one epoch: largest weight difference %.3g, largest weight %.3g%n", worst, scale);
        assertTrue(worst <= 1e-5 * scale, "largest difference " + worst + " of weights up to " + scale);
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
     * collective timeout) and its `last` checkpoint of the epochs done is intact.
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
        assertTrue(last(dir.resolve("runs")).epoch() >= 2, output);
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
