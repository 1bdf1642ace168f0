package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fold folders of a k-fold run (`fold-N`, each a run folder of its own): each of their files
 * damaged in each way, against every command that opens a run: no stack trace, and a command that
 * fails names the damaged file.
 */
class DamagedFoldFolderTest {
    @TempDir static Path dir;
    static Path pristine;
    static Path input;

    @BeforeAll
    static void train() throws Exception {
        pristine = TrainedRuns.smallKfoldRun(dir.resolve("folds.dlx"), "Folds", 8, dir.resolve("runs"));
        input = dir.resolve("rows.csv");
        Files.writeString(input, "0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,"
            + "14,5,10,12,0,0,0,0,6,13,10,0,0,0\n");
    }

    @Test
    void aFoldIsARunFolderThatEvaluatesButDoesNotResume() throws Exception {
        for (int f = 1; f <= 5; f++) assertTrue(Files.isRegularFile(pristine.resolve("fold-" + f).resolve("run.json")), "fold-" + f);
        var r = TrainingCommandsTest.dlxc("evaluate", pristine.resolve("fold-2").toString());
        assertEquals(0, r.code(), r.toString());

        Path run = dir.resolve("resumed");
        TrainedRuns.copyTree(pristine, run);
        Path fold = run.resolve("fold-3");
        byte[] last = Files.readAllBytes(fold.resolve("last.npz"));
        String metrics = Files.readString(fold.resolve("metrics.csv"));
        r = TrainingCommandsTest.dlxc("run", "--resume", fold.toString(), "--epochs", "2", "--progress", "plain");
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("is a fold of the k-fold run") && r.err().contains("start it again"), r.err());
        assertTrue(Arrays.equals(last, Files.readAllBytes(fold.resolve("last.npz"))), "the fold's checkpoint is untouched");
        assertEquals(metrics, Files.readString(fold.resolve("metrics.csv")));
        try (Stream<Path> s = Files.list(fold)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("fold-")), "no fold inside the fold");
        }
        r = TrainingCommandsTest.dlxc("run", "--resume", run.toString(), "--epochs", "2", "--progress", "plain");
        assertEquals(Main.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("resuming a k-fold run is not supported"), r.err());
    }

    @Test
    void aCheckpointOfAnotherModelIsRefusedNamingTheFileTheWeightAndTheOtherCheckpoint() throws Exception {
        Path run = dir.resolve("other-model");
        TrainedRuns.copyTree(pristine, run);
        Path best = run.resolve("fold-1").resolve("best.npz");
        Files.write(best, Damages.ALL.get("wrong model").apply(best, Files.readAllBytes(best)));
        for (String command : List.of("evaluate", "build", "export")) {
            String[] args = switch (command) {
                case "build" -> new String[] {"build", best.getParent().toString(), "-o", dir.resolve("other.jar").toString(), "--thin"};
                case "export" -> new String[] {"export", best.getParent().toString(), dir.resolve("other").toString(), "--format", "frozen"};
                default -> new String[] {command, best.getParent().toString()};
            };
            var r = TrainingCommandsTest.dlxc(args);
            assertEquals(Main.ERRORS, r.code(), r.toString());
            assertTrue(r.err().contains("best.npz` does not fit model `Folds`: it has no weight `dense_1/kernel` (it holds `conv_1/kernel`)"),
                command + ": " + r.err());
            assertTrue(r.err().contains("--weights last"), command + ": " + r.err());
        }
        var r = TrainingCommandsTest.dlxc("evaluate", best.getParent().toString(), "--weights", "last");
        assertEquals(0, r.code(), r.toString());
    }

    @Test
    void everyDamagedFileOfAFoldIsNamedAndNothingPrintsATrace() throws Exception {
        List<String> files;
        try (Stream<Path> s = Files.list(pristine.resolve("fold-1"))) {
            files = s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                .filter(n -> n.endsWith(".json") || n.endsWith(".npz")).sorted().toList();
        }
        for (String expected : List.of("run.json", "normalization.json", "best.npz", "last.npz")) {
            assertTrue(files.contains(expected), expected + " is part of a fold folder: " + files);
        }
        List<String> problems = new ArrayList<>();
        int cases = 0;
        for (String name : files) {
            for (var damage : Damages.ALL.entrySet()) {
                Path run = dir.resolve("case-" + cases++);
                TrainedRuns.copyTree(pristine, run);
                Path fold = run.resolve("fold-1");
                Path target = fold.resolve(name);
                Files.write(target, damage.getValue().apply(target, Files.readAllBytes(target)));
                Path out = dir.resolve("out-" + cases);
                List<String[]> commands = List.of(
                    new String[] {"evaluate", fold.toString()},
                    new String[] {"predict", fold.toString(), input.toString()},
                    new String[] {"build", fold.toString(), "-o", out + ".jar", "--thin"},
                    new String[] {"export", fold.toString(), out.toString(), "--format", "frozen"},
                    new String[] {"run", "--resume", fold.toString(), "--epochs", "2", "--progress", "plain"});
                for (String[] args : commands) {
                    var r = TrainingCommandsTest.dlxc(args);
                    String all = r.out() + r.err();
                    String what = "fold-1/" + name + " " + damage.getKey() + ", dlxc " + args[0] + ": ";
                    // a fold cannot be resumed: refused as a fold, unless its run.json is too damaged to tell
                    boolean refusedAsFold = args[0].equals("run") && r.code() == 2 && r.err().contains("is a fold of the k-fold run");
                    if (all.contains("\tat ") || all.contains("Exception")) problems.add(what + "a trace:\n" + all);
                    else if (r.code() != 0 && !r.err().contains(name) && !refusedAsFold) {
                        problems.add(what + "exit " + r.code() + " without naming " + name + ":\n" + r.err());
                    }
                }
            }
        }
        if (!problems.isEmpty()) fail(problems.size() + " problem(s):\n\n" + String.join("\n\n", problems));
    }
}
