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
}
