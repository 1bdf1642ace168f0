package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dlxc runs` and `dlxc runs compare` over two digits MLPs trained once for the class. */
class RunsCommandTest {
    @TempDir static Path dir;
    static Path runs, small, wide;

    @BeforeAll
    static void train() throws Exception {
        runs = dir.resolve("runs");
        small = TrainedRuns.smallDigitsRun(dir.resolve("small.dlx"), "Small", 8, runs);
        Path other = dir.resolve("other");
        wide = TrainedRuns.smallDigitsRun(dir.resolve("wide.dlx"), "Wide", 64, other);
        Path moved = runs.resolve(wide.getFileName());
        Files.move(wide, moved);
        wide = moved;
    }

    @Test
    void eachRunIsALineWithItsScoresAndADamagedOneIsNamed() throws Exception {
        Path broken = runs.resolve("Broken-20260101-000000");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("run.json"), "{ not json");
        try {
            var r = TrainingCommandsTest.dlxc("runs", runs.toString());
            assertEquals(0, r.code(), r.toString());
            List<String> lines = List.of(r.out().split("\n"));
            assertEquals(4, lines.size(), "a header and three runs: " + r.out());
            assertTrue(lines.get(1).startsWith("Broken-") && lines.get(1).contains("cannot be read"), r.out());
            for (Path run : List.of(small, wide)) {
                String line = lines.stream().filter(l -> l.startsWith(run.getFileName().toString())).findFirst().orElseThrow();
                var json = JsonParser.parseString(Files.readString(run.resolve("run.json"))).getAsJsonObject();
                double acc = json.getAsJsonObject("test").get("accuracy").getAsDouble();
                assertTrue(line.contains(String.format(Locale.ROOT, "%.4f", acc)), "the test accuracy of run.json: " + line);
            }
        } finally {
            Files.delete(broken.resolve("run.json"));
            Files.delete(broken);
        }
    }

    @Test
    void compareShowsWhatDiffersAndOverlaysTheCurves() throws Exception {
        Path png = dir.resolve("both.png");
        var r = TrainingCommandsTest.dlxc("runs", "compare", small.toString(), wide.toString(), "-o", png.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("settings that differ: model"), r.out());
        assertTrue(r.out().contains("wrote") && r.out().contains("val_loss of 2 runs"), r.out());
        assertTrue(javax.imageio.ImageIO.read(png.toFile()).getWidth() == 800);
        String before = Files.readString(small.resolve("run.json"));
        var refused = TrainingCommandsTest.dlxc("runs", "compare", small.toString(), wide.toString(), "-o", small.resolve("run.json").toString());
        assertEquals(2, refused.code(), refused.toString());
        assertEquals(before, Files.readString(small.resolve("run.json")), "nothing of a run is overwritten");
        assertEquals(2, TrainingCommandsTest.dlxc("runs", "compare", dir.resolve("nowhere").toString()).code());
    }
}
