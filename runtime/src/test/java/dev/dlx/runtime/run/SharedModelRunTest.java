package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.train.Checkpoint;
import dev.dlx.runtime.train.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dlxc run` on a model that uses another model twice: it trains, and the run folder holds the shared weights once. */
class SharedModelRunTest {
    @TempDir Path dir;

    @Test
    void aModelUsedTwiceTrainsAndIsSavedOnce() throws Exception {
        Path file = dir.resolve("twice.dlx");
        Files.writeString(file, """
            dataset digits {
                source csv "%s" { features 0..63, label 64 }
                features scale 1/16
                labels classes 10 onehot
                split train 70%%, val 15%%, test 15%% shuffle seed 42
                batch 32
            }
            model Mix(v [64]) -> [64] {
                dense 64 -> tanh
            }
            model Net(x [64]) -> [10] {
                x -> Mix -> Mix
                dense 10 -> softmax
            }
            train Net on digits {
                loss categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 2
            }
            """.formatted(RunnerTest.digitsCsv()));
        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        int code = r.run(file, RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN).withSeed(1L));
        assertEquals(Runner.OK, code, out.toString());
        Path folder = r.results().get(0).folder();
        Checkpoint last = Checkpoint.read(folder.resolve(RunFolder.LAST));
        assertEquals(List.of("Mix/dense_1/kernel", "Mix/dense_1/bias", "dense_1/kernel", "dense_1/bias"), List.copyOf(last.weights().keySet()));
        // Mix: 64*64 + 64 = 4,160, once; dense 10: 650. Total 4,810
        assertEquals(4810, last.weights().values().stream().mapToInt(v -> v.length).sum());
        String summary = Files.readString(folder.resolve(RunFolder.SUMMARY));
        assertTrue(summary.contains("Mix_2 (Mix, shared with Mix_1)") && summary.contains("Total params: 4,810"), summary);
    }

    @Test
    void aCheckpointOfTheUsedModelAloneLoadsIntoItsUses() throws Exception {
        String data = """
            dataset digits {
                source csv "%s" { features 0..63, label 64 }
                features scale 1/16
                labels classes 10 onehot
                split train 70%%, val 15%%, test 15%% shuffle seed 42
                batch 32
            }
            """.formatted(RunnerTest.digitsCsv());
        Path alone = dir.resolve("alone.dlx");
        Files.writeString(alone, data + """
            model Mix(v [64]) -> [10] {
                dense 10 -> softmax
            }
            train Mix on digits {
                loss categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 1
            }
            """);
        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        assertEquals(Runner.OK, r.run(alone, RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN)
            .withSeed(1L)), out.toString());
        Path trained = r.results().get(0).folder();
        Checkpoint mix = Checkpoint.read(trained.resolve(RunFolder.BEST));
        // the encoder trained alone, then used twice (frozen, so its weights stay what was loaded)
        Path both = dir.resolve("both.dlx");
        Files.writeString(both, data + """
            model Mix(v [64]) -> [10] {
                dense 10 -> softmax
            }
            model Net(x [64]) -> [10] {
                let a = x -> Mix
                let b = x -> Mix
                let m = add(a, b)
                dense 10 -> softmax
            }
            train Net on digits {
                loss categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 1
                load "%s"
                freeze a
            }
            """.formatted(trained.toString().replace("\\", "/")));
        Fixtures.Output out2 = new Fixtures.Output();
        Runner r2 = new Runner(out2.outWriter, out2.errWriter, out2.bar, null);
        assertEquals(Runner.OK, r2.run(both, RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN)
            .withSeed(2L)), out2.toString());
        assertTrue(out2.out.toString().contains("loaded 2 of 4 weight tensors"), out2.toString());
        Checkpoint net = Checkpoint.read(r2.results().get(0).folder().resolve(RunFolder.LAST));
        org.junit.jupiter.api.Assertions.assertArrayEquals(mix.weights().get("dense_1/kernel"), net.weights().get("Mix/dense_1/kernel"), 0f,
            "the used model's kernel is the one trained alone");
    }
}
