package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.train.Checkpoint;
import dev.dlx.runtime.train.Fixtures;
import dev.dlx.runtime.train.StopSignal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `dlxc run --resume` of trainings with steps (a GAN) and in phases: interrupted (Ctrl-C) after
 * an epoch, inside a phase or at a phase's end, and resumed, a run ends with the weights of the
 * uninterrupted run, and its metrics.csv has each epoch once.
 */
class StepsPhasesResumeTest {
    @TempDir Path dir;

    /** PhasesRunTest's digits and network, in a phase of momentum and then one of Adam. */
    private static final String PHASED = PhasesRunTest.DATA + """
        train Net on digits {
            loss categorical_crossentropy
            optimizer adam lr 1e-2
            phase head { epochs 2 ; freeze until relu_2 ; optimizer momentum lr 0.05 beta 0.9 }
            phase all { epochs 2 ; optimizer adam lr 1e-3 }
        }
        """;

    /** GanRunTest's GAN, for 3 epochs. */
    private static final String GAN = GanRunTest.DATA + GanRunTest.GAN.replace("epochs 2", "epochs 3");

    @Test
    void aPhasedTrainingResumedInsideAPhaseOrAtItsEndEndsAsTheUninterruptedOne() throws Exception {
        Path file = write("phased.dlx", PHASED.formatted(RunnerTest.digitsCsv()));
        Checkpoint whole = Checkpoint.read(run(file, null).resolve(RunFolder.LAST));
        assertEquals(4, whole.epoch());
        // after epoch 1: inside `head` (its momentum state restored); after epoch 2: `head` ended, `all` starts afresh;
        // after epoch 3: inside `all` (its Adam state restored)
        for (int stopAfter = 1; stopAfter <= 3; stopAfter++) {
            Path folder = run(file, "epoch " + stopAfter + "/4");
            assertEquals(stopAfter, Checkpoint.read(folder.resolve(RunFolder.LAST)).epoch());
            String said = resume(folder);
            assertTrue(said.contains(stopAfter == 2 ? "phase `all` starts afresh" : "inside phase `" + (stopAfter == 1 ? "head" : "all") + "`"), said);
            Checkpoint resumed = Checkpoint.read(folder.resolve(RunFolder.LAST));
            assertEquals(4, resumed.epoch());
            assertEquals("all", resumed.meta().get("phase").getAsString());
            assertSameWeights(whole, resumed, "stopped after epoch " + stopAfter);
            List<String> rows = Files.readAllLines(folder.resolve(RunFolder.METRICS));
            assertEquals(List.of("1,head", "2,head", "3,all", "4,all"),
                rows.subList(1, rows.size()).stream().map(r -> String.join(",", List.of(r.split(",")).subList(0, 2))).toList());
        }
    }

    @Test
    void aTrainingWithStepsResumesWithEachStepsOptimizerState() throws Exception {
        Path file = write("gan.dlx", GAN.formatted(RunnerTest.digitsCsv()));
        Path uninterrupted = run(file, null);
        Checkpoint whole = Checkpoint.read(uninterrupted.resolve(RunFolder.LAST));
        assertTrue(whole.optimizer().keySet().stream().anyMatch(k -> k.startsWith("Dis/adam/m/"))
            && whole.optimizer().keySet().stream().anyMatch(k -> k.startsWith("Gen/adam/m/")), whole.optimizer().keySet().toString());
        Path folder = run(file, "epoch 1/3");
        assertEquals(1, Checkpoint.read(folder.resolve(RunFolder.LAST)).epoch());
        String said = resume(folder);
        assertTrue(said.contains("each step's optimizer state restored"), said);
        Checkpoint resumed = Checkpoint.read(folder.resolve(RunFolder.LAST));
        assertEquals(3, resumed.epoch());
        assertSameWeights(whole, resumed, "stopped after epoch 1");
        assertEquals(Files.readAllLines(uninterrupted.resolve(RunFolder.METRICS)).size(), Files.readAllLines(folder.resolve(RunFolder.METRICS)).size());
        // the grid of epoch 3 is drawn again from the same noise and the same weights
        assertArrayEquals(Files.readAllBytes(uninterrupted.resolve(SteppedRun.gridFile(3))), Files.readAllBytes(folder.resolve(SteppedRun.gridFile(3))));
    }

    private static void assertSameWeights(Checkpoint expected, Checkpoint actual, String why) {
        assertEquals(expected.weights().keySet(), actual.weights().keySet());
        for (Map.Entry<String, float[]> e : expected.weights().entrySet()) {
            assertArrayEquals(e.getValue(), actual.weights().get(e.getKey()), 1e-6f, why + ": " + e.getKey());
        }
    }

    private Path write(String name, String program) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, program);
        return file;
    }

    /** Runs {@code file} with seed 3; with {@code stopAt}, Ctrl-C as the console prints the epoch line that starts with it. */
    private Path run(Path file, String stopAt) throws Exception {
        StopSignal stop = new StopSignal();
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text, true) {
            @Override public void println(String line) {
                super.println(line);
                if (stopAt != null && line.startsWith(stopAt)) stop.request();
            }
        };
        Fixtures.Output other = new Fixtures.Output();
        Runner r = new Runner(out, other.errWriter, other.bar, stop);
        int code = r.run(file, RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN).withSeed(3L));
        assertEquals(stopAt == null ? Runner.OK : Runner.INTERRUPTED, code, text + "\n" + other);
        return r.results().get(0).folder();
    }

    private static String resume(Path folder) {
        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        assertEquals(Runner.OK, r.resume(folder, RunOptions.defaults().withProgress(ConsoleListener.Mode.PLAIN)), out.toString());
        return out.toString();
    }
}
