package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SessionDevices;
import org.tensorflow.proto.ConfigProto;

/** `dlxc run --device`: the CPU side, which every machine has (GpuTrainingTest trains on a GPU where there is one). */
class DeviceOptionTest {
    /** `--device cpu` says what TensorFlow sees and trains exactly as a run that names no device (the CPU of the CPU build). */
    @Test
    void onTheCpuARunSaysSoAndTrainsAsWithoutTheOption(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mlp.dlx");
        Files.writeString(file, WorkersTest.mlp(32));
        WorkersTest.Run cpu = WorkersTest.dlxc("run", file.toString(), "--device", "cpu", "--seed", "4", "--runs", dir.resolve("a").toString(), "--progress", "plain");
        assertEquals(0, cpu.code(), cpu.toString());
        assertTrue(cpu.out().startsWith("device: cpu (TensorFlow sees CPU:0"), cpu.toString());
        WorkersTest.Run plain = WorkersTest.dlxc("run", file.toString(), "--seed", "4", "--runs", dir.resolve("b").toString(), "--progress", "plain");
        assertEquals(0, plain.code(), plain.toString());
        if (!SessionDevices.builtWithGpu()) assertFalse(plain.out().contains("device:"), plain.toString());
        Map<String, float[]> a = WorkersTest.last(dir.resolve("a")).weights(), b = WorkersTest.last(dir.resolve("b")).weights();
        assertEquals(b.keySet(), a.keySet());
        if (!SessionDevices.builtWithGpu()) for (String k : a.keySet()) assertArrayEquals(b.get(k), a.get(k), 0f, k);
    }

    /** A GPU asked of a machine or a build without one: a clear error before any data are read, and no run folder. */
    @Test
    void aGpuWhereThereIsNoneIsAClearError(@TempDir Path dir) throws Exception {
        boolean gpuBuild = SessionDevices.builtWithGpu();
        Assumptions.assumeFalse(gpuBuild && SessionDevices.of(ConfigProto.getDefaultInstance()).stream().anyMatch(s -> s.type().equals("GPU")),
            "this machine has a GPU: GpuTrainingTest trains on it");
        Path file = dir.resolve("mlp.dlx");
        Files.writeString(file, WorkersTest.mlp(32));
        for (String device : List.of("gpu", "gpu:1")) {
            WorkersTest.Run r = WorkersTest.dlxc("run", file.toString(), "--device", device, "--runs", dir.resolve("runs").toString());
            assertEquals(Main.ERRORS, r.code(), r.toString());
            String expected = gpuBuild ? "dlxc run: --device " + device + ": TensorFlow sees no GPU (only CPU:0)"
                : "dlxc run: --device " + device + ": the TensorFlow native library on the class path is the CPU build";
            assertTrue(r.err().startsWith(expected), r.toString());
            assertTrue(r.err().contains(gpuBuild ? "CUDA 12" : "mvn -Pgpu"), r.toString());
            assertFalse(r.err().contains("\tat ") || r.out().contains("reading the data"), r.toString());
        }
        assertFalse(Files.exists(dir.resolve("runs")));
    }

    /** A device string that names none: the usage error says what --device takes, also with --workers (before any worker starts). */
    @Test
    void aBadDeviceIsAUsageError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mlp.dlx");
        Files.writeString(file, WorkersTest.mlp(32));
        for (String bad : List.of("tpu", "gpu:", "gpu:-1", "cuda:0")) {
            WorkersTest.Run r = WorkersTest.dlxc("run", file.toString(), "--device", bad, "--workers", "2", "--runs", dir.resolve("runs").toString());
            assertEquals(Main.USAGE, r.code(), r.toString());
            assertEquals("dlxc run: --device takes cpu, gpu or gpu:N (N a GPU's index, from 0), not `" + bad + "`", r.err().strip(), r.toString());
            assertFalse(r.out().contains("local workers"), r.toString());
        }
    }

    /**
     * `evaluate`, `predict` and `generate` take --device as `run` does: a GPU where there is none is
     * an error before the run is read, a value that names no device a usage error; `--device cpu`
     * evaluates and predicts as without it, the device's line on the error stream where the output
     * is data (the predictions' CSV stays clean).
     */
    @Test
    void theCommandsThatLoadARunTakeTheDeviceOption(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mlp.dlx"), runs = dir.resolve("runs");
        Files.writeString(file, WorkersTest.mlp(32));
        WorkersTest.Run trained = WorkersTest.dlxc("run", file.toString(), "--seed", "4", "--runs", runs.toString(), "--progress", "quiet");
        assertEquals(0, trained.code(), trained.toString());
        Path run;
        try (var s = Files.list(runs)) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        Path input = dir.resolve("input.csv");
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(WorkersTest.REPO.resolve("samples/data/digits.csv.gz")))) {
            Files.writeString(input, new String(in.readAllBytes()).lines().limit(3).collect(java.util.stream.Collectors.joining("\n", "", "\n")));
        }
        Map<String, List<String>> commands = Map.of("evaluate", List.of(run.toString()), "predict", List.of(run.toString(), input.toString()),
            "generate", List.of(run.toString(), "--prime", "a"));
        boolean gpuBuild = SessionDevices.builtWithGpu();
        boolean gpuSeen = gpuBuild && SessionDevices.of(ConfigProto.getDefaultInstance()).stream().anyMatch(d -> d.type().equals("GPU"));
        for (var c : commands.entrySet()) {
            List<String> args = new java.util.ArrayList<>(List.of(c.getKey()));
            args.addAll(c.getValue());
            args.addAll(List.of("--device", "tpu"));
            WorkersTest.Run bad = WorkersTest.dlxc(args.toArray(String[]::new));
            assertEquals(Main.USAGE, bad.code(), bad.toString());
            assertEquals("dlxc " + c.getKey() + ": --device takes cpu, gpu or gpu:N (N a GPU's index, from 0), not `tpu`", bad.err().strip(), bad.toString());
            if (gpuSeen) continue;
            args.set(args.size() - 1, "gpu:1");
            WorkersTest.Run gpu = WorkersTest.dlxc(args.toArray(String[]::new));
            assertEquals(Main.ERRORS, gpu.code(), gpu.toString());
            String expected = gpuBuild ? "dlxc " + c.getKey() + ": --device gpu:1: TensorFlow sees no GPU (only CPU:0)"
                : "dlxc " + c.getKey() + ": --device gpu:1: the TensorFlow native library on the class path is the CPU build";
            assertTrue(gpu.err().startsWith(expected), gpu.toString());
            assertTrue(gpu.out().isEmpty() && !gpu.err().contains("\tat "), gpu.toString());
        }
        WorkersTest.Run evaluated = WorkersTest.dlxc("evaluate", run.toString(), "--device", "cpu");
        WorkersTest.Run plain = WorkersTest.dlxc("evaluate", run.toString());
        assertEquals(0, evaluated.code(), evaluated.toString());
        assertTrue(evaluated.err().contains("device: cpu (TensorFlow sees CPU:0"), evaluated.toString());
        assertFalse(evaluated.out().contains("device:"), evaluated.toString());
        assertEquals(plain.out(), evaluated.out());
        WorkersTest.Run predicted = WorkersTest.dlxc("predict", run.toString(), input.toString(), "--device", "cpu");
        WorkersTest.Run predictedPlain = WorkersTest.dlxc("predict", run.toString(), input.toString());
        assertEquals(0, predicted.code(), predicted.toString());
        assertTrue(predicted.err().contains("device: cpu (TensorFlow sees CPU:0"), predicted.toString());
        assertEquals(predictedPlain.out(), predicted.out());
    }
}
