package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that writes (`export`, `build`, `predict -o`, `run`) leaves the user's sources, run
 * folders and its own inputs as they were, and a run is read back from its own copy of the program.
 */
class NothingDestroyedTest {
    private static final Path REPO = Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize();
    @TempDir static Path dir;
    static Path proj;
    static Path file;
    static Path run;
    static String source;

    @BeforeAll
    static void train() throws Exception {
        proj = dir.resolve("proj");
        Files.createDirectories(proj.resolve("app"));
        Files.createDirectories(proj.resolve("lib"));
        // two imports with one base name, from two folders: the run's copy must keep both
        Files.writeString(proj.resolve("app/common.dlx"), "block head {\n    dense 10 -> softmax\n}\n");
        Files.writeString(proj.resolve("lib/common.dlx"), "block body {\n    dense 16 -> relu\n}\n");
        file = proj.resolve("app/main.dlx");
        source = """
            import "common.dlx"
            import "../lib/common.dlx"
            dataset digits {
                source csv "%s" { features 0..63, label 64 }
                features scale 1/16
                labels classes 10 onehot
                split train 70%%, val 15%%, test 15%% shuffle seed 42
                batch 64
            }
            model SmallMlp(pixels [64]) -> [10] {
                body
                head
            }
            train SmallMlp on digits {
                loss categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 1
            }
            """.formatted(REPO.resolve("samples/data/digits.csv.gz"));
        Files.writeString(file, source);
        var r = TrainingCommandsTest.dlxc("run", file.toString(), "--runs", proj.resolve("runs").toString(), "--seed", "3", "--progress", "plain");
        assertEquals(0, r.code(), r.toString());
        try (Stream<Path> s = Files.list(proj.resolve("runs"))) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    private static void assertRunIntact() {
        assertTrue(Files.isRegularFile(run.resolve("run.json")), "run.json is still there");
        assertTrue(Files.isRegularFile(run.resolve("best.npz")) || Files.isRegularFile(run.resolve("last.npz")), "a checkpoint is still there");
        assertTrue(Files.isRegularFile(file), "the source is still there");
    }

    @Test
    void theRunKeepsBothImportsOfOneNameInTheirLayout() throws Exception {
        assertEquals(Files.readString(proj.resolve("app/common.dlx")), Files.readString(run.resolve("source/app/common.dlx")));
        assertEquals(Files.readString(proj.resolve("lib/common.dlx")), Files.readString(run.resolve("source/lib/common.dlx")));
        assertEquals(source, Files.readString(run.resolve("source/app/main.dlx")));
        var json = JsonParser.parseString(Files.readString(run.resolve("run.json"))).getAsJsonObject();
        assertEquals("source/app/main.dlx", json.get("source").getAsString());
        assertEquals(3, JsonParser.parseString(Files.readString(run.resolve("source/files.json"))).getAsJsonArray().size());
    }

    @Test
    void exportNeverWritesOverItsRunOrAFolderHoldingRunsOrSources() throws Exception {
        var r = TrainingCommandsTest.dlxc("export", run.toString(), run.toString(), "--force");
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("run folder") || r.err().contains("reads"), r.err());
        assertRunIntact();

        r = TrainingCommandsTest.dlxc("export", run.toString(), proj.toString(), "--force");
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertRunIntact();
        assertTrue(Files.isRegularFile(proj.resolve("lib/common.dlx")));

        Path other = dir.resolve("other");
        Files.createDirectories(other.resolve("sub"));
        Files.writeString(other.resolve("sub/notes.txt"), "mine");
        r = TrainingCommandsTest.dlxc("export", run.toString(), other.toString(), "--force");
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("did not write"), r.err());
        assertEquals("mine", Files.readString(other.resolve("sub/notes.txt")));
    }

    @Test
    void forceReplacesOnlyAnEarlierExport() throws Exception {
        Path out = dir.resolve("exported");
        var r = TrainingCommandsTest.dlxc("export", run.toString(), out.toString(), "--format", "frozen");
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.isRegularFile(out.resolve(".dlx-export")));
        r = TrainingCommandsTest.dlxc("export", run.toString(), out.toString(), "--format", "frozen");
        assertEquals(Main.USAGE, r.code(), "not empty without --force: " + r);
        r = TrainingCommandsTest.dlxc("export", run.toString(), out.toString(), "--format", "frozen", "--force");
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.isRegularFile(out.resolve("graph.pb")));
    }

    @Test
    void buildNeverWritesOverASourceOrAFileThatIsNoJar() throws Exception {
        Path victim = dir.resolve("victim.dlx");
        Files.writeString(victim, "model M(x [1]) {\n    dense 1\n}\n");
        var r = TrainingCommandsTest.dlxc("build", run.toString(), "-o", victim.toString());
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertEquals("model M(x [1]) {\n    dense 1\n}\n", Files.readString(victim));

        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "mine");
        r = TrainingCommandsTest.dlxc("build", run.toString(), "-o", notes.toString(), "--thin");
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertEquals("mine", Files.readString(notes));

        r = TrainingCommandsTest.dlxc("build", run.toString(), "-o", run.resolve("best.npz").toString(), "--thin");
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertRunIntact();
    }

    @Test
    void predictNeverWritesOverItsInputOrTheRun() throws Exception {
        Path in = dir.resolve("in.csv");
        String rows = "0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0\n";
        Files.writeString(in, rows);
        var r = TrainingCommandsTest.dlxc("predict", run.toString(), in.toString(), "-o", in.toString());
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertEquals(rows, Files.readString(in));
        String metrics = Files.readString(run.resolve("metrics.csv"));
        r = TrainingCommandsTest.dlxc("predict", run.toString(), in.toString(), "-o", run.resolve("metrics.csv").toString());
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertEquals(metrics, Files.readString(run.resolve("metrics.csv")));
        r = TrainingCommandsTest.dlxc("predict", run.toString(), in.toString(), "-o", dir.resolve("out.csv").toString());
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void anEditedSourceDoesNotChangeWhatARunIs() throws Exception {
        Path copy = dir.resolve("edited");
        TrainedRuns.copyTree(proj, copy);
        Path editedRun = copy.resolve("runs").resolve(run.getFileName());
        var json = JsonParser.parseString(Files.readString(editedRun.resolve("run.json"))).getAsJsonObject();
        Path editedFile = copy.resolve("app/main.dlx");
        json.addProperty("file", editedFile.toString());
        Files.writeString(editedRun.resolve("run.json"), json.toString());
        Path index = editedRun.resolve("source/files.json");
        Files.writeString(index, Files.readString(index).replace(proj.toString(), copy.toString()));
        // the model no longer fits its checkpoint, and an import has an error: the run's own copy still evaluates
        Files.writeString(editedFile, source.replace("head\n", "dense 3 -> softmax\n"));
        Files.writeString(copy.resolve("lib/common.dlx"), "block body {\n    dense oops\n}\n");
        var r = TrainingCommandsTest.dlxc("evaluate", editedRun.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("changed since the run"), r.err());
    }

    @Test
    void aRunKilledWhileTrainingIsMarkedInterruptedAndCleaned() throws Exception {
        Path killed = dir.resolve("killed");
        TrainedRuns.copyTree(run, killed);
        var json = JsonParser.parseString(Files.readString(killed.resolve("run.json"))).getAsJsonObject();
        json.addProperty("status", "running");
        json.addProperty("source", "source/app/main.dlx");
        Files.writeString(killed.resolve("run.json"), json.toString());
        Path tmp = killed.resolve(".last.npz.tmp-1a2b3c");
        Files.writeString(tmp, "half");
        var r = TrainingCommandsTest.dlxc("evaluate", killed.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("marked interrupted"), r.err());
        assertFalse(Files.exists(tmp), "the half-written checkpoint is removed");
        var after = JsonParser.parseString(Files.readString(killed.resolve("run.json"))).getAsJsonObject();
        assertEquals("interrupted", after.get("status").getAsString());
    }

    @Test
    void aRunThatThisProcessTrainsIsNotTakenForKilled() throws Exception {
        Path live = dir.resolve("live");
        TrainedRuns.copyTree(run, live);
        var folder = dev.dlx.runtime.run.RunFolder.open(live);
        var json = folder.readJson("run.json");
        json.addProperty("status", "running");
        folder.writeJson("run.json", json); // takes the lock, as a training does
        Files.writeString(live.resolve(".best.npz.tmp-99"), "being written");
        assertFalse(dev.dlx.runtime.run.RunFolder.open(live).recovered());
        assertTrue(Files.exists(live.resolve(".best.npz.tmp-99")));
        json.addProperty("status", "completed");
        folder.writeJson("run.json", json); // releases it
    }
}
