package dev.dlx.cli;

import dev.dlx.runtime.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The ways the tests damage a file of a run folder, by name: each gives the file's new bytes. */
final class Damages {
    private Damages() {}

    interface Damage {
        byte[] apply(Path file, byte[] bytes) throws Exception;
    }

    /**
     * Empty, cut in half, garbage, and of the wrong model: for a JSON file, valid JSON of the wrong
     * form; for a checkpoint, a valid checkpoint of another model (a 3x3 convolution's kernel).
     */
    static final Map<String, Damage> ALL = new LinkedHashMap<>();
    static {
        ALL.put("empty", (f, b) -> new byte[0]);
        ALL.put("truncated", (f, b) -> Arrays.copyOf(b, b.length / 2));
        ALL.put("garbage", (f, b) -> "{\"oops\": [1, 2,,\u0000 garbage".getBytes());
        ALL.put("wrong model", (f, b) -> f.toString().endsWith(".npz") ? otherModel(f)
            : "{\"model\": 5, \"mode\": [], \"weights\": {}}".getBytes());
    }

    /** A checkpoint with {@code file}'s training state and the weights of another model. */
    private static byte[] otherModel(Path file) throws Exception {
        Checkpoint c = Checkpoint.read(file);
        Map<String, float[]> weights = Map.of("conv_1/kernel", new float[27]);
        Map<String, long[]> shapes = Map.of("conv_1/kernel", new long[] {3, 3, 1, 3});
        Path other = file.resolveSibling("other-model.npz");
        new Checkpoint(weights, shapes, Map.of(), c.meta()).write(other);
        byte[] out = Files.readAllBytes(other);
        Files.delete(other);
        return out;
    }
}
