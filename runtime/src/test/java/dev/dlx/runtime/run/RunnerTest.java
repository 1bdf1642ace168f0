package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.Compilation;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.train.Checkpoint;
import dev.dlx.runtime.train.EpochRecord;
import dev.dlx.runtime.train.Fixtures;
import dev.dlx.runtime.train.History;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dlxc run` end to end on small programs: repeatability, resume, divergence, normalization, data errors, K-fold. */
class RunnerTest {
    @TempDir Path dir;

    static String digitsCsv() { return Fixtures.repo().resolve("samples/data/digits.csv.gz").toString(); }

    /** A small digits MLP with batch norm, augmentation and normalization. */
    static String digitsMlp(int epochs, String extra) {
        return """
            dataset digits {
                source csv "%s" { features 0..63, label 64 }
                features scale 1/16
                labels classes 10 onehot
                split train 70%%, val 15%%, test 15%% shuffle seed 42 stratify
                normalize featurewise
                augment train {
                    noise 0.05
                }
                batch 32
            }
            model Mlp(x [64]) -> [10] {
                dense 32 -> batchnorm -> relu
                dense 10 -> softmax
            }
            train Mlp on digits {
                loss categorical_crossentropy
                optimizer adam lr 1e-2
                epochs %d
                metrics accuracy f1
                %s
            }
            """.formatted(digitsCsv(), epochs, extra);
    }

    private Runner.Result run(Path file, RunOptions o, Fixtures.Output out, int expectedCode) {
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        int code = r.run(file, o);
        assertEquals(expectedCode, code, out.toString());
        return r.results().isEmpty() ? null : r.results().get(0);
    }

    private RunOptions options() { return RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN); }

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void theSameSeedGivesTheSameLosses() throws Exception {
        // the showcase sample: convolutions, batch norm, dropout, augmentation, normalization
        Path file = Fixtures.repo().resolve("samples/digits.dlx");
        Runner.Result a = run(file, options().withEpochs(2).withSeed(7L), new Fixtures.Output(), Runner.OK);
        Runner.Result b = run(file, options().withEpochs(2).withSeed(7L), new Fixtures.Output(), Runner.OK);
        Runner.Result c = run(file, options().withEpochs(2).withSeed(8L), new Fixtures.Output(), Runner.OK);
        assertEquals(2, a.history().epochs().size());
        for (int i = 0; i < 2; i++) {
            EpochRecord x = a.history().epochs().get(i), y = b.history().epochs().get(i);
            assertEquals(x.train(), y.train(), "epoch " + (i + 1));
            assertEquals(x.val(), y.val(), "epoch " + (i + 1));
        }
        assertEquals(a.test(), b.test());
        assertNotEquals(a.history().epochs().get(0).train(), c.history().epochs().get(0).train(), "another seed, other losses");
    }

    @Test
    void resumeContinuesFromTheSavedEpochWeightsAndOptimizerState() throws Exception {
        // with dropout: a resumed run draws the masks of the uninterrupted one at every step
        Path file = write("mlp.dlx", digitsMlp(4, "").replace("dense 32 -> batchnorm -> relu", "dense 32 -> batchnorm -> relu -> dropout 0.3"));
        Runner.Result whole = run(file, options().withSeed(3L), new Fixtures.Output(), Runner.OK);
        Runner.Result half = run(file, options().withSeed(3L).withEpochs(2), new Fixtures.Output(), Runner.OK);
        Checkpoint saved = Checkpoint.read(half.folder().resolve(RunFolder.LAST));
        assertEquals(2, saved.epoch());

        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        assertEquals(Runner.OK, r.resume(half.folder(), options().withEpochs(4)), out.toString());
        History resumed = r.results().get(0).history();
        assertTrue(out.out.toString().contains("resuming `Mlp` after epoch 2 of 4"), out.toString());
        assertEquals(List.of(3, 4), resumed.epochs().stream().map(EpochRecord::epoch).toList());
        // epochs 3 and 4 are those of the uninterrupted run: same weights, Adam state, shuffles, augmentation and dropout masks
        for (int i = 0; i < 2; i++) {
            EpochRecord x = whole.history().epochs().get(2 + i), y = resumed.epochs().get(i);
            assertEquals(x.train().get("loss"), y.train().get("loss"), 0, "epoch " + x.epoch());
            assertEquals(x.val().get("loss"), y.val().get("loss"), 0, "epoch " + x.epoch());
        }
        assertEquals(whole.test().get("accuracy"), r.results().get(0).test().get("accuracy"), 1e-9);
        assertEquals(4, Checkpoint.read(half.folder().resolve(RunFolder.LAST)).epoch());
        List<String> rows = Files.readAllLines(half.folder().resolve(RunFolder.METRICS));
        assertEquals(5, rows.size(), "a header and epochs 1 to 4: " + rows);
        assertEquals("completed", RunFolder.open(half.folder()).readJson(RunFolder.RUN_JSON).get("status").getAsString());

        // stopped inside epoch 5, resumed with fewer epochs than it has: nothing trains, nothing is rewritten, the user is told
        Checkpoint last = Checkpoint.read(half.folder().resolve(RunFolder.LAST));
        JsonObject meta = last.meta().deepCopy();
        meta.addProperty("interrupted_during_epoch", true);
        meta.addProperty("batches_done", 3);
        new Checkpoint(last.weights(), last.shapes(), last.optimizer(), meta).write(half.folder().resolve(RunFolder.LAST));
        Fixtures.Output fewer = new Fixtures.Output();
        Runner again = new Runner(fewer.outWriter, fewer.errWriter, fewer.bar, null);
        assertEquals(Runner.OK, again.resume(half.folder(), options().withEpochs(3)), fewer.toString());
        assertTrue(again.results().isEmpty(), "nothing trained");
        assertTrue(fewer.out.toString().contains("already trained 4 epochs and part of epoch 5; --epochs 3 asks for no more; pass --epochs 5"),
            fewer.toString());
        assertEquals(rows, Files.readAllLines(half.folder().resolve(RunFolder.METRICS)));
    }

    @Test
    void aDivergingRunStopsWithEpochBatchAndLayerAndLeavesTheBestCheckpoint() throws Exception {
        String data = Fixtures.regressionCsv(200, 4, 1);
        String program = """
            dataset d {
                source csv "reg.csv" { features 0..3, label 4 }
                labels regression
                split train 80%%, val 20%% seed 1
                batch 20
            }
            model Deep(x [4]) -> [1] {
                dense 64 -> relu
                dense 64 -> relu
                dense 64 -> relu
                dense 1
            }
            train Deep on d {
                loss mse
                optimizer sgd lr %s
                epochs 3
            }
            """;
        Files.writeString(dir.resolve("reg.csv"), data);
        Path file = write("deep.dlx", program.formatted("0.001"));
        Runner.Result first = run(file, options().withSeed(1L).withEpochs(1), new Fixtures.Output(), Runner.OK);
        Path best = first.folder().resolve(RunFolder.BEST), last = first.folder().resolve(RunFolder.LAST);
        byte[] bestBefore = Files.readAllBytes(best), lastBefore = Files.readAllBytes(last);

        // a run resumes from its own copy of the program: make that one diverge
        Files.writeString(first.folder().resolve("source/deep.dlx"), program.formatted("1e10"));
        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        assertEquals(Runner.ERRORS, r.resume(first.folder(), options().withEpochs(3)), out.toString());
        History h = r.results().get(0).history();
        assertEquals(History.Stop.FAILED, h.stop());
        assertEquals(2, h.failure().epoch());
        assertTrue(h.failure().batch() >= 1);
        assertTrue(h.failure().diagnosis() != null, "the failure names a layer");
        assertTrue(List.of("dense_1", "dense_2", "dense_3", "dense_4", "relu_1", "relu_2", "relu_3").contains(h.failure().diagnosis().layer()),
            h.failure().message());
        String err = out.err.toString();
        assertTrue(err.contains("at epoch 2, batch " + h.failure().batch()), err);
        assertTrue(err.contains("layer `" + h.failure().diagnosis().layer() + "`"), err);
        assertTrue(err.contains("was left as it was"), err);
        assertArrayEquals(bestBefore, Files.readAllBytes(best), "best.npz is untouched");
        assertArrayEquals(lastBefore, Files.readAllBytes(last), "last.npz is untouched");
        assertEquals("failed", RunFolder.open(first.folder()).readJson(RunFolder.RUN_JSON).get("status").getAsString());
    }

    @Test
    void aLossThatGrowsWithoutBecomingNaNStopsTheRunAsFailed() throws Exception {
        // wine's features reach 1,680 unnormalized: adam at lr 10 sends the MSE from 143 to about 1e11 in one epoch, finite
        Path file = write("wine.dlx", """
            dataset d {
                source csv "%s" { features 0..12, label 13, skip 1 }
                labels regression
                split train 80%%, val 20%% seed 1
                batch 32
            }
            model R(x [13]) -> [1] {
                dense 32 -> relu
                dense 1
            }
            train R on d {
                loss mse
                optimizer adam lr 10
                epochs 3
            }
            """.formatted(Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize().resolve("samples/data/wine_data.csv")));
        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        assertEquals(Runner.ERRORS, r.run(file, options().withSeed(1L)), out.toString());
        History h = r.results().get(0).history();
        assertEquals(History.Stop.FAILED, h.stop(), out.toString());
        assertTrue(h.failure().divergence() != null, "a finite loss that grew: " + out);
        assertTrue(out.err.toString().contains("the loss diverged at epoch " + h.failure().epoch()), out.err.toString());
        if (h.failure().epoch() == 1) {
            assertTrue(!Files.exists(r.results().get(0).folder().resolve(RunFolder.BEST)), "no best checkpoint from a diverged epoch");
        }
    }

    @Test
    void normalizationStatisticsComeFromTheTrainingSplitOnly() throws Exception {
        normalizationFromTheTrainingSplit(digitsMlp(1, ""));
    }

    /** Written before `split` (DLX1005 says so), `normalize` still takes the training split's statistics. */
    @Test
    void normalizeBeforeSplitStillUsesTheTrainingSplit() throws Exception {
        String before = digitsMlp(1, "").replace("    normalize featurewise\n", "")
            .replace("    split train", "    normalize featurewise\n    split train");
        assertTrue(before.indexOf("normalize") < before.indexOf("split"), before);
        normalizationFromTheTrainingSplit(before);
    }

    private void normalizationFromTheTrainingSplit(String program) throws Exception {
        Path file = write("mlp.dlx", program);
        Runner.Result res = run(file, options().withSeed(5L), new Fixtures.Output(), Runner.OK);
        JsonObject stored = RunFolder.open(res.folder()).readJson(RunFolder.NORMALIZATION);
        JsonArray mean = stored.getAsJsonArray("mean"), std = stored.getAsJsonArray("std");
        assertEquals(64, mean.size());

        Compilation c = dev.dlx.runtime.run.Programs.compile(file, new java.io.PrintWriter(java.io.Writer.nullWriter()));
        LoadedData data = LoadedData.load(c.datasets().get("digits"));
        Splitter.Splits splits = Splitter.split(data, 5);
        double[] trainMean = mean(splits.train()), allMean = mean(data.samples().all());
        boolean differs = false;
        for (int j = 0; j < 64; j++) {
            assertEquals(trainMean[j], mean.get(j).getAsDouble(), 1e-5, "feature " + j);
            differs |= Math.abs(allMean[j] - trainMean[j]) > 1e-4;
        }
        assertTrue(differs, "the whole data set has other statistics");
        double var0 = 0;
        int j = 36;
        for (int i : splits.train().index()) var0 += Math.pow(data.samples().x()[i * 64 + j] - trainMean[j], 2);
        assertEquals(Math.sqrt(var0 / splits.train().size()), std.get(j).getAsDouble(), 1e-4);
    }

    private static double[] mean(SampleSet s) {
        double[] m = new double[64];
        for (int i : s.index()) for (int j = 0; j < 64; j++) m[j] += s.base().x()[i * 64 + j];
        for (int j = 0; j < 64; j++) m[j] /= s.size();
        return m;
    }

    @Test
    void badDataIsReportedWithFileAndLineBeforeTraining() throws Exception {
        String program = """
            dataset d {
                source csv "bad.csv" { features 0..2, label 3 }
                labels classes 3 sparse
            }
            model M(x [3]) -> [3] {
                dense 3 -> softmax
            }
            train M on d {
                loss sparse_categorical_crossentropy
                optimizer sgd lr 0.1
            }
            """;
        Path file = write("bad.dlx", program);
        Map<String, String> cases = Map.of(
            "1,2,3,0\n4,5,6,1\n7,8,9\n", "bad.csv:3",
            "1,2,3,0\n\n1,x,3,1\n", "bad.csv:3");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Files.writeString(dir.resolve("bad.csv"), c.getKey());
            Fixtures.Output out = new Fixtures.Output();
            run(file, options(), out, Runner.ERRORS);
            String err = out.err.toString();
            assertTrue(err.contains("error[DLX0506]") && err.contains("--> ") && err.contains(c.getValue()), c.getKey() + "\n" + err);
            assertTrue(!out.out.toString().contains("epoch"), "nothing trained");
        }
        Files.writeString(dir.resolve("bad.csv"), "1,2,3,0\n4,5,6,3\n");
        Fixtures.Output out = new Fixtures.Output();
        run(file, options(), out, Runner.ERRORS);
        // the checker reads the label cells as the reader does: the run stops at the check, at the cell
        assertTrue(out.err.toString().contains("the label 3 in column 3 on line 2 of `bad.csv` is outside the 3 declared classes (0..2)"),
            out.toString());
        assertTrue(out.err.toString().contains("= note: at bad.csv:2:7"), out.toString());
        assertTrue(!out.out.toString().contains("epoch"), "nothing trained");
    }

    @Test
    void digitsReachesNinetyFivePercentOnTheTestSplit() throws Exception {
        Path file = Fixtures.repo().resolve("samples/digits.dlx");
        Fixtures.Output out = new Fixtures.Output();
        Runner.Result r = run(file, options().withEpochs(15).withSeed(1L), out, Runner.OK);
        double accuracy = r.test().get("accuracy");
        System.out.println("[digits] test accuracy " + accuracy + " after " + r.history().completedEpochs() + " epochs");
        assertTrue(accuracy >= 0.95, "test accuracy " + accuracy + "\n" + out);
        Path folder = r.folder();
        for (String f : List.of(RunFolder.BEST, RunFolder.LAST, RunFolder.METRICS, RunFolder.CURVES, RunFolder.NORMALIZATION,
                RunFolder.CLASSES, RunFolder.SUMMARY, RunFolder.RUN_JSON, "source/digits.dlx", "best.json")) {
            assertTrue(Files.exists(folder.resolve(f)), f + " in the run folder");
        }
        assertTrue(Files.readString(folder.resolve(RunFolder.METRICS)).startsWith("epoch,lr,loss,accuracy,val_loss,val_accuracy\n"));
    }

    @Test
    void overfittingOneBatchDrivesTheLossToZero() throws Exception {
        Path file = write("mlp.dlx", digitsMlp(1, ""));
        Fixtures.Output out = new Fixtures.Output();
        Runner.Result r = run(file, options().withSeed(1L).withOverfit(true), out, Runner.OK);
        assertTrue(r.overfit().reached(), out.toString());
        assertTrue(r.overfit().lastLoss() < 0.05 && r.overfit().firstLoss() > 1, out.toString());
        assertTrue(out.out.toString().contains("ok: the loss went near zero"), out.toString());
        assertTrue(!Files.exists(dir.resolve("runs")), "the overfit check leaves no run folder");
    }

    @Test
    void kfoldTrainsAModelPerFoldAndReportsMeanAndStd() throws Exception {
        String program = """
            dataset iris {
                source csv "%s" { features 0..3, label 4, skip 1 }
                labels classes 3 sparse names "setosa" "versicolor" "virginica"
                split train 80%%, test 20%% seed 1 stratify
                kfold 3 seed 2
                normalize featurewise
                batch 16
            }
            model Iris(x [4]) -> [3] {
                dense 16 -> relu
                dense 3 -> softmax
            }
            train Iris on iris {
                loss sparse_categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 15
            }
            """.formatted(Fixtures.repo().resolve("samples/data/iris.csv"));
        Path file = write("iris.dlx", program);
        Fixtures.Output out = new Fixtures.Output();
        Runner.Result r = run(file, options().withSeed(1L), out, Runner.OK);
        assertEquals(3, r.folds().size(), out.toString());
        String text = out.out.toString();
        assertTrue(text.contains("k-fold mean ± std over 3 folds: val_loss "), text);
        for (int f = 1; f <= 3; f++) {
            assertTrue(Files.exists(r.folder().resolve("fold-" + f).resolve(RunFolder.BEST)), "fold " + f);
            assertTrue(Files.exists(r.folder().resolve("fold-" + f).resolve(RunFolder.NORMALIZATION)), "fold " + f);
        }
        double mean = r.folds().stream().mapToDouble(m -> m.get("accuracy")).average().orElseThrow();
        assertTrue(mean > 0.8, "iris folds " + r.folds());
        assertTrue(Files.readString(r.folder().resolve("kfold.txt")).contains("mean ± std"));
    }

    @Test
    void binaryClassificationAndRegressionTrain() throws Exception {
        // digits 0-4 against 5-9, one sigmoid unit
        StringBuilder csv = new StringBuilder();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(Path.of(digitsCsv())))))) {
            String line;
            while ((line = in.readLine()) != null) {
                int cut = line.lastIndexOf(',');
                csv.append(line, 0, cut).append(',').append(Integer.parseInt(line.substring(cut + 1)) < 5 ? 0 : 1).append('\n');
            }
        }
        Files.writeString(dir.resolve("halves.csv"), csv.toString());
        Path binary = write("binary.dlx", """
            dataset halves {
                source csv "halves.csv" { features 0..63, label 64 }
                features scale 1/16
                labels classes 2 binary names "low" "high"
                split train 80%, test 20% seed 1
            }
            model Half(x [64]) -> [1] {
                dense 32 -> relu
                dense 1 -> sigmoid
            }
            train Half on halves {
                loss binary_crossentropy
                optimizer adam lr 1e-2
                epochs 8
                metrics accuracy precision recall f1
            }
            """);
        Runner.Result b = run(binary, options().withSeed(1L), new Fixtures.Output(), Runner.OK);
        assertTrue(b.test().get("accuracy") > 0.9, b.test().toString());
        assertTrue(b.test().get("f1") > 0.9 && b.test().get("precision") > 0.85 && b.test().get("recall") > 0.85, b.test().toString());

        Files.writeString(dir.resolve("reg.csv"), Fixtures.regressionCsv(400, 3, 2));
        Path regression = write("reg.dlx", """
            dataset lin {
                source csv "reg.csv" { features 0..2, label 3 }
                labels regression
                split train 75%, test 25% seed 1
                normalize featurewise
            }
            model Lin(x [3]) -> [1] {
                dense 16 -> relu
                dense 1
            }
            train Lin on lin {
                loss huber delta 1.0
                optimizer rmsprop lr 1e-2
                epochs 25
                metrics mae mse
            }
            """);
        Runner.Result r = run(regression, options().withSeed(1L), new Fixtures.Output(), Runner.OK);
        // y = 0.5 x0 + 1.0 x1 + 1.5 x2 + noise(0.1): a spread of about 1.9, learned to well below it
        assertTrue(r.test().get("mae") < 0.3, r.test().toString());
        assertEquals(List.of("loss", "mae", "mse"), List.copyOf(r.test().keySet()));
    }
}
