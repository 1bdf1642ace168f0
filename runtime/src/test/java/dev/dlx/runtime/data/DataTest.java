package dev.dlx.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.data.Augmentation;
import dev.dlx.compiler.data.KFold;
import dev.dlx.compiler.data.Normalize;
import dev.dlx.runtime.train.Fixtures;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading, checking, splitting, normalizing and augmenting data. */
class DataTest {
    @TempDir Path dir;

    private LoadedData load(String dataset, Map<String, String> files, String input) throws Exception {
        String program = dataset + "\nmodel M(x " + input + ") -> [3] {\n    flatten\n    dense 3 -> softmax\n}\n"
            + "train M on d {\n    loss sparse_categorical_crossentropy\n    optimizer sgd\n}\n";
        Compilation c = Fixtures.compile(dir, program, files);
        return LoadedData.load(c.datasets().get("d"));
    }

    private DataException loadFails(String csv) throws Exception {
        String ds = "dataset d {\n    source csv \"x.csv\" { features 0..1, label 2 }\n    labels classes 3 sparse\n}";
        Files.writeString(dir.resolve("x.csv"), "0,0,0\n");
        Compilation c = Fixtures.compile(dir, ds + "\nmodel M(x [2]) -> [3] {\n    dense 3 -> softmax\n}\n"
            + "train M on d {\n    loss sparse_categorical_crossentropy\n    optimizer sgd\n}\n", Map.of());
        Files.writeString(dir.resolve("x.csv"), csv);
        return assertThrows(DataException.class, () -> LoadedData.load(c.datasets().get("d")));
    }

    @Test
    void csvProblemsNameTheFileAndLine() throws Exception {
        DataException ragged = loadFails("1,2,0\n3,4,1\n5,6\n");
        assertTrue(ragged.location().endsWith("x.csv:3"), ragged.render());
        assertTrue(ragged.getMessage().contains("line 3") && ragged.getMessage().contains("has 2 fields"), ragged.getMessage());

        DataException label = loadFails("1,2,0\n3,4,7\n");
        assertTrue(label.location().endsWith("x.csv:2:5"), label.render());
        assertTrue(label.getMessage().contains("outside the 3 declared classes"), label.getMessage());

        DataException fraction = loadFails("1,2,1.5\n");
        assertTrue(fraction.location().endsWith("x.csv:1:5"), fraction.render()); // the label cell, at character 5

        DataException text = loadFails("1,2,0\n\n1,two,1\n");
        assertTrue(text.location().endsWith("x.csv:3:3"), text.render()); // line 3, `two` starts at character 3
        assertTrue(text.getMessage().contains("holds `two`, not a number"), text.getMessage());

        DataException empty = loadFails("1,,0\n");
        assertTrue(empty.getMessage().contains("is empty"), empty.getMessage());
        assertTrue(empty.render().startsWith("error[DLX0506]: "), empty.render());
    }

    @Test
    void csvReadsCategoriesClassNamesAndGzip() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("h1,h2,h3\nred,1.5,setosa\nblue,2.5,virginica\nred,3.5,setosa\n".getBytes());
        }
        Files.write(dir.resolve("c.csv.gz"), bytes.toByteArray());
        String ds = "dataset d {\n    source csv \"c.csv.gz\" { features 0..1, label 2, skip 1, categorical 0 }\n"
            + "    labels classes 3 sparse names \"setosa\" \"versicolor\" \"virginica\"\n}";
        LoadedData d = load(ds, Map.of(), "[3]");
        assertEquals(3, d.samples().count());
        // column 0 one-hot over (blue, red)
        assertArrayEquals(new float[] {0, 1, 1.5f, 1, 0, 2.5f, 0, 1, 3.5f}, d.samples().x());
        assertArrayEquals(new int[] {0, 2, 0}, d.samples().classes());
        assertEquals(List.of("setosa", "versicolor", "virginica"), d.classNames());
        assertEquals(List.of("blue", "red"), d.categories().get(0));
    }

    @Test
    void idxFilesAreReadGzippedOrNot() throws Exception {
        writeIdx(dir.resolve("img"), new int[] {4, 2, 3}, 0x08, i -> i % 256, false);
        writeIdx(dir.resolve("lab.gz"), new int[] {4}, 0x08, i -> i % 3, true);
        String ds = "dataset d {\n    source idx \"img\" { labels \"lab.gz\" }\n    features reshape [2, 3, 1] scale 1/2\n    labels classes 3 sparse\n}";
        LoadedData d = load(ds, Map.of(), "[2, 3, 1]");
        assertArrayEquals(new int[] {2, 3, 1}, d.sampleShape());
        assertEquals(4, d.samples().count());
        assertEquals(23 / 2f, d.samples().x()[23]);
        assertArrayEquals(new int[] {0, 1, 2, 0}, d.samples().classes());

        writeIdx(dir.resolve("lab.gz"), new int[] {4}, 0x08, i -> i == 2 ? 9 : 0, true);
        DataException e = assertThrows(DataException.class, () -> load(ds, Map.of(), "[2, 3, 1]"));
        assertTrue(e.location().contains("lab.gz (sample 2)"), e.render());
        assertTrue(e.getMessage().contains("the label 9 of sample 2"), e.getMessage());
    }

    @Test
    void aTruncatedIdxFileNamesTheFileAndOffset() throws Exception {
        writeIdx(dir.resolve("img"), new int[] {4, 2, 3}, 0x08, i -> i % 256, false);
        writeIdx(dir.resolve("lab"), new int[] {4}, 0x08, i -> i % 3, false);
        byte[] whole = Files.readAllBytes(dir.resolve("img"));
        // header 4 + 3 * 4 = 16 bytes, then 24 values of one byte: keep 16 + 13, cut inside entry 2 (bytes 12..17)
        Files.write(dir.resolve("img"), java.util.Arrays.copyOf(whole, 29));
        String ds = "dataset d {\n    source idx \"img\" { labels \"lab\" }\n    features reshape [2, 3, 1]\n    labels classes 3 sparse\n}";
        Files.write(dir.resolve("img"), whole);
        Compilation c = Fixtures.compile(dir, ds + "\nmodel M(x [2, 3, 1]) -> [3] {\n    flatten\n    dense 3 -> softmax\n}\n"
            + "train M on d {\n    loss sparse_categorical_crossentropy\n    optimizer sgd\n}\n", Map.of());
        Files.write(dir.resolve("img"), java.util.Arrays.copyOf(whole, 29));
        DataException e = assertThrows(DataException.class, () -> LoadedData.load(c.datasets().get("d")));
        assertTrue(e.location().endsWith("img (byte offset 29)"), e.render());
        assertTrue(e.getMessage().contains("within entry 2 of 4") && e.getMessage().contains("40 bytes in all"), e.getMessage());
    }

    @Test
    void anIdxHeaderWhoseCountOverflowsIsRefusedNotMultipliedOut() throws Exception {
        writeIdx(dir.resolve("img"), new int[] {4, 2, 3}, 0x08, i -> i % 256, false);
        writeIdx(dir.resolve("lab"), new int[] {4}, 0x08, i -> i % 3, false);
        String ds = "dataset d {\n    source idx \"img\" { labels \"lab\" }\n    features reshape [2, 3, 1]\n    labels classes 3 sparse\n}";
        Compilation c = Fixtures.compile(dir, ds + "\nmodel M(x [2, 3, 1]) -> [3] {\n    flatten\n    dense 3 -> softmax\n}\n"
            + "train M on d {\n    loss sparse_categorical_crossentropy\n    optimizer sgd\n}\n", Map.of());
        // the file changes after checking: 65536^4 values wrap to 0 in 64 bits
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.write(new byte[] {0, 0, 0x08, 4});
        for (int i = 0; i < 4; i++) out.writeInt(65536);
        out.write(new byte[16]);
        Files.write(dir.resolve("img"), b.toByteArray());
        DataException e = assertThrows(DataException.class, () -> LoadedData.load(c.datasets().get("d")));
        assertTrue(e.getMessage().contains("more than 2^31 values"), e.getMessage());
    }

    @Test
    void aCompressedLineOfMegabytesIsRefusedAtItsLineNotReadIntoMemory() throws Exception {
        Path gz = dir.resolve("bomb.csv.gz");
        StringBuilder good = new StringBuilder();
        for (int i = 0; i < 20; i++) good.append(i % 3).append(",1,2,3,").append(i % 3).append('\n');
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(good.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] zeros = new byte[1 << 20];
            java.util.Arrays.fill(zeros, (byte) '0');
            for (int i = 0; i < 5; i++) out.write(zeros); // line 21: 5 MiB without a line break
        }
        String ds = "dataset d {\n    source csv \"bomb.csv.gz\" { features 0..3, label 4 }\n    labels classes 3 onehot\n}";
        Compilation c = Fixtures.compile(dir, ds + "\nmodel M(x [4]) -> [3] {\n    dense 3 -> softmax\n}\n"
            + "train M on d {\n    loss categorical_crossentropy\n    optimizer sgd\n}\n", Map.of());
        DataException e = assertThrows(DataException.class, () -> LoadedData.load(c.datasets().get("d")));
        assertTrue(e.location().endsWith("bomb.csv.gz (line 21)"), e.render());
        assertTrue(e.getMessage().contains("longer than " + dev.dlx.support.Lines.MAX), e.getMessage());
    }

    @Test
    void anUnreadableImageNamesTheFile() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("pics").resolve("a"));
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB);
        javax.imageio.ImageIO.write(img, "jpg", sub.resolve("ok.jpg").toFile());
        Files.createDirectories(dir.resolve("pics").resolve("b"));
        javax.imageio.ImageIO.write(img, "png", dir.resolve("pics/b/ok.png").toFile());
        String program = "dataset d {\n    source images \"pics\" size 4x4 color grayscale\n    labels classes 2 sparse\n}\n"
            + "model M(x [4, 4, 1]) -> [2] {\n    flatten\n    dense 2 -> softmax\n}\n"
            + "train M on d {\n    loss sparse_categorical_crossentropy\n    optimizer sgd\n}\n";
        Compilation c = Fixtures.compile(dir, program, Map.of());
        assertEquals(2, LoadedData.load(c.datasets().get("d")).samples().count(), "PNG and JPEG both read");
        Files.writeString(sub.resolve("broken.png"), "not a picture");
        DataException e = assertThrows(DataException.class, () -> LoadedData.load(c.datasets().get("d")));
        assertTrue(e.location().endsWith("broken.png"), e.render());
        assertTrue(e.getMessage().contains("is not an image"), e.getMessage());
    }

    interface Value {
        int at(int i);
    }

    static void writeIdx(Path file, int[] dims, int type, Value value, boolean gzip) throws Exception {
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream o = gzip ? new GZIPOutputStream(raw) : raw;
             DataOutputStream out = new DataOutputStream(o)) {
            out.write(new byte[] {0, 0, (byte) type, (byte) dims.length});
            int n = 1;
            for (int d : dims) {
                out.writeInt(d);
                n *= d;
            }
            for (int i = 0; i < n; i++) out.writeByte(value.at(i));
        }
    }

    @Test
    void aShapeThatDoesNotFitTheModelIsAnError() throws Exception {
        Files.writeString(dir.resolve("x.csv"), "1,2,3,4,0\n");
        String ds = "dataset d {\n    source csv \"x.csv\" { features 0..3, label 4 }\n    labels classes 3 sparse\n}";
        LoadedData d = load(ds, Map.of(), "[4]");
        Compilation other = Fixtures.compile(dir, "model N(x [2, 2, 1]) -> [3] {\n    flatten\n    dense 3 -> softmax\n}\n", Map.of());
        DataException e = assertThrows(DataException.class, () -> d.checkFits(other.rootModels().get(0)));
        assertTrue(e.getMessage().contains("are [4], but model `N` takes `x` [2, 2, 1]"), e.getMessage());
        assertTrue(e.help().contains("features reshape [2, 2, 1]"), e.help());
    }

    private static Samples labelled(int n, int classes) {
        float[] x = new float[n];
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            c[i] = i % classes;
        }
        return new Samples(x, n, new int[] {1}, c, null, 0);
    }

    @Test
    void stratifiedSplitsKeepClassProportionsAndSeedsRepeat() throws Exception {
        Files.writeString(dir.resolve("x.csv"), "0,0\n");
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 300; i++) csv.append(i).append(',').append(i < 200 ? 0 : i < 260 ? 1 : 2).append('\n');
        String ds = "dataset d {\n    source csv \"s.csv\" { features 0..0, label 1 }\n    labels classes 3 sparse\n"
            + "    split train 60%, val 20%, test 20% stratify\n}";
        LoadedData d = load(ds, Map.of("s.csv", csv.toString()), "[1]");
        Splitter.Splits s = Splitter.split(d, 11);
        assertArrayEquals(new int[] {120, 36, 24}, s.train().classCounts(3));
        assertArrayEquals(new int[] {40, 12, 8}, s.val().classCounts(3));
        assertArrayEquals(new int[] {40, 12, 8}, s.test().classCounts(3));
        Set<Integer> seen = new HashSet<>();
        for (SampleSet part : List.of(s.train(), s.val(), s.test())) for (int i : part.index()) assertTrue(seen.add(i), "disjoint");
        assertEquals(300, seen.size());
        assertArrayEquals(s.val().index(), Splitter.split(d, 11).val().index(), "the same seed, the same split");
        assertTrue(!java.util.Arrays.equals(s.val().index(), Splitter.split(d, 12).val().index()));
    }

    @Test
    void stratifiedSharesAreWithinOneSampleOfEachClassAndOnlyTrainIsAugmented() throws Exception {
        // uneven classes of 37, 13 and 5 samples in a shuffled order
        int[] sizes = {37, 13, 5};
        List<Integer> labels = new java.util.ArrayList<>();
        for (int k = 0; k < sizes.length; k++) for (int i = 0; i < sizes[k]; i++) labels.add(k);
        java.util.Collections.shuffle(labels, new Random(9));
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) csv.append(i).append(',').append(labels.get(i)).append('\n');
        String ds = "dataset d {\n    source csv \"u.csv\" { features 0..0, label 1 }\n    labels classes 3 sparse\n"
            + "    split train 65%, val 20%, test 15% seed 4 stratify\n    augment train {\n        noise 0.1\n    }\n}";
        LoadedData d = load(ds, Map.of("u.csv", csv.toString()), "[1]");
        Splitter.Splits s = Splitter.split(d, 1);
        double[] shares = {0.65, 0.20, 0.15};
        List<SampleSet> parts = List.of(s.train(), s.val(), s.test());
        for (int p = 0; p < 3; p++) {
            int[] counts = parts.get(p).classCounts(3);
            for (int k = 0; k < 3; k++) {
                assertTrue(Math.abs(counts[k] - shares[p] * sizes[k]) <= 1, "split " + p + " class " + k + ": " + counts[k]);
            }
        }
        assertEquals(55, s.train().size() + s.val().size() + s.test().size());
        assertTrue(d.ir().augmentsFor("train").isPresent());
        assertTrue(d.ir().augmentsFor("val").isEmpty() && d.ir().augmentsFor("test").isEmpty(), "evaluation data is never augmented");
    }

    @Test
    void kfoldFoldsAreDisjointAndCoverThePool() {
        SampleSet pool = labelled(100, 4).all();
        List<Splitter.Fold> folds = Splitter.folds(pool, new KFold(5, 2, true, OptionalInt.empty(), null), 3, true);
        assertEquals(10, folds.size());
        for (int round = 0; round < 2; round++) {
            Set<Integer> seen = new HashSet<>();
            for (Splitter.Fold f : folds.subList(round * 5, round * 5 + 5)) {
                assertEquals(20, f.val().size());
                assertEquals(80, f.train().size());
                assertArrayEquals(new int[] {5, 5, 5, 5}, f.val().classCounts(4), "stratified");
                for (int i : f.val().index()) assertTrue(seen.add(i));
                Set<Integer> train = new HashSet<>();
                for (int i : f.train().index()) train.add(i);
                for (int i : f.val().index()) assertTrue(!train.contains(i));
            }
            assertEquals(100, seen.size());
        }
        assertTrue(!java.util.Arrays.equals(folds.get(0).val().index(), folds.get(5).val().index()), "rounds reshuffle");
    }

    @Test
    void featurewiseStatisticsComeFromTheGivenSamplesOnly() {
        float[] x = {1, 10, 3, 20, 1000, -1000};
        Samples s = new Samples(x, 3, new int[] {2}, null, null, 0);
        Normalizer n = Normalizer.fit(new Normalize(Normalize.Mode.FEATUREWISE, false, null), s.all().head(2));
        assertArrayEquals(new float[] {2, 15}, n.mean(), 1e-6f);
        assertArrayEquals(new float[] {1, 5}, n.std(), 1e-6f);
        float[] y = x.clone();
        n.apply(y, 0, 3, 2);
        assertArrayEquals(new float[] {-1, -1, 1, 1, 998, -203}, y, 1e-4f);
        Normalizer back = Normalizer.fromJson(n.toJson());
        float[] z = x.clone();
        back.apply(z, 0, 3, 2);
        assertArrayEquals(y, z, 0f);
    }

    @Test
    void imagesAreNormalizedPerChannelAndConstantFeaturesStayFinite() {
        float[] x = new float[2 * 2 * 2 * 2];
        for (int i = 0; i < x.length; i++) x[i] = i % 2 == 0 ? 5 : i;
        Samples s = new Samples(x, 2, new int[] {2, 2, 2}, null, null, 0);
        Normalizer n = Normalizer.fit(new Normalize(Normalize.Mode.FEATUREWISE, false, null), s.all());
        assertEquals(2, n.mean().length);
        assertEquals(5, n.mean()[0], 1e-6);
        assertEquals(1, n.std()[0], 0, "a constant channel keeps std 1");
    }

    private static float[] image(int h, int w) {
        float[] x = new float[h * w];
        for (int i = 0; i < x.length; i++) x[i] = i + 1;
        return x;
    }

    @Test
    void flipsAndPaddedCropsMoveWholePixels() {
        float[] x = image(3, 3);
        new Augmenter(List.of(new Augmentation.Flip(Augmentation.Axis.HORIZONTAL, 1, null)), new int[] {3, 3, 1}).apply(x, 0, new Random(1));
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7}, x);
        x = image(3, 3);
        new Augmenter(List.of(new Augmentation.Flip(Augmentation.Axis.VERTICAL, 1, null)), new int[] {3, 3, 1}).apply(x, 0, new Random(1));
        assertArrayEquals(new float[] {7, 8, 9, 4, 5, 6, 1, 2, 3}, x);

        Augmenter crop = new Augmenter(List.of(new Augmentation.Crop(4, 4, 1, 1, null)), new int[] {4, 4, 1});
        Set<String> shifts = new HashSet<>();
        Random r = new Random(2);
        for (int k = 0; k < 200; k++) {
            float[] y = image(4, 4);
            crop.apply(y, 0, r);
            // every pixel is an original pixel moved by the same (dy, dx) in [-1, 1], or a zero from the padding
            int dy = 9, dx = 9;
            for (int i = 0; i < 16 && dy == 9; i++) {
                if (y[i] == 0) continue;
                int src = (int) y[i] - 1;
                dy = src / 4 - i / 4;
                dx = src % 4 - i % 4;
            }
            assertTrue(Math.abs(dy) <= 1 && Math.abs(dx) <= 1);
            for (int i = 0; i < 16; i++) {
                int sr = i / 4 + dy, sc = i % 4 + dx;
                float expected = sr < 0 || sr >= 4 || sc < 0 || sc >= 4 ? 0 : sr * 4 + sc + 1;
                assertEquals(expected, y[i], 1e-5);
            }
            shifts.add(dy + "," + dx);
        }
        assertEquals(9, shifts.size(), "every shift in [-1, 1]^2 occurs");
    }

    @Test
    void rotationNoiseAndProbabilityBehave() {
        float[] x = image(5, 5);
        new Augmenter(List.of(new Augmentation.Rotate(0, 1, null)), new int[] {5, 5, 1}).apply(x, 0, new Random(3));
        assertArrayEquals(image(5, 5), x, 1e-5f);
        // rotate by up to 90 degrees keeps the center pixel
        float[] y = image(5, 5);
        new Augmenter(List.of(new Augmentation.Rotate(90, 1, null)), new int[] {5, 5, 1}).apply(y, 0, new Random(4));
        assertEquals(13, y[12], 1e-4);
        float[] z = new float[1000];
        new Augmenter(List.of(new Augmentation.Noise(Augmentation.Distribution.GAUSSIAN, 0.1, 1, null)), new int[] {1000}).apply(z, 0, new Random(5));
        double sq = 0;
        for (float v : z) sq += v * v;
        assertEquals(0.1, Math.sqrt(sq / 1000), 0.01);
        float[] untouched = image(3, 3);
        new Augmenter(List.of(new Augmentation.Flip(Augmentation.Axis.HORIZONTAL, 0, null)), new int[] {3, 3, 1}).apply(untouched, 0, new Random(1));
        assertArrayEquals(image(3, 3), untouched, "p 0 never applies");
        float[] erased = image(4, 4);
        new Augmenter(List.of(new Augmentation.Erase(2, 2, 1, 1, null)), new int[] {4, 4, 1}).apply(erased, 0, new Random(6));
        int zeros = 0;
        for (float v : erased) if (v == 0) zeros++;
        assertEquals(4, zeros);
    }

    @Test
    void imageFoldersGiveOneClassPerSubfolder() throws Exception {
        for (String cls : List.of("cat", "dog")) {
            Path sub = Files.createDirectories(dir.resolve("pics").resolve(cls));
            for (int i = 0; i < 2; i++) {
                java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(8, 6, java.awt.image.BufferedImage.TYPE_INT_RGB);
                int rgb = cls.equals("cat") ? 0xFF0000 : 0x0000FF;
                for (int y = 0; y < 6; y++) for (int x = 0; x < 8; x++) img.setRGB(x, y, rgb);
                javax.imageio.ImageIO.write(img, "png", sub.resolve(i + ".png").toFile());
            }
        }
        String program = "dataset d {\n    source images \"pics\" size 4x4 color rgb\n    features scale 1/255\n}\n"
            + "model M(x [4, 4, 3]) -> [2] {\n    flatten\n    dense 2 -> softmax\n}\n"
            + "train M on d {\n    loss sparse_categorical_crossentropy\n    optimizer sgd\n}\n";
        Compilation c = Fixtures.compile(dir, program.replace("source images \"pics\" size 4x4 color rgb",
            "source images \"pics\" size 4x4 color rgb\n    labels classes 2 sparse"), Map.of());
        LoadedData d = LoadedData.load(c.datasets().get("d"));
        assertEquals(4, d.samples().count());
        assertArrayEquals(new int[] {4, 4, 3}, d.sampleShape());
        assertArrayEquals(new int[] {0, 0, 1, 1}, d.samples().classes());
        assertEquals(List.of("cat", "dog"), d.classNames());
        assertEquals(1f, d.samples().x()[0], 1e-6f);
        assertEquals(0f, d.samples().x()[2], 1e-6f);
        assertEquals(1f, d.samples().x()[3 * 16 * 2 + 2], 1e-6f);
    }

    @Test
    void textWindowsAreLabelledWithTheNextToken() throws Exception {
        String program = "dataset d {\n    source text \"t.txt\" tokens char vocab 6 window 3\n}\n"
            + "model M(x [3]) -> [6] {\n    embedding 6 2\n    flatten\n    dense 6 -> softmax\n}\n"
            + "train M on d {\n    loss sparse_categorical_crossentropy\n    optimizer sgd\n}\n";
        Compilation c = Fixtures.compile(dir, program, Map.of("t.txt", "abcabcabz"));
        LoadedData d = LoadedData.load(c.datasets().get("d"));
        // vocabulary: <pad>, <unk>, then by frequency a, b (3 each), c (2), z (1)
        assertEquals(List.of("<pad>", "<unk>", "a", "b", "c", "z"), d.classNames());
        assertEquals(6, d.samples().count());
        assertArrayEquals(new float[] {2, 3, 4}, java.util.Arrays.copyOfRange(d.samples().x(), 0, 3));
        assertArrayEquals(new int[] {2, 3, 4, 2, 3, 5}, d.samples().classes());
    }

    @Test
    void textLimitKeepsAPrefixAndStrideSkips() throws Exception {
        String program = "dataset d {\n    source text \"t.txt\" tokens char vocab 5 window 2 stride 2 limit 7\n}\n"
            + "model M(x [2]) -> [5] {\n    embedding 5 2\n    flatten\n    dense 5 -> softmax\n}\n"
            + "train M on d {\n    loss sparse_categorical_crossentropy\n    optimizer sgd\n}\n";
        // the first 7 characters "abababc" (the x's are cut off): a and b 3 times each, c once;
        // the vocabulary keeps 3 of them: <pad>, <unk>, a, b, c
        Compilation c = Fixtures.compile(dir, program, Map.of("t.txt", "abababcxxxxxxxx"));
        LoadedData d = LoadedData.load(c.datasets().get("d"));
        assertEquals(List.of("<pad>", "<unk>", "a", "b", "c"), d.classNames());
        // windows start at 0, 2, 4 (the next token must exist): "ab"->a, "ab"->a, "ab"->c
        assertEquals(3, d.samples().count());
        assertArrayEquals(new float[] {2, 3, 2, 3, 2, 3}, d.samples().x());
        assertArrayEquals(new int[] {2, 2, 4}, d.samples().classes());
    }

    @Test
    void wordPrefixEndsAfterTheLimitWord() {
        assertEquals("Call me Ishmael", TextReader.prefix("Call me Ishmael. Some years ago", false, 3));
        assertEquals("Cal", TextReader.prefix("Call me", true, 3));
        assertEquals("Call me", TextReader.prefix("Call me", true, 30));
    }
}
