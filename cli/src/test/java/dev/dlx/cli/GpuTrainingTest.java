package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SessionDevices;
import org.tensorflow.proto.ConfigProto;

/**
 * The digits sample trained on a GPU, against the CPU: runs only where dlx is built with `mvn
 * -Pgpu` and TensorFlow sees a GPU (skipped, with the reason, elsewhere).
 */
class GpuTrainingTest {
    private static final Path REPO = Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize();

    /**
     * Three epochs of samples/digits.dlx with the same seed on `--device gpu` and `--device cpu`:
     * the same weights, batches and augmentation, with sums in another order (cuDNN's convolutions)
     * and the GPU's own random streams for dropout, so the curves agree closely but not bit for bit:
     * every epoch's training loss within 10% of the CPU's, both falling, and the last epoch's
     * validation accuracy within 0.05.
     */
    @Test
    void theDigitsSampleTrainsOnAGpuAsOnTheCpu(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(SessionDevices.builtWithGpu(),
            "the TensorFlow native library is the CPU build: run `mvn -Pgpu test` on a machine with a GPU for this test");
        Assumptions.assumeTrue(SessionDevices.of(ConfigProto.getDefaultInstance()).stream().anyMatch(s -> s.type().equals("GPU")),
            "TensorFlow sees no GPU on this machine (nvidia-smi, CUDA 12, cuDNN 9): this test runs where it does");
        String sample = REPO.resolve("samples/digits.dlx").toString();
        WorkersTest.Run gpu = WorkersTest.dlxc("run", sample, "--device", "gpu", "--epochs", "3", "--seed", "11", "--runs", dir.resolve("gpu").toString(),
            "--progress", "plain");
        assertEquals(0, gpu.code(), gpu.toString());
        assertTrue(gpu.out().startsWith("device: gpu (TensorFlow sees ") && gpu.out().contains("GPU:0"), gpu.toString());
        WorkersTest.Run cpu = WorkersTest.dlxc("run", sample, "--device", "cpu", "--epochs", "3", "--seed", "11", "--runs", dir.resolve("cpu").toString(),
            "--progress", "plain");
        assertEquals(0, cpu.code(), cpu.toString());
        List<double[]> g = curve(dir.resolve("gpu")), c = curve(dir.resolve("cpu"));
        assertEquals(3, g.size());
        assertEquals(3, c.size());
        for (int e = 0; e < 3; e++) {
            System.out.printf("epoch %d: loss gpu %.5f cpu %.5f, val_accuracy gpu %.4f cpu %.4f%n", e + 1, g.get(e)[0], c.get(e)[0], g.get(e)[1], c.get(e)[1]);
            assertEquals(c.get(e)[0], g.get(e)[0], 0.10 * c.get(e)[0], "training loss of epoch " + (e + 1));
        }
        assertTrue(g.get(2)[0] < g.get(0)[0] && c.get(2)[0] < c.get(0)[0], "both losses fall");
        assertEquals(c.get(2)[1], g.get(2)[1], 0.05, "validation accuracy of the last epoch");
    }

    /** Each epoch's training loss and validation accuracy, from the one run folder's metrics.csv under {@code runs}. */
    static List<double[]> curve(Path runs) throws Exception {
        Path csv;
        try (Stream<Path> s = Files.walk(runs)) {
            csv = s.filter(p -> p.getFileName().toString().equals("metrics.csv")).findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(csv);
        List<String> head = List.of(lines.get(0).split(","));
        int loss = head.indexOf("loss"), acc = head.indexOf("val_accuracy");
        List<double[]> out = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            out.add(new double[] {Double.parseDouble(f[loss]), Double.parseDouble(f[acc])});
        }
        return out;
    }
}
