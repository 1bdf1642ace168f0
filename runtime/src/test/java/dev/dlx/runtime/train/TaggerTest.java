package dev.dlx.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.data.TaggedSource;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.metrics.MetricAccumulator;
import dev.dlx.runtime.optim.LearningRate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `source tagged`: rows of tokens with a tag per token read into padded id sequences with a class
 * per step (padding -1), and a bidirectional LSTM that learns word segmentation of real text (the
 * first 1,000 rows of Moby Dick, checked in) beyond two baselines computed here from the file.
 */
class TaggerTest {
    @TempDir Path dir;

    private static final String SMALL = """
        dataset d {
            source tagged "t.csv" { tokens 0, tags 1, header, length 4, vocab 8 }
        }
        model M(x [4]) -> [4, 2] {
            embedding 8 4
            lstm 4 return_sequences
            dense 2 -> softmax
        }
        train M on d {
            loss sparse_categorical_crossentropy
            optimizer adam
            epochs 1
        }
        """;

    @Test
    void rowsBecomePaddedIdsWithATagAtEveryRealStep() throws Exception {
        Compilation c = Fixtures.compile(dir, SMALL, Map.of("t.csv", "chars,tags\na b c,B I I\n\nb c,B B\n"));
        LoadedData d = LoadedData.load(Fixtures.dataset(c));
        // token counts b 2, c 2, a 1: b = 2, c = 3 (ties alphabetical), a = 4; tags B = 0, I = 1 (sorted)
        assertEquals(2, d.samples().count());
        assertArrayEquals(new float[] {4, 2, 3, 0, 2, 3, 0, 0}, d.samples().x());
        int p = TaggedSource.PADDED;
        assertArrayEquals(new int[] {0, 1, 1, p, 0, 0, p, p}, d.samples().classes());
        assertEquals(List.of("B", "I"), d.classNames());
        assertEquals(List.of("<pad>", "<unk>", "b", "c", "a"), d.words().vocabulary().subList(0, 5));
        // padded steps count in no class total
        assertArrayEquals(new int[] {3, 2}, d.samples().all().classCounts(2));
    }

    @Test
    void aRowWhoseTagsDoNotMatchItsTokensIsADataErrorAtItsLine() throws Exception {
        Compilation c = Fixtures.compile(dir, SMALL, Map.of("t.csv", "chars,tags\na b,B I\n"));
        Files.writeString(dir.resolve("t.csv"), "chars,tags\na b,B I\nb c a,B I\n"); // changed after the check
        DataException e = assertThrows(DataException.class, () -> LoadedData.load(Fixtures.dataset(c)));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("line 3 has 3 tokens but 2 tags"), e.getMessage());
        assertTrue(e.file().endsWith("t.csv"));

        Files.writeString(dir.resolve("t.csv"), "chars,tags\na b,B I\nb c,B X\n");
        DataException tag = assertThrows(DataException.class, () -> LoadedData.load(Fixtures.dataset(c)));
        assertEquals(3, tag.line());
        assertTrue(tag.getMessage().contains("the tag `X` (step 2), which is not one of the classes `B` or `I`"), tag.getMessage());
    }

    /** The rows of the checked-in file: characters and tags without the spaces. */
    private static List<String[]> rows(Path file) throws Exception {
        List<String[]> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            r.readLine(); // header
            for (String line; (line = r.readLine()) != null; ) {
                String[] cells = line.split(",");
                out.add(new String[] {cells[0].replace(" ", ""), cells[1].replace(" ", "")});
            }
        }
        return out;
    }

    @Test
    void aBidirectionalLstmSegmentsMobyDickBetterThanCharacterPairs() throws Exception {
        Path file = Fixtures.repo().resolve("samples/data/moby_segments.csv.gz");
        String program = """
            dataset segments {
                source tagged "%s" { tokens 0, tags 1, header, vocab 40 }
                split train 90%%, val 10%% shuffle false
                batch 32
            }
            model Segmenter(chars [40]) -> [40, 2] {
                embedding 40 16 mask_zero
                lstm 32 return_sequences bidirectional
                dense 2 -> softmax
            }
            train Segmenter on segments {
                loss sparse_categorical_crossentropy
                optimizer adam lr 1e-2
                init glorot_uniform seed 5
                epochs 5
                clip global_norm 5.0
                metrics accuracy
            }
            """.formatted(file.toString().replace("\\", "/"));
        Compilation c = Fixtures.compile(dir, program, Map.of());
        LoadedData data = LoadedData.load(Fixtures.dataset(c));
        Splitter.Splits splits = Splitter.split(data, 1);

        // the baselines, from the file itself: the val split is its last 100 rows (an unshuffled 90/10 split)
        List<String[]> rows = rows(file);
        assertEquals(1000, rows.size());
        assertEquals(100, splits.val().size());
        Map<String, int[]> afterPair = new HashMap<>();
        for (String[] r : rows.subList(0, 900)) {
            for (int i = 1; i < r[0].length(); i++) afterPair.computeIfAbsent(r[0].substring(i - 1, i + 1), k -> new int[2])[r[1].charAt(i) == 'B' ? 1 : 0]++;
        }
        long chars = 0, allI = 0, pairRule = 0;
        for (String[] r : rows.subList(900, 1000)) {
            for (int i = 0; i < r[0].length(); i++) {
                chars++;
                if (r[1].charAt(i) == 'I') allI++;
                int[] k = i == 0 ? null : afterPair.get(r[0].substring(i - 1, i + 1));
                char guess = i == 0 || k != null && k[1] > k[0] ? 'B' : 'I';
                if (guess == r[1].charAt(i)) pairRule++;
            }
        }
        double baseI = (double) allI / chars, basePairs = (double) pairRule / chars;
        assertEquals(3782, chars);
        assertTrue(baseI > 0.7 && basePairs > baseI, "all I " + baseI + ", pairs " + basePairs);

        assertEquals(chars, java.util.Arrays.stream(splits.val().allClasses()).filter(k -> k >= 0).count(), "a class at every real step");
        TrainIR t = Fixtures.training(c);
        try (TrainGraph g = TrainGraph.build(Fixtures.model(c), t, data.labels(), 1, TrainGraph.Threads.of(2));
             BatchFeeder train = new BatchFeeder(splits.train(), data.labels(), null, null, 32);
             BatchFeeder val = new BatchFeeder(splits.val(), data.labels(), null, null, 100)) {
            Trainer.Settings s = new Trainer.Settings(t.epochs(), t.metrics(), null, "val_loss", false, 0, true, 1,
                MetricAccumulator.Task.MULTICLASS, false);
            new Trainer(g, new LearningRate(null, t.optimizer().lr(), t.epochs()), s, null, new MemoryStore(), null, null).fit(train, val, 32, null);
            MetricAccumulator acc = new MetricAccumulator(MetricAccumulator.Task.MULTICLASS, 2, false, 40);
            Map<String, Double> m = Trainer.evaluate(g, val, t.metrics(), acc);
            long counted = 0;
            for (long[] row : acc.confusion()) for (long v : row) counted += v;
            assertEquals(chars, counted, "the accuracy counts the real characters, not the padded steps");
            double accuracy = m.get("accuracy");
            System.out.printf(java.util.Locale.ROOT, "segmentation of the last 100 rows: accuracy %.4f; all I %.4f, character pairs %.4f%n",
                accuracy, baseI, basePairs);
            assertTrue(accuracy > basePairs + 0.02, "accuracy " + accuracy + " vs character pairs " + basePairs);
        }
    }
}
