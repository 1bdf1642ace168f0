package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each file of a run folder damaged in each way, against every command that opens a run: no stack
 * trace, and a command that fails names the damaged file.
 */
class DamagedRunFolderTest {
    @TempDir static Path dir;
    static Path pristine;
    static Path input;

    @BeforeAll
    static void train() throws Exception {
        pristine = TrainedRuns.smallDigitsRun(dir.resolve("mlp.dlx"), "Mlp", 8, dir.resolve("runs"));
        input = dir.resolve("rows.csv");
        Files.writeString(input, "0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,0,4,11,0,1,12,7,0,0,2,"
            + "14,5,10,12,0,0,0,0,6,13,10,0,0,0\n");
    }


    private static final List<String> FILES = List.of("run.json", "normalization.json", "classes.json", "data.json", "best.npz", "last.npz");

    @Test
    void everyDamagedFileIsNamedAndNothingPrintsATrace() throws Exception {
        List<String> problems = new ArrayList<>();
        int cases = 0;
        for (String name : FILES) {
            for (var damage : Damages.ALL.entrySet()) {
                Path run = dir.resolve("case-" + cases++);
                TrainedRuns.copyTree(pristine, run);
                Path target = run.resolve(name);
                assertTrue(Files.exists(target), name + " is part of a run folder");
                Files.write(target, damage.getValue().apply(target, Files.readAllBytes(target)));
                Path out = dir.resolve("out-" + cases);
                List<String[]> commands = List.of(
                    new String[] {"evaluate", run.toString()},
                    new String[] {"predict", run.toString(), input.toString()},
                    new String[] {"build", run.toString(), "-o", out + ".jar", "--thin"},
                    new String[] {"export", run.toString(), out.toString(), "--format", "frozen"},
                    new String[] {"run", "--resume", run.toString(), "--epochs", "2", "--progress", "plain"});
                for (String[] args : commands) {
                    var r = TrainingCommandsTest.dlxc(args);
                    String all = r.out() + r.err();
                    String what = name + " " + damage.getKey() + ", dlxc " + args[0] + ": ";
                    if (all.contains("\tat ") || all.contains("Exception")) problems.add(what + "a trace:\n" + all);
                    else if (r.code() != 0 && !r.err().contains(name)) problems.add(what + "exit " + r.code() + " without naming " + name + ":\n" + r.err());
                }
            }
        }
        if (!problems.isEmpty()) fail(problems.size() + " problem(s):\n\n" + String.join("\n\n", problems));
    }

    @Test
    void nanWeightsAreRefusedNamingTheWeightAndTheOtherCheckpoint() throws Exception {
        Path run = dir.resolve("nan");
        TrainedRuns.copyTree(pristine, run);
        // a checkpoint of the same form whose values are NaN: write it through the checkpoint's own code
        var ckpt = dev.dlx.runtime.train.Checkpoint.read(run.resolve("best.npz"));
        for (float[] w : ckpt.weights().values()) Arrays.fill(w, Float.NaN);
        ckpt.write(run.resolve("best.npz"));
        var r = TrainingCommandsTest.dlxc("evaluate", run.toString());
        assertEquals(Main.ERRORS, r.code(), r.toString());
        assertTrue(r.err().contains("NaN") && r.err().contains("best.npz") && r.err().contains("--weights last"), r.err());
        r = TrainingCommandsTest.dlxc("evaluate", run.toString(), "--weights", "last");
        assertEquals(0, r.code(), r.toString());
    }
}
