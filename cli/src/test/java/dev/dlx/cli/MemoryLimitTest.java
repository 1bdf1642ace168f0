package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory estimate through `dlxc check` and `dlxc run`, against a machine of a given size
 * (`--memory-limit`). The model: x [2] -> dense 4 (2*4+4 = 12) -> relu -> dense 2 (4*2+2 = 10) -> softmax,
 * 22 parameters trained with adam at batch 32: weights 88 B, gradients 88 B, adam state 2*88 = 176 B,
 * activations (2 + 4 + 4 + 2 + 2 = 14 a sample) * 32 * 4 = 1,792 B; total 2,144 B (2.1 KiB).
 * The data has a bad cell, so that a run which gets past the memory check stops while reading them,
 * without TensorFlow.
 */
class MemoryLimitTest {
    record Run(int code, String out, String err) {
        @Override public String toString() { return "exit " + code + "\n--- out\n" + out + "--- err\n" + err; }
    }

    static Run dlxc(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static Path program(Path dir) throws IOException {
        Files.writeString(dir.resolve("rows.csv"), "0.1,0.2,0\n0.3,0.4,1\n0.5,oops,0\n0.7,0.8,1\n");
        return Files.writeString(dir.resolve("small.dlx"), """
            dataset rows {
                source csv "rows.csv" { features 0..1, label 2 }
                labels classes 2 onehot
                split train 50%, val 50%
            }
            model M(x [2]) -> [2] {
                dense 4 -> relu
                dense 2 -> softmax
            }
            train M on rows {
                loss categorical_crossentropy
                optimizer adam
                batch 32
            }
            """);
    }

    @Test
    void checkPrintsTheEstimateAndWarnsAboveTheLimit(@TempDir Path dir) throws IOException {
        Path file = program(dir);
        Run r = dlxc("check", "--color=never", "--memory-limit", "2KiB", file.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Memory to train `M` on `rows` (line 10, estimate): 2.1 KiB\n"
            + " weights 88 B + gradients 88 B + adam state 176 B + activations of a batch of 32 1.8 KiB\n"), r.toString());
        assertTrue(r.out().contains("small.dlx:10:1: warning[DLX0411]: training `M` needs about 2.1 KiB, more than the 2.0 KiB "
            + "of memory of this machine"), r.toString());
        assertTrue(r.out().contains("check passed: 0 errors, 1 warning"), r.toString());

        Run enough = dlxc("check", "--color=never", "--memory-limit", "2144", file.toString());
        assertFalse(enough.out().contains("DLX0411"), enough.toString());
        assertTrue(enough.out().contains("check passed: 0 errors, 0 warnings"), enough.toString());
    }

    @Test
    void checkJsonCarriesTheBytes(@TempDir Path dir) throws IOException {
        Run r = dlxc("check", "--format", "json", "--memory-limit", "2143", program(dir).toString());
        assertEquals(0, r.code(), r.toString());
        JsonObject root = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(2143, root.get("machineMemory").getAsLong());
        assertEquals(1, root.get("warnings").getAsInt());
        JsonObject training = root.getAsJsonArray("files").get(0).getAsJsonObject().getAsJsonArray("trainings").get(0).getAsJsonObject();
        assertEquals("M", training.get("model").getAsString());
        assertEquals(32, training.get("batch").getAsInt());
        assertEquals("adam", training.get("optimizer").getAsString());
        JsonObject memory = training.getAsJsonObject("memory");
        assertEquals(88, memory.get("weights").getAsLong());
        assertEquals(88, memory.get("gradients").getAsLong());
        assertEquals(176, memory.get("optimizerState").getAsLong());
        assertEquals(1_792, memory.get("activations").getAsLong());
        assertEquals(2_144, memory.get("total").getAsLong());
    }

    @Test
    void runRefusesBeforeReadingTheData(@TempDir Path dir) throws IOException {
        Path file = program(dir);
        Run r = dlxc("run", file.toString(), "--memory-limit", "2KiB", "--runs", dir.resolve("runs").toString(), "--progress", "plain");
        assertEquals(Main.ERRORS, r.code(), r.toString());
        assertTrue(r.err().contains("error: training `M` on `rows` needs about 2.1 KiB (weights 88 B + gradients 88 B + adam state 176 B"
            + " + activations of a batch of 32 1.8 KiB), more than the 2.0 KiB TensorFlow can use; nothing was run"), r.toString());
        assertFalse(r.out().contains("reading the data"), r.toString());
        assertFalse(r.err().contains("oops"), r.toString());
        assertFalse(Files.exists(dir.resolve("runs")), r.toString());
    }

    @Test
    void ignoreMemoryGoesOnToTheData(@TempDir Path dir) throws IOException {
        Path file = program(dir);
        Run r = dlxc("run", file.toString(), "--memory-limit", "2KiB", "--ignore-memory", "--runs", dir.resolve("runs").toString(),
            "--progress", "plain");
        assertEquals(Main.ERRORS, r.code(), r.toString());
        assertFalse(r.err().contains("TensorFlow can use"), r.toString());
        assertTrue(r.out().contains("reading the data"), r.toString());
        assertTrue(r.err().contains("oops"), r.toString());
    }

    @Test
    void resumingIsRefusedToo(@TempDir Path dir) throws Exception {
        // 64 -> dense 8 (520) -> relu -> dense 10 (90) -> softmax: 610 parameters, adam, batch 64:
        // 2,440 + 2,440 + 4,880 + (64 + 8 + 8 + 10 + 10) * 64 * 4 = 35,360 B (34.5 KiB)
        Path run = TrainedRuns.smallDigitsRun(dir.resolve("digits.dlx"), "Small", 8, dir.resolve("runs"));
        Run r = dlxc("run", "--resume", run.toString(), "--epochs", "2", "--memory-limit", "34KiB", "--progress", "plain");
        assertEquals(Main.ERRORS, r.code(), r.toString());
        assertTrue(r.err().contains("error: training `Small` on `digits` needs about 34.5 KiB"), r.toString());
        assertTrue(r.err().contains("more than the 34.0 KiB TensorFlow can use; nothing was run"), r.toString());
        assertFalse(r.out().contains("resuming"), r.toString());
    }

    @Test
    void aLimitThatIsNoSizeIsAUsageError(@TempDir Path dir) throws IOException {
        Run r = dlxc("run", program(dir).toString(), "--memory-limit", "lots");
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("`lots` is not a memory size"), r.toString());
    }
}
