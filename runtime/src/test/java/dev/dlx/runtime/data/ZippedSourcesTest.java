package dev.dlx.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.runtime.run.ConsoleListener;
import dev.dlx.runtime.run.RunFolder;
import dev.dlx.runtime.run.RunOptions;
import dev.dlx.runtime.run.Runner;
import dev.dlx.runtime.train.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two `source` statements zipped by row: line i of each file is sample i. */
class ZippedSourcesTest {
    @TempDir Path dir;

    private static final String X = "0.5,1.0,2.0\n0.1,0.2,0.3\n0.3,0.4,0.5\n0.7,0.8,0.9\n";
    private static final String Y = "0,1\n2,0\n1,1\n0,0\n";

    private static final String PROGRAM = """
        dataset zipped {
            source csv "x.csv" { features point 0..1, extra 2 }
            source csv "y.csv" { labels kind 0, flag 1 }
            features extra scale 10
            labels kind classes 3 sparse, flag classes 2 sparse
            split train 50%, val 50% shuffle seed 1
            batch 2
        }
        model Two(point [2], extra [1]) {
            let h = concat(point, extra) -> dense 4 -> relu
            let kind = h -> dense 3 -> softmax
            let flag = h -> dense 2 -> softmax
            return kind, flag
        }
        train Two on zipped {
            loss sparse_categorical_crossentropy
            optimizer sgd
            epochs 1
        }
        """;

    @Test
    void eachFilesGroupsAreTheirParts() throws Exception {
        Compilation c = Fixtures.compile(dir, PROGRAM, Map.of("x.csv", X, "y.csv", Y));
        LoadedData data = LoadedData.load(Fixtures.dataset(c), 1);
        assertArrayEquals(new float[] {0.5f, 1.0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.7f, 0.8f}, data.part("point").samples().x(), 0f);
        assertArrayEquals(new float[] {20f, 3f, 5f, 9f}, data.part("extra").samples().x(), 1e-6f, "`scale 10` of column 2");
        assertArrayEquals(new int[] {0, 2, 1, 0}, data.part("kind").samples().classes());
        assertArrayEquals(new int[] {1, 0, 1, 0}, data.part("flag").samples().classes());
        assertEquals(4, data.samples().count());
        data.checkFits(Fixtures.model(c));
    }

    @Test
    void twoHeadsTrainOnZippedFiles() throws Exception {
        Fixtures.compile(dir, PROGRAM, Map.of("x.csv", X, "y.csv", Y));
        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        int code = r.run(dir.resolve("main.dlx"), RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN)
            .withSeed(5L));
        assertEquals(Runner.OK, code, out.toString());
        List<String> metrics = Files.readAllLines(r.results().get(0).folder().resolve(RunFolder.METRICS));
        assertTrue(metrics.get(0).contains("kind_loss") && metrics.get(0).contains("flag_accuracy"), metrics.get(0));
    }

    @Test
    void filesOfDifferentLengthsAreAnErrorNamingBoth() throws Exception {
        Compilation c = Fixtures.compile(dir, PROGRAM, Map.of("x.csv", X, "y.csv", Y));
        Files.writeString(dir.resolve("y.csv"), "0,1\n2,0\n1,1\n");
        DataException e = assertThrows(DataException.class, () -> LoadedData.load(Fixtures.dataset(c), 1));
        assertTrue(e.getMessage().matches("`.*y\\.csv` has 3 data lines, but `.*x\\.csv` has 4: the sources of dataset `zipped` are zipped by row"),
            e.getMessage());
        assertTrue(e.location().endsWith("y.csv"), e.location());
    }
}
