package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.train.Checkpoint;
import dev.dlx.runtime.train.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training in phases (the three transfer-learning regimes): from a base run's weights, the head
 * trains alone, then the top layers with it, then everything. After each phase exactly the layers
 * it and the earlier phases trained have changed; the others, a frozen batch norm's moving
 * statistics included, are bit-identical to the loaded weights.
 */
class PhasesRunTest {
    @TempDir Path dir;

    static final String DATA = """
        dataset digits {
            source csv "%s" { features 0..63, label 64 }
            features scale 1/16
            labels classes 10 onehot
            split train 70%%, val 15%%, test 15%% shuffle seed 42
            batch 64
        }
        model Net(x [64]) -> [10] {
            dense 16 -> relu
            batchnorm
            dense 16 -> relu
            dense 10 -> softmax
        }
        """;

    private static final String HEAD = "phase head { epochs 1 ; freeze until relu_2 }\n";
    private static final String TOP = "phase top { epochs 1 ; freeze until batchnorm_1 ; optimizer adam lr 1e-3 }\n";
    private static final String ALL = "phase all { epochs 1 ; optimizer adam lr 1e-3 }\n";

    @Test
    void eachPhaseChangesOnlyTheLayersItAndTheEarlierOnesTrain() throws Exception {
        String data = DATA.formatted(RunnerTest.digitsCsv());
        Path base = run("base.dlx", data + """
            train Net on digits {
                loss categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 1
            }
            """, 1L);
        Path loaded = Files.exists(base.resolve(RunFolder.BEST)) ? base.resolve(RunFolder.BEST) : base.resolve(RunFolder.LAST);
        Checkpoint start = Checkpoint.read(loaded);
        String load = "load \"" + base.toString().replace("\\", "/") + "\"\n";
        String head = "train Net on digits {\nloss categorical_crossentropy\noptimizer adam lr 1e-2\n" + load;

        Checkpoint afterHead = Checkpoint.read(run("head.dlx", data + head + HEAD + "}\n", 2L).resolve(RunFolder.LAST));
        assertChanged(start, afterHead, Set.of("dense_3"));

        Checkpoint afterTop = Checkpoint.read(run("top.dlx", data + head + HEAD + TOP + "}\n", 2L).resolve(RunFolder.LAST));
        // batchnorm_1 is frozen in both phases: its gamma, beta and moving statistics stay the loaded ones
        assertChanged(start, afterTop, Set.of("dense_2", "dense_3"));

        Path all = run("all.dlx", data + head + HEAD + TOP + ALL + "}\n", 2L);
        Checkpoint afterAll = Checkpoint.read(all.resolve(RunFolder.LAST));
        assertChanged(start, afterAll, Set.of("dense_1", "batchnorm_1", "dense_2", "dense_3"));
        assertEquals("all", afterAll.meta().get("phase").getAsString());
        assertEquals(3, afterAll.epoch(), "epochs count on across the phases");

        List<String> rows = Files.readAllLines(all.resolve(RunFolder.METRICS));
        assertTrue(rows.get(0).startsWith("epoch,phase,lr,"), rows.get(0));
        assertEquals(List.of("1,head", "2,top", "3,all"), rows.subList(1, 4).stream().map(r -> String.join(",", Arrays.copyOf(r.split(","), 2))).toList());
        assertEquals(List.of(1.0, 2.0, 3.0), RunFolder.open(all).readMetrics().get("epoch"), "the phase column is left out of the numbers");
        String summary = Files.readString(all.resolve(RunFolder.SUMMARY));
        assertTrue(summary.contains("phase head: epochs 1-1") && summary.contains("phase all: epochs 3-3"), summary);
    }

    /** Every weight of a layer in {@code trained} differs from {@code start}; every other weight is bit-identical. */
    private static void assertChanged(Checkpoint start, Checkpoint after, Set<String> trained) {
        assertEquals(start.weights().keySet(), after.weights().keySet());
        boolean movingSeen = false;
        for (String name : start.weights().keySet()) {
            String layer = name.substring(0, name.indexOf('/'));
            if (name.startsWith("batchnorm_1/moving")) movingSeen = true;
            if (trained.contains(layer)) {
                assertFalse(Arrays.equals(start.weights().get(name), after.weights().get(name)), name + " trained and changed");
            } else {
                assertArrayEquals(start.weights().get(name), after.weights().get(name), 0f, name + " is frozen and bit-identical");
            }
        }
        assertTrue(movingSeen, "the checkpoint holds batch norm's moving statistics: " + start.weights().keySet());
    }

    /**
     * A phase that stops early hands on to the next one, which starts at its own first epoch: steps.csv's
     * step column counts the optimizer steps taken, so its rows join up across the epochs never trained.
     */
    @Test
    void stepsCountOnAcrossAPhaseThatStoppedEarly() throws Exception {
        String data = DATA.formatted(RunnerTest.digitsCsv());
        // no epoch improves val_loss by 100: the first phase stops after its second epoch of 4
        Path run = run("early.dlx", data + """
            train Net on digits {
                loss categorical_crossentropy
                optimizer adam lr 1e-2
                early_stop on val_loss patience 1 min_delta 100
                phase head { epochs 4 ; freeze until relu_2 }
                phase all { epochs 2 ; optimizer adam lr 1e-3 }
            }
            """, 3L, RunOptions.defaults().withLogEvery(4));
        List<Double> epochs = RunFolder.open(run).readMetrics().get("epoch");
        assertEquals(List.of(1.0, 2.0, 5.0, 6.0), epochs, "the head stopped after epoch 2; `all` trains epochs 5 and 6");
        int train = com.google.gson.JsonParser.parseString(Files.readString(run.resolve(RunFolder.RUN_JSON)))
            .getAsJsonObject().getAsJsonObject("split").get("train").getAsInt();
        long perEpoch = (train + 63) / 64, reached = 0;
        for (dev.dlx.runtime.train.StepLosses.Row r : RunFolder.open(run).readSteps()) {
            assertEquals(reached, r.step() - r.batches(), "the row after " + reached + " steps: " + r);
            reached = r.step();
        }
        assertEquals(4 * perEpoch, reached, "4 epochs of steps were taken");
        assertEquals(4 * perEpoch, Checkpoint.read(run.resolve(RunFolder.LAST)).meta().get("steps_done").getAsLong());
    }

    private Path run(String name, String program, long seed) throws Exception {
        return run(name, program, seed, RunOptions.defaults());
    }

    private Path run(String name, String program, long seed, RunOptions options) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, program);
        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        int code = r.run(file, options.withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN).withSeed(seed));
        assertEquals(Runner.OK, code, out.toString());
        return r.results().get(0).folder();
    }
}
