package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.train.Checkpoint;
import dev.dlx.runtime.train.Fixtures;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `load` of a NumPy `.npz` written outside dlx: arrays by weight name, every misfit named. */
class ForeignWeightsTest {
    @TempDir Path dir;

    /** A .npy entry as NumPy writes it: version 1.0, a padded header, then the values. */
    static byte[] npy(String descr, long[] shape, double[] values) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) dims.append(d).append(", ");
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + (shape.length == 1 ? dims.toString().trim() : dims.toString()
            .replaceAll(", $", "")) + "), }";
        int pad = 64 - (10 + header.length() + 1) % 64;
        header = header + " ".repeat(pad) + "\n";
        boolean f64 = descr.equals("<f8");
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + values.length * (f64 ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (double v : values) if (f64) b.putDouble(v); else b.putFloat((float) v);
        return b.array();
    }

    static void npz(Path file, Map<String, byte[]> arrays) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> a : arrays.entrySet()) {
                z.putNextEntry(new ZipEntry(a.getKey() + ".npy"));
                z.write(a.getValue());
                z.closeEntry();
            }
        }
        Files.write(file, bytes.toByteArray());
    }

    private String program(String load) {
        return """
            dataset d {
                source csv "%s" { features 0..63, label 64 }
                features scale 1/16
                labels classes 10 onehot
                split train 80%%, val 20%% shuffle seed 1
            }
            model Net(x [64]) -> [10] {
                dense 10 -> softmax
            }
            train Net on d {
                loss categorical_crossentropy
                optimizer sgd lr 1e-12
                epochs 1
                load "%s"
            }
            """.formatted(RunnerTest.digitsCsv(), load);
    }

    @Test
    void arraysNamedAsTheWeightsLoadAndMisfitsAreListed() throws Exception {
        double[] kernel = new double[640], bias = new double[10];
        for (int i = 0; i < 640; i++) kernel[i] = (i % 7) * 0.01;
        for (int i = 0; i < 10; i++) bias[i] = i * 0.1;
        Path good = dir.resolve("keras.npz");
        // float64 and a `:0` suffix, as TensorFlow names variables
        npz(good, Map.of("dense_1/kernel:0", npy("<f8", new long[] {64, 10}, kernel), "dense_1/bias", npy("<f4", new long[] {10}, bias)));
        Files.writeString(dir.resolve("main.dlx"), program(good.toString()));
        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        assertEquals(Runner.OK, r.run(dir.resolve("main.dlx"), RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN)
            .withSeed(1L)), out.toString());
        assertTrue(out.out.toString().contains("loaded 2 of 2 weight tensors"), out.toString());
        Checkpoint last = Checkpoint.read(r.results().get(0).folder().resolve(RunFolder.LAST));
        float[] expected = new float[640];
        for (int i = 0; i < 640; i++) expected[i] = (float) kernel[i];
        assertArrayEquals(expected, last.weights().get("dense_1/kernel"), 1e-6f, "learning rate 1e-12: the loaded kernel, unchanged");

        Path bad = dir.resolve("wrong.npz");
        npz(bad, Map.of("dense_1/kernel", npy("<f4", new long[] {10, 64}, kernel), "dense_2/bias", npy("<f4", new long[] {10}, bias)));
        Files.writeString(dir.resolve("main.dlx"), program(bad.toString()));
        Fixtures.Output out2 = new Fixtures.Output();
        int code = new Runner(out2.outWriter, out2.errWriter, out2.bar, null).run(dir.resolve("main.dlx"),
            RunOptions.defaults().withRuns(dir.resolve("runs2")).withProgress(ConsoleListener.Mode.PLAIN).withSeed(1L));
        String text = out2.toString();
        assertTrue(code != Runner.OK, text);
        assertTrue(text.contains("2 arrays of") && text.contains("`dense_1/kernel`: [10, 64] in the file, [64, 10] in the model")
            && text.contains("`dense_2/bias`: model `Net` has no such weight (did you mean `dense_1/bias`?)"), text);
        assertTrue(!text.contains("\tat "), "no stack trace: " + text);
    }
}
