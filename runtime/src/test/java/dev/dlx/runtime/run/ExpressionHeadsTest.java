package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.train.Fixtures;
import dev.dlx.runtime.train.TrainGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loss expressions over several inputs, outputs and named labels: a weighted sum of two heads, and
 * a loss that reads no label at all, each against its value computed by hand from the fetched
 * outputs, and trained end to end by `dlxc run`.
 */
class ExpressionHeadsTest {
    @TempDir Path dir;

    /** {@link MultiTensorTest#PROGRAM} with the outputs in the other order and the loss {@code %s}. */
    static final String PROGRAM = MultiTensorTest.PROGRAM.formatted("flag, kind").replace("%", "%%")
        .replace("loss categorical_crossentropy", "loss %s");

    static final String WEIGHTED = "categorical_crossentropy(Two.kind, labels.kind) + 0.3 * categorical_crossentropy(Two.flag, labels.flag)";

    /** Two embeddings of the two features, pulled together: no label is read. */
    static final String UNLABELLED = """
        dataset pairs {
            source csv "pairs.csv" { features left 0..3, right 4..5 }
            features left scale 1/4
            split train 50%%, val 25%%, test 25%% shuffle seed 1
            batch 4
        }
        model Both(left [4], right [2]) {
            let a = left -> dense 2
            let b = right -> dense 2
            return a, b
        }
        train Both on pairs {
            loss mean(square(a - b))
            optimizer adam lr 1e-2
            epochs 2
        }
        """;

    private Compilation compile(String program) throws Exception {
        return Fixtures.compile(dir, program, Map.of("pairs.csv", MultiTensorTest.CSV));
    }

    @Test
    void aWeightedSumOfTwoHeadsIsTheSumOfTheirLossesByHand() throws Exception {
        Compilation c = compile(PROGRAM.formatted(WEIGHTED));
        assertTrue(c.ok(), c.diagnostics().toString());
        LoadedData data = LoadedData.load(Fixtures.dataset(c), 1);
        Feeding feeding = Feeding.of(Fixtures.model(c), Fixtures.training(c), data);
        try (TrainGraph g = feeding.graph(Fixtures.model(c), Fixtures.training(c), 3, TrainGraph.Threads.of(1), false);
             BatchFeeder feed = feeding.feeder(data.samples().all(), Map.of(), null, 6)) {
            TrainGraph.StepLoss loss = g.evaluate(feed.batch(null, 0, 6, null));
            // outputs in the order `flag, kind`; labels fed in the dataset's order, kind first
            double flag = crossEntropy(g.predictions(0), 2, 7), kind = crossEntropy(g.predictions(1), 3, 6);
            assertEquals(kind + 0.3 * flag, loss.data(), 1e-5);
            assertArrayEquals(new double[] {kind, flag}, g.termLosses(), 1e-5, "each head as the expression names it");
            assertTrue(flag > 0.1 && kind > 0.1, "untrained outputs are far from the labels: " + flag + ", " + kind);
        }
    }

    @Test
    void aLossThatReadsNoLabelIsComputedFromTheOutputsAlone() throws Exception {
        Compilation c = compile(UNLABELLED.formatted());
        assertTrue(c.ok(), c.diagnostics().toString());
        LoadedData data = LoadedData.load(Fixtures.dataset(c), 1);
        Feeding feeding = Feeding.of(Fixtures.model(c), Fixtures.training(c), data);
        try (TrainGraph g = feeding.graph(Fixtures.model(c), Fixtures.training(c), 3, TrainGraph.Threads.of(1), false);
             BatchFeeder feed = feeding.feeder(data.samples().all(), Map.of(), null, 6)) {
            BatchFeeder.Batch batch = feed.batch(null, 0, 6, null);
            TrainGraph.StepLoss before = g.evaluate(batch);
            float[] a = g.predictions(0), b = g.predictions(1);
            double sum = 0;
            for (int i = 0; i < 12; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
            assertEquals(sum / 12, before.data(), 1e-5, "the mean over 6 samples of the mean of 2 squared differences");
            assertTrue(before.data() > 1e-3, "two random projections differ: " + before.data());
            for (int step = 0; step < 30; step++) assertTrue(g.step(batch, true).finite());
            assertTrue(g.evaluate(batch).data() < before.data() / 2, "training pulls the two embeddings together");
        }
    }

    @Test
    void dlxcRunTrainsTheWeightedHeadsAndReportsEachLabel() throws Exception {
        Fixtures.Output out = new Fixtures.Output();
        List<String> metrics = run(PROGRAM.formatted(WEIGHTED), out);
        assertEquals(List.of("epoch", "lr", "loss", "kind_loss", "kind_accuracy", "flag_loss", "flag_accuracy", "val_loss", "val_kind_loss",
            "val_kind_accuracy", "val_flag_loss", "val_flag_accuracy"), List.of(metrics.get(0).split(",")));
        for (String row : metrics.subList(1, metrics.size())) {
            String[] v = row.split(",");
            assertEquals(Double.parseDouble(v[2]), Double.parseDouble(v[3]) + 0.3 * Double.parseDouble(v[5]), 1e-3,
                "the epoch's loss is the weighted sum of its heads: " + row);
        }
        assertTrue(out.out.toString().contains("test  loss"), out.toString());
    }

    @Test
    void dlxcRunTrainsALossOverNoLabel() throws Exception {
        List<String> metrics = run(UNLABELLED.formatted(), new Fixtures.Output());
        assertEquals(List.of("epoch", "lr", "loss", "val_loss"), List.of(metrics.get(0).split(",")));
        assertEquals(3, metrics.size(), "a header and two epochs");
    }

    /** `dlxc run` of {@code program} with seed 5: its `metrics.csv`, lines. */
    private List<String> run(String program, Fixtures.Output out) throws Exception {
        compile(program);
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        int code = r.run(dir.resolve("main.dlx"), RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN)
            .withSeed(5L));
        assertEquals(Runner.OK, code, out.toString());
        return Files.readAllLines(r.results().get(0).folder().resolve(RunFolder.METRICS));
    }

    private static double crossEntropy(float[] p, int classes, int column) {
        double sum = 0;
        for (int i = 0; i < 6; i++) sum -= Math.log(p[i * classes + (int) MultiTensorTest.ROWS[i][column]]);
        return sum / 6;
    }
}
