package dev.dlx.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints are NumPy `.npz` files with a manifest, read back exactly and written atomically. */
class CheckpointTest {
    @TempDir Path dir;

    private static Checkpoint sample(int epoch, float scale) {
        Map<String, float[]> w = new LinkedHashMap<>(), o = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        w.put("conv_1/kernel", new float[] {1 * scale, 2, 3, 4, 5, 6});
        shapes.put("conv_1/kernel", new long[] {1, 2, 3});
        w.put("conv_1/bias", new float[] {-1.5f});
        shapes.put("conv_1/bias", new long[] {1});
        o.put("adam/beta1_power", new float[] {0.81f});
        shapes.put("adam/beta1_power", new long[0]);
        JsonObject meta = new JsonObject();
        meta.addProperty("epoch", epoch);
        meta.addProperty("model", "M");
        return new Checkpoint(w, shapes, o, meta);
    }

    @Test
    void roundTripsExactly() throws Exception {
        Path f = dir.resolve("best.npz");
        sample(3, 1).write(f);
        Checkpoint c = Checkpoint.read(f);
        assertEquals(3, c.epoch());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, c.weights().get("conv_1/kernel"));
        assertArrayEquals(new long[] {1, 2, 3}, c.shapes().get("conv_1/kernel"));
        assertArrayEquals(new float[] {0.81f}, c.optimizer().get("adam/beta1_power"));
        assertTrue(Files.readString(dir.resolve("best.json")).contains("\"name\": \"conv_1/kernel\""));
    }

    @Test
    void arraysAreNumpyFormat() throws Exception {
        Path f = dir.resolve("w.npz");
        sample(1, 1).write(f);
        try (ZipFile zip = new ZipFile(f.toFile())) {
            ZipEntry e = zip.getEntry("conv_1/kernel.npy");
            byte[] b = zip.getInputStream(e).readAllBytes();
            assertEquals((byte) 0x93, b[0]);
            assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
            int headerLength = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
            assertEquals(0, (10 + headerLength) % 64, "the data starts 64-byte aligned");
            String header = new String(b, 10, headerLength, StandardCharsets.US_ASCII);
            assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }"), header);
            assertEquals(10 + headerLength + 6 * 4, b.length);
            assertTrue(new String(zip.getInputStream(zip.getEntry("optimizer/adam/beta1_power.npy")).readAllBytes(),
                StandardCharsets.ISO_8859_1).contains("'shape': (), "));
        }
    }

    @Test
    void aFailedWriteLeavesTheOldCheckpoint() throws Exception {
        Path f = dir.resolve("best.npz");
        sample(1, 1).write(f);
        byte[] before = Files.readAllBytes(f);
        Map<String, float[]> w = new LinkedHashMap<>();
        w.put("broken", new float[] {1});
        Checkpoint bad = new Checkpoint(w, Map.of(), Map.of(), new JsonObject()); // no shape: writing fails midway
        try {
            bad.write(f);
        } catch (RuntimeException expected) {
            // a missing shape
        }
        assertArrayEquals(before, Files.readAllBytes(f));
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp")), "no temporary file is left");
        }
    }
}
