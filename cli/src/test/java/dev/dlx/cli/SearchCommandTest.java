package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `dlxc search` end to end on samples/digits_search.dlx, cut down to a grid of two trials of one
 * epoch: one with a learning rate that diverges, so its process fails and is recorded as failed
 * while the other completes; then `dlxc run --from-search` retrains the best on train and val.
 */
class SearchCommandTest {
    private static final Path REPO = Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize();

    record Run(int code, String out, String err) {
        @Override public String toString() { return "exit " + code + "\n--- out\n" + out + "--- err\n" + err; }
    }

    static Run dlxc(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The sample with its data path made absolute and a smaller search. */
    static Path program(Path dir, String search) throws IOException {
        String text = Files.readString(REPO.resolve("samples/digits_search.dlx"))
            .replace("\"data/digits.csv.gz\"", "\"" + REPO.resolve("samples/data/digits.csv.gz") + "\"");
        int at = text.indexOf("search {");
        Path file = dir.resolve("digits_search.dlx");
        Files.writeString(file, text.substring(0, at) + search);
        return file;
    }

    static JsonObject json(Path file) throws IOException {
        return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    }

    @Test
    void aFailingTrialIsRecordedAndTheBestIsRetrainedOnTrainAndVal(@TempDir Path tmp) throws IOException {
        Path file = program(tmp, """
            search {
                param lr choice 0.001, 1000
                param width choice 32
                strategy grid
                objective val_accuracy max
            }
            """);
        Path dir = tmp.resolve("search");
        Run r = dlxc("search", file.toString(), "-o", dir.toString(), "--parallel", "2", "--epochs", "1", "--cores", "2");
        assertEquals(0, r.code(), r.toString());
        JsonObject state = json(dir.resolve("search.json"));
        assertEquals(2, state.getAsJsonArray("trials").size());
        JsonObject good = state.getAsJsonArray("trials").get(0).getAsJsonObject();
        JsonObject bad = state.getAsJsonArray("trials").get(1).getAsJsonObject();
        assertEquals("1000", bad.getAsJsonObject("values").get("lr").getAsString());
        assertEquals("failed", bad.get("status").getAsString(), r.toString());
        assertTrue(bad.get("error").getAsString().startsWith("exit code 1"), bad.toString());
        assertEquals("completed", good.get("status").getAsString(), r.toString());
        double accuracy = good.getAsJsonArray("objectives").get(0).getAsDouble();
        assertTrue(accuracy > 0.1 && accuracy <= 1, "val_accuracy " + accuracy);
        assertEquals(1, state.get("best").getAsInt());
        // the trial trained with its values: its run records them, and its val score is the one the search read
        Path goodRun = dir.resolve(good.get("run").getAsString());
        JsonObject run = json(goodRun.resolve("run.json"));
        assertEquals("0.001", run.getAsJsonObject("params").get("lr").getAsString());
        assertEquals("32", run.getAsJsonObject("params").get("width").getAsString());
        assertEquals(accuracy, run.getAsJsonObject("val").get("accuracy").getAsDouble(), 1e-12);
        assertEquals(goodRun.toRealPath(), dir.resolve("best").toRealPath());
        assertTrue(r.out().contains("*  trial-001  0.001"), r.out());
        assertTrue(Files.size(dir.resolve("objective.png")) > 1000);

        Path runs = tmp.resolve("runs");
        Run again = dlxc("run", file.toString(), "--from-search", dir.toString(), "--runs", runs.toString(), "--progress", "quiet",
            "--threads", "1");
        assertEquals(0, again.code(), again.toString());
        assertTrue(again.out().contains("training on train and val together"), again.out());
        Path retrained;
        try (Stream<Path> s = Files.list(runs)) {
            retrained = s.filter(p -> Files.isRegularFile(p.resolve("run.json"))).findFirst().orElseThrow();
        }
        JsonObject rerun = json(retrained.resolve("run.json"));
        assertTrue(rerun.get("train_on_val").getAsBoolean());
        assertEquals(1, rerun.get("epochs").getAsInt());
        assertEquals("0.001", rerun.getAsJsonObject("params").get("lr").getAsString());
        // it trained on the trial's train and val samples together
        JsonObject split = run.getAsJsonObject("split");
        assertEquals(split.get("train").getAsInt() + split.get("val").getAsInt(), rerun.getAsJsonObject("split").get("train").getAsInt());
        assertTrue(again.out().contains("together (" + (split.get("train").getAsInt() + split.get("val").getAsInt()) + " samples)"), again.out());
    }

    @Test
    void aValueNotDeclaredIsRefusedWithTheValuesItTakes(@TempDir Path tmp) throws IOException {
        Path file = program(tmp, "search {\n    param width choice 32, 64\n    param lr loguniform 1e-4..1e-2\n}\n");
        Run r = dlxc("run", file.toString(), "--param", "width=48", "--param", "dropout=0.5", "--runs", tmp.resolve("runs").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("error[DLX0804]: `width=48` is not a value of `width`"), r.err());
        assertTrue(r.err().contains("`width` takes one of 32, 64"), r.err());
        assertTrue(r.err().contains("error[DLX0804]: the search has no parameter `dropout`"), r.err());
        assertTrue(!Files.exists(tmp.resolve("runs")) || Files.list(tmp.resolve("runs")).findAny().isEmpty(), "nothing was run");
    }

    @Test
    void valuesForAFileWithoutSearchAreRefused(@TempDir Path tmp) {
        Run r = dlxc("run", REPO.resolve("samples/digits.dlx").toString(), "--param", "lr=0.01", "--runs", tmp.resolve("runs").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("error[DLX0804]: values were given for search parameters (lr), but the file has no `search` block"), r.err());
    }

    @Test
    void aFileWithoutSearchIsRefused(@TempDir Path tmp) {
        Run r = dlxc("search", REPO.resolve("samples/digits.dlx").toString(), "-o", tmp.resolve("s").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("has no `search` block"), r.err());
    }
}
