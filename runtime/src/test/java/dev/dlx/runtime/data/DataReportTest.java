package dev.dlx.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.data.Augmentation;
import dev.dlx.runtime.train.Fixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dlxc data`'s report and sample grid, against numbers computed by hand. */
class DataReportTest {
    @TempDir Path dir;

    private LoadedData load(String dataset, String csv) throws Exception {
        String program = dataset + "\nmodel M(x [2]) -> [2] {\n    dense 2 -> softmax\n}\n"
            + "train M on d {\n    loss sparse_categorical_crossentropy\n    optimizer sgd\n}\n";
        Compilation c = Fixtures.compile(dir, program, Map.of("d.csv", csv));
        return LoadedData.load(c.datasets().get("d"));
    }

    @Test
    void countsStatisticsBatchesAndFoldsOfASmallTable() throws Exception {
        // 10 samples, feature 0 = i, feature 1 = 10 i, class i % 2; no shuffle: train is the first 6 per the cut
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 10; i++) csv.append(i).append(',').append(10 * i).append(',').append(i % 2).append('\n');
        LoadedData d = load("dataset d {\n    source csv \"d.csv\" { features 0..1, label 2 }\n    labels classes 2 sparse names \"even\" \"odd\"\n"
            + "    split train 60%, val 20%, test 20% shuffle false\n    normalize featurewise\n    batch 4\n}", csv.toString());
        DataReport r = DataReport.of(d, 1);
        assertEquals(List.of("train", "val", "test"), r.parts().stream().map(DataReport.Part::name).toList());
        assertEquals(6, r.parts().get(0).size());
        assertArrayEquals(new int[] {3, 3}, r.parts().get(0).perClass());
        assertArrayEquals(new int[] {1, 1}, r.parts().get(1).perClass());
        assertEquals(2, r.batchesPerEpoch(), "6 samples in batches of 4");
        // train = samples 0..5: feature 0 has min 0, max 5, mean 2.5, population std sqrt(35/12)
        DataReport.Stats f0 = r.statistics().get(0), f1 = r.statistics().get(1);
        assertEquals("column 0", f0.group());
        assertEquals(0, f0.min());
        assertEquals(5, f0.max());
        assertEquals(2.5, f0.mean(), 1e-9);
        assertEquals(Math.sqrt(35.0 / 12), f0.std(), 1e-6);
        assertEquals(25, f1.mean(), 1e-9);
        // normalized with the training split's statistics: mean 0, std 1 there
        for (DataReport.Stats s : r.normalizedStatistics()) {
            assertEquals(0, s.mean(), 1e-5);
            assertEquals(1, s.std(), 1e-5);
            assertEquals(-2.5 / Math.sqrt(35.0 / 12), s.min(), 1e-5);
        }
        String text = r.text();
        assertTrue(text.contains("train 6, val 2, test 2"), text);
        assertTrue(text.contains("2 per epoch of 4"), text);
        assertTrue(text.contains("even") && text.contains("odd"), text);
        JsonObject json = r.json();
        assertEquals(6, json.getAsJsonObject("splits").getAsJsonObject("train").get("size").getAsInt());
        assertEquals(2.5f, json.getAsJsonObject("normalization").getAsJsonArray("mean").get(0).getAsFloat(), 1e-6f);
    }

    @Test
    void statisticsAreNamedByTheHeaderAndOneHotValuesByTheirWord() throws Exception {
        String csv = "age,color,label\n20,red,a\n30,blue,b\n40,red,a\n50,blue,b\n";
        Compilation c = Fixtures.compile(dir, "dataset d {\n    source csv \"d.csv\" { header, features \"age\" \"color\", label \"label\", "
            + "categorical \"color\" \"label\" }\n    labels classes 2 sparse\n    normalize samplewise\n}\n", Map.of("d.csv", csv));
        DataReport r = DataReport.of(LoadedData.load(c.datasets().get("d")), 1);
        // one-hot positions are the sorted words: blue, red
        assertEquals(List.of("age", "color=blue", "color=red"), r.statistics().stream().map(DataReport.Stats::group).toList());
        assertEquals(35, r.statistics().get(0).mean(), 1e-9);
        String text = r.text();
        assertTrue(text.contains("after `normalize samplewise` (each sample by its own mean and standard deviation)"), text);
        assertTrue(!text.contains("training split only"), text);
    }

    @Test
    void spaceAndNewlineTokensAreVisibleInTheClassTable() throws Exception {
        Compilation c = Fixtures.compile(dir, "dataset t {\n    source text \"t.txt\" tokens char vocab 8 window 4 targets all\n}\n",
            Map.of("t.txt", "ab a\nba b\nab a\n"));
        DataReport r = DataReport.of(LoadedData.load(c.datasets().get("t")), 1);
        // the table is one line per class (vocab 8): a raw newline token would break a row in two
        List<String> lines = r.text().lines().toList();
        int head = lines.indexOf(lines.stream().filter(l -> l.startsWith("  class ")).findFirst().orElseThrow());
        List<String> rows = lines.subList(head + 1, head + 1 + 8).stream().map(l -> l.trim().split(" +")[0]).toList();
        assertTrue(rows.contains("\u2420") && rows.contains("\\n"), r.text());
        assertTrue(lines.get(head + 9).isBlank(), r.text());
        assertEquals("\\n", DataReport.visible("\n"));
        assertEquals("\\u0001", DataReport.visible("\u0001"));
    }

    @Test
    void kfoldPartitionSizesAreReported() throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 12; i++) csv.append(i).append(',').append(i).append(',').append(i % 2).append('\n');
        LoadedData d = load("dataset d {\n    source csv \"d.csv\" { features 0..1, label 2 }\n    labels classes 2 sparse\n"
            + "    split train 75%, test 25% seed 1\n    kfold 3 repeat 2 seed 5\n}", csv.toString());
        DataReport r = DataReport.of(d, 1);
        assertEquals(6, r.folds().size());
        for (Splitter.Fold f : r.folds()) {
            assertEquals(3, f.val().size());
            assertEquals(6, f.train().size());
        }
        assertTrue(r.text().contains("3 folds x 2 rounds over train + val (9 samples)"), r.text());
        assertEquals(6, r.json().getAsJsonArray("kfold").size());
    }

    @Test
    void gridShowsOriginalsThenAugmentedVariantsUpscaled() {
        // one 2x3 grayscale image: the left column black (0), the rest white (1)
        float[] x = {0, 1, 1, 0, 1, 1};
        Samples s = new Samples(x, 1, new int[] {2, 3, 1}, new int[] {0}, null, 0);
        Augmenter flip = new Augmenter(List.of(new Augmentation.Flip(Augmentation.Axis.HORIZONTAL, 1, null)), new int[] {2, 3, 1});
        BufferedImage g = SampleGrid.render(s.all(), flip, List.of("stripe"), 1, 2, 1);
        // cells are scaled to at least 84 pixels a side: 3 columns -> 28x, so a cell is 56 x 84
        int cellW = 84, cellH = 56;
        int top = 20, gap = 4;
        int left = g.getWidth() - gap - 3 * (cellW + gap) + gap;
        assertEquals(20 + cellH + 2 * gap, g.getHeight());
        // the original: black left third, white elsewhere; the flipped variants: black right third
        assertEquals(0x000000, g.getRGB(left + 5, top + 5) & 0xFFFFFF);
        assertEquals(0xFFFFFF, g.getRGB(left + cellW - 5, top + cellH - 5) & 0xFFFFFF);
        for (int v = 1; v <= 2; v++) {
            int l = left + v * (cellW + gap);
            assertEquals(0xFFFFFF, g.getRGB(l + 5, top + 5) & 0xFFFFFF);
            assertEquals(0x000000, g.getRGB(l + cellW - 5, top + 5) & 0xFFFFFF);
        }
    }

    @Test
    void gridRowsCoverTheClassesInTurn() {
        float[] x = new float[8 * 4];
        int[] classes = {0, 0, 0, 0, 0, 1, 1, 2};
        Samples s = new Samples(x, 8, new int[] {2, 2, 1}, classes, null, 0);
        int[] chosen = SampleGrid.choose(s.all(), 4, 3);
        assertArrayEquals(new int[] {0, 1, 2, 0}, java.util.Arrays.stream(chosen).map(i -> classes[i]).toArray());
    }
}
