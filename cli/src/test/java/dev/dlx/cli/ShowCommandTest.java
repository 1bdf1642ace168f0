package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dlxc show confusion` and `dlxc show adversarial` on a digits MLP trained once for the class. */
class ShowCommandTest {
    @TempDir static Path dir;
    static Path run;

    @BeforeAll
    static void train() throws Exception {
        run = TrainedRuns.smallDigitsRun(dir.resolve("show.dlx"), "Shown", 32, dir.resolve("runs"));
    }

    @Test
    void theConfusionMatrixAddsUpToTheTestSplitAndItsDiagonalToTheAccuracy() throws Exception {
        var r = TrainingCommandsTest.dlxc("show", "confusion", run.toString());
        assertEquals(0, r.code(), r.toString());
        Matcher head = Pattern.compile("(\\d+) samples, accuracy ([0-9.]+)").matcher(r.out());
        assertTrue(head.find(), r.out());
        int samples = Integer.parseInt(head.group(1));
        long total = 0, diagonal = 0;
        int row = 0;
        for (String line : r.out().split("\n")) {
            if (!line.matches("\\d\\s.*")) continue;
            String[] cells = line.trim().split("\\s+");
            assertEquals(12, cells.length, "a class, 10 counts and the recall: " + line);
            for (int c = 1; c <= 10; c++) {
                long v = Long.parseLong(cells[c]);
                total += v;
                if (c - 1 == row) diagonal += v;
            }
            row++;
        }
        assertEquals(10, row);
        assertEquals(samples, total, "every test sample is counted once");
        var e = TrainingCommandsTest.dlxc("evaluate", run.toString());
        Matcher acc = Pattern.compile("accuracy ([0-9.]+)").matcher(e.out());
        assertTrue(acc.find(), e.out());
        assertEquals(Double.parseDouble(acc.group(1)), (double) diagonal / total, 1e-4, "the diagonal is what `evaluate` calls accuracy");
        BufferedImage png = javax.imageio.ImageIO.read(run.resolve("confusion_test.png").toFile());
        assertTrue(png.getWidth() > 200 && png.getHeight() > 200, "a picture of 10 x 10 cells");
        // drawn again on a second call; a source given as -o is never overwritten
        assertEquals(0, TrainingCommandsTest.dlxc("show", "confusion", run.toString()).code());
        var refused = TrainingCommandsTest.dlxc("show", "confusion", run.toString(), "-o", dir.resolve("show.dlx").toString());
        assertEquals(2, refused.code(), refused.toString());
        assertTrue(Files.readString(dir.resolve("show.dlx")).contains("model Shown"), "the source is intact");
    }

    @Test
    void theFastGradientSignLowersTheAccuracyAndAZeroMoveChangesNothing() {
        var none = TrainingCommandsTest.dlxc("show", "adversarial", run.toString(), "--epsilon", "0");
        assertEquals(0, none.code(), none.toString());
        double[] same = accuracies(none.out());
        assertEquals(same[0], same[1], 0.0, none.out());
        // digits are scaled to [0, 1] and normalized featurewise: a move of 0.5 standard deviations per pixel
        var moved = TrainingCommandsTest.dlxc("show", "adversarial", run.toString(), "--epsilon", "0.5");
        assertEquals(0, moved.code(), moved.toString());
        double[] acc = accuracies(moved.out());
        assertEquals(same[0], acc[0], 0.0, "the same weights before the move");
        assertTrue(acc[1] < acc[0] - 0.2, "the move along the gradient's sign fools the model: " + moved.out());
        assertTrue(moved.out().contains("before, ") && moved.out().contains("true class"), moved.out());
        var wrong = TrainingCommandsTest.dlxc("show", "heat", run.toString());
        assertEquals(2, wrong.code(), wrong.toString());
    }

    private static double[] accuracies(String out) {
        Matcher m = Pattern.compile("accuracy ([0-9.]+) before, ([0-9.]+) after").matcher(out);
        assertTrue(m.find(), out);
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    /**
     * 16x16 images of faint noise (up to 0.1) with a bar of 4 bright pixels in the top-left quadrant:
     * horizontal (class 0) or vertical (class 1). Grad-CAM of an image's class puts its mass there.
     */
    @Test
    void gradCamFindsTheEvidenceInItsQuadrant() throws Exception {
        java.util.Random random = new java.util.Random(5);
        StringBuilder csv = new StringBuilder();
        for (int n = 0; n < 600; n++) {
            // within rows and columns 0..5, so that two 3x3 convolutions' reach (2 pixels) stays inside the quadrant
            int cls = n % 2, top = random.nextInt(cls == 0 ? 6 : 3), left = random.nextInt(cls == 0 ? 3 : 6);
            for (int i = 0; i < 16; i++) {
                for (int j = 0; j < 16; j++) {
                    boolean on = cls == 0 ? i == top && j >= left && j < left + 4 : j == left && i >= top && i < top + 4;
                    csv.append(on ? "1" : String.format(java.util.Locale.ROOT, "%.2f", random.nextDouble() * 0.1)).append(',');
                }
            }
            csv.append(cls).append('\n');
        }
        Files.writeString(dir.resolve("quadrants.csv"), csv);
        Path file = dir.resolve("quadrants.dlx");
        Files.writeString(file, """
            dataset q {
                source csv "quadrants.csv" { features 0..255, label 256 }
                features reshape [16, 16, 1]
                labels classes 2 onehot
                split train 80%, test 20% shuffle seed 1
            }
            model Where(x [16, 16, 1]) -> [2] {
                conv 8 3 padding same -> relu
                conv 8 3 padding same -> relu
                global_avgpool
                dense 2 -> softmax
            }
            train Where on q {
                loss categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 12
            }
            """);
        var trained = TrainingCommandsTest.dlxc("run", file.toString(), "--runs", dir.resolve("qruns").toString(), "--seed", "2", "--progress", "plain");
        assertEquals(0, trained.code(), trained.toString());
        assertTrue(trained.out().matches("(?s).*test .*accuracy (1\\.0000|0\\.9[5-9]).*"), "the model tells the bars apart: " + trained.out());
        Path qrun;
        try (var s = Files.list(dir.resolve("qruns"))) {
            qrun = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        for (int sample = 0; sample < 8; sample++) {
            var r = TrainingCommandsTest.dlxc("show", "heatmap", qrun.toString(), "--sample", Integer.toString(sample));
            assertEquals(0, r.code(), r.toString());
            Matcher m = Pattern.compile("top left ([0-9.]+)").matcher(r.out());
            assertTrue(m.find(), r.out());
            assertTrue(Double.parseDouble(m.group(1)) >= 0.7, "the evidence is in the top-left quadrant: " + r.out());
        }
        assertTrue(Files.exists(qrun.resolve("heatmap_test_0.png")));
        var maps = TrainingCommandsTest.dlxc("show", "activations", qrun.toString(), "--sample", "1", "--layer", "relu_1");
        assertEquals(0, maps.code(), maps.toString());
        assertTrue(maps.out().contains("`relu_1` [16, 16, 8], 8 channels"), maps.out());
        BufferedImage tiles = javax.imageio.ImageIO.read(qrun.resolve("activations_relu_1_1.png").toFile());
        assertEquals(3 * (16 * 4 + 2) + 2, tiles.getWidth(), "3 columns of 16 x 16 maps at 4 screen pixels each, 2 apart");
        var patterns = TrainingCommandsTest.dlxc("show", "filters", qrun.toString(), "--layer", "relu_1");
        assertEquals(0, patterns.code(), patterns.toString());
        Matcher own = Pattern.compile("(\\d+) channels respond to their own pattern").matcher(patterns.out());
        assertTrue(own.find(), patterns.out());
        assertTrue(Integer.parseInt(own.group(1)) >= 6, "the diagonal dominates: " + patterns.out());
        // one sigmoid unit: its logit is class 1's evidence, its negation class 0's
        Files.writeString(file, Files.readString(file).replace("labels classes 2 onehot", "labels classes 2 binary")
            .replace("-> [2] {", "-> [1] {").replace("dense 2 -> softmax", "dense 1 -> sigmoid").replace("categorical_crossentropy", "binary_crossentropy"));
        var binary = TrainingCommandsTest.dlxc("run", file.toString(), "--runs", dir.resolve("bruns").toString(), "--seed", "2", "--progress", "plain");
        assertEquals(0, binary.code(), binary.toString());
        Path brun;
        try (var s = Files.list(dir.resolve("bruns"))) {
            brun = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        for (String c : new String[] {"0", "1"}) {
            var h = TrainingCommandsTest.dlxc("show", "heatmap", brun.toString(), "--class", c, "-o", dir.resolve("b" + c + ".png").toString());
            assertEquals(0, h.code(), h.toString());
        }
        var flat = TrainingCommandsTest.dlxc("show", "heatmap", run.toString());
        assertEquals(2, flat.code(), "the digits MLP has no spatial layer: " + flat);
    }
}
