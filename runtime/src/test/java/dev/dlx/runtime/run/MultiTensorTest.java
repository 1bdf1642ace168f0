package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.graph.Tensors;
import dev.dlx.runtime.train.Fixtures;
import dev.dlx.runtime.train.TrainGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Datasets with several named features and labels feeding models with several inputs and outputs. */
class MultiTensorTest {
    @TempDir Path dir;

    /** Six rows: `left` columns 0..3, `right` 4..5, label `kind` (3 classes) in 6, `flag` (2 classes) in 7. */
    static final String CSV = """
        4,0,2,1,0.5,-1,0,1
        0,4,1,2,1,0.25,1,0
        2,2,4,0,-0.5,1,2,1
        1,3,0,4,0,0,0,0
        3,1,2,2,0.75,-0.25,1,1
        0,0,4,4,-1,0.5,2,0
        """;

    static final String PROGRAM = """
        dataset pairs {
            source csv "pairs.csv" { features left 0..3, right 4..5, labels kind 6, flag 7 }
            features left scale 1/4, right reshape [2, 1]
            labels kind classes 3 onehot, flag classes 2 onehot
            split train 50%%, val 25%%, test 25%% shuffle seed 1
            batch 4
        }
        model Two(left [4], right [2, 1]) {
            let r = right -> flatten
            let h = concat(left, r) -> dense 8 -> relu
            let kind = h -> dense 3 -> softmax
            let flag = h -> dense 2 -> softmax
            return %s
        }
        train Two on pairs {
            loss categorical_crossentropy
            optimizer adam lr 1e-2
            epochs 2
        }
        """;

    static final float[][] ROWS = {
        {4, 0, 2, 1, 0.5f, -1, 0, 1}, {0, 4, 1, 2, 1, 0.25f, 1, 0}, {2, 2, 4, 0, -0.5f, 1, 2, 1},
        {1, 3, 0, 4, 0, 0, 0, 0}, {3, 1, 2, 2, 0.75f, -0.25f, 1, 1}, {0, 0, 4, 4, -1, 0.5f, 2, 0}};

    private Compilation compile(String outputs) throws Exception {
        return Fixtures.compile(dir, PROGRAM.formatted(outputs), Map.of("pairs.csv", CSV));
    }

    private static float[] oneHot(int rows, int classes, int column) {
        float[] out = new float[rows * classes];
        for (int i = 0; i < rows; i++) out[i * classes + (int) ROWS[i][column]] = 1;
        return out;
    }

    @Test
    void eachFeatureFeedsItsInputAndEachLabelItsOutput() throws Exception {
        Compilation c = compile("kind, flag");
        LoadedData data = LoadedData.load(Fixtures.dataset(c), 1);
        data.checkFits(Fixtures.model(c));
        Feeding feeding = Feeding.of(Fixtures.model(c), Fixtures.training(c), data);
        try (BatchFeeder feed = feeding.feeder(data.samples().all(), Map.of(), null, 6)) {
            BatchFeeder.Batch b = feed.batch(null, 0, 6, null);
            float[] left = new float[24], right = new float[12];
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 4; j++) left[i * 4 + j] = ROWS[i][j] / 4; // `scale 1/4`
                for (int j = 0; j < 2; j++) right[i * 2 + j] = ROWS[i][4 + j];
            }
            assertArrayEquals(left, Tensors.floats(b.x), 0f);
            assertEquals(2, b.parts.size(), "the second input and the second label");
            assertArrayEquals(right, Tensors.floats(b.parts.get(0).x), 0f);
            assertArrayEquals(new long[] {6, 2, 1}, b.parts.get(0).x.shape().asArray(), "`reshape [2, 1]` of `right`");
            assertArrayEquals(oneHot(6, 3, 6), Tensors.floats(b.y), 0f);
            assertArrayEquals(oneHot(6, 2, 7), Tensors.floats(b.parts.get(1).y), 0f);
        }
    }

    @Test
    void theLossIsTheSumOfEachOutputsLoss() throws Exception {
        // the outputs in the other order: pairing is by name, not by position
        Compilation c = compile("flag, kind");
        LoadedData data = LoadedData.load(Fixtures.dataset(c), 1);
        Feeding feeding = Feeding.of(Fixtures.model(c), Fixtures.training(c), data);
        try (TrainGraph g = feeding.graph(Fixtures.model(c), Fixtures.training(c), 3, TrainGraph.Threads.of(1), false);
             BatchFeeder feed = feeding.feeder(data.samples().all(), Map.of(), null, 6)) {
            TrainGraph.StepLoss loss = g.evaluate(feed.batch(null, 0, 6, null));
            // by hand: the mean of -log p(true class) of each output, over the 6 rows, summed
            double flag = crossEntropy(g.predictions(0), 2, 7), kind = crossEntropy(g.predictions(1), 3, 6);
            assertEquals(flag + kind, loss.data(), 1e-5);
            assertArrayEquals(new double[] {flag, kind}, g.termLosses(), 1e-5);
            assertTrue(flag > 0.1 && kind > 0.1, "untrained outputs are far from the labels: " + flag + ", " + kind);
        }
    }

    private static double crossEntropy(float[] p, int classes, int column) {
        double sum = 0;
        for (int i = 0; i < 6; i++) sum -= Math.log(p[i * classes + (int) ROWS[i][column]]);
        return sum / 6;
    }

    @Test
    void aTwoInputTwoOutputModelTrainsAndReportsEachHead() throws Exception {
        Path file = dir.resolve("main.dlx");
        compile("kind, flag");
        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        int code = r.run(file, RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN).withSeed(5L));
        assertEquals(Runner.OK, code, out.toString());
        Path run = r.results().get(0).folder();
        List<String> metrics = Files.readAllLines(run.resolve(RunFolder.METRICS));
        assertEquals(List.of("epoch", "lr", "loss", "kind_loss", "kind_accuracy", "flag_loss", "flag_accuracy", "val_loss", "val_kind_loss",
            "val_kind_accuracy", "val_flag_loss", "val_flag_accuracy"), List.of(metrics.get(0).split(",")));
        assertEquals(3, metrics.size(), "a header and two epochs");
        String[] first = metrics.get(1).split(",");
        assertEquals(Double.parseDouble(first[2]), Double.parseDouble(first[3]) + Double.parseDouble(first[5]), 1e-3,
            "the epoch's loss is the sum of the heads' losses");
        assertTrue(out.out.toString().contains("flag_accuracy"), out.toString());
        // each label's class names and each input's normalization have their own file
        assertEquals("[\"0\",\"1\",\"2\"]", Files.readString(run.resolve("classes.kind.json")).replaceAll("\\s", ""));
        assertEquals("[\"0\",\"1\"]", Files.readString(run.resolve("classes.flag.json")).replaceAll("\\s", ""));
    }

    @Test
    void theTwoOutputReproducerIsRefusedByCheckBeforeAnyRunFolder() throws Exception {
        Path defects = Path.of("/work/shared/defects");
        Path source = Files.isDirectory(defects) ? defects : null;
        org.junit.jupiter.api.Assumptions.assumeTrue(source != null, "the defect reproducers are not on this machine");
        Files.createDirectories(dir.resolve("data"));
        Files.copy(source.resolve("data/digits.csv.gz"), dir.resolve("data/digits.csv.gz"));
        for (String name : List.of("d02_two_inputs.dlx", "d02_two_outputs.dlx")) {
            Files.copy(source.resolve(name), dir.resolve(name));
            Fixtures.Output out = new Fixtures.Output();
            Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
            int code = r.run(dir.resolve(name), RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN));
            assertEquals(Runner.ERRORS, code, out.toString());
            assertTrue(out.err.toString().contains(name.contains("inputs") ? "DLX0520" : "DLX0521"), out.toString());
            assertFalse(Files.exists(dir.resolve("runs")), "no run folder is left behind");
        }
    }
}
