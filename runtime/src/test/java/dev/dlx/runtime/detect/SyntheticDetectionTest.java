package dev.dlx.runtime.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.data.BoxAnnotations;
import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** samples/data/make_detection.java on a tiny fake MNIST, read back as COCO and YOLO; anchors by k-means. */
class SyntheticDetectionTest {
    @TempDir Path dir;

    /** Four 28 x 28 "digits": a filled square 10 pixels wide at rows and columns 9..18, labels 0..3. */
    private void fakeMnist(String prefix) throws Exception {
        try (DataOutputStream im = new DataOutputStream(Files.newOutputStream(dir.resolve("mnist/" + prefix + "-images-idx3-ubyte")));
             DataOutputStream lb = new DataOutputStream(Files.newOutputStream(dir.resolve("mnist/" + prefix + "-labels-idx1-ubyte")))) {
            im.writeInt(0x803); im.writeInt(4); im.writeInt(28); im.writeInt(28);
            lb.writeInt(0x801); lb.writeInt(4);
            for (int k = 0; k < 4; k++) {
                for (int r = 0; r < 28; r++) for (int c = 0; c < 28; c++) im.writeByte(r >= 9 && r < 19 && c >= 9 && c < 19 ? 255 : 0);
                lb.writeByte(k);
            }
        }
    }

    @Test void theScriptWritesCocoAndYoloBoxesAroundTheDigits() throws Exception {
        Files.createDirectories(dir.resolve("mnist"));
        fakeMnist("train");
        fakeMnist("t10k");
        Path script = Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize().resolve("samples/data/make_detection.java");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), script.toString(), dir.resolve("mnist").toString(), dir.resolve("out").toString(),
            "--train", "6", "--test", "2", "--size", "48", "--min", "14", "--max", "28", "--seed", "3").redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        String log = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.exitValue(), log);
        BoxAnnotations train = BoxAnnotations.coco(dir.resolve("out/train.json"));
        assertTrue(train.ok(), train.problems().toString());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), train.classes());
        assertEquals(6, train.images().size());
        int boxes = 0;
        for (BoxAnnotations.Image im : train.images()) {
            BufferedImage png = ImageIO.read(im.file().toFile());
            assertEquals(48, png.getWidth());
            assertTrue(!im.boxes().isEmpty() && im.boxes().size() <= 3);
            for (BoxAnnotations.Box b : im.boxes()) {
                boxes++;
                assertTrue(b.cls() >= 0 && b.cls() < 4);
                // a square digit scaled to s pixels is a square box about 10/28 s wide: never more than 28 * 10/28 + 2
                double w = (b.x1() - b.x0()) * 48, h = (b.y1() - b.y0()) * 48;
                assertEquals(w, h, 1.0);
                assertTrue(w >= 14 * 10 / 28.0 - 2 && w <= 12, "box " + w + " px");
                // the box holds bright pixels, the pixels just outside it are dark
                int cx = (int) ((b.x0() + b.x1()) / 2 * 48), cy = (int) ((b.y0() + b.y1()) / 2 * 48);
                assertTrue((png.getRaster().getSample(cx, cy, 0)) > 200);
            }
        }
        // the YOLO files say the same
        BoxAnnotations yolo = BoxAnnotations.yolo(dir.resolve("out/train"));
        assertTrue(yolo.ok(), yolo.problems().toString());
        assertEquals(boxes, yolo.images().stream().mapToInt(i -> i.boxes().size()).sum());
        BoxAnnotations.Box c = train.images().get(0).boxes().get(0), y = yolo.images().get(0).boxes().get(0);
        assertArrayEquals(new double[] {c.cls(), c.x0(), c.y0(), c.x1(), c.y1()}, new double[] {y.cls(), y.x0(), y.y0(), y.x1(), y.y1()}, 1e-6);
        // seeded: the same files again
        String first = Files.readString(dir.resolve("out/train.json"));
        Process again = new ProcessBuilder(java.toString(), script.toString(), dir.resolve("mnist").toString(), dir.resolve("out2").toString(),
            "--train", "6", "--test", "2", "--size", "48", "--min", "14", "--max", "28", "--seed", "3").redirectErrorStream(true).start();
        assertTrue(again.waitFor(120, TimeUnit.SECONDS));
        assertEquals(first, Files.readString(dir.resolve("out2/train.json")));
    }

    @Test void kMeansAnchorsFindTheTwoSizes() {
        List<double[]> sizes = List.of(new double[] {0.1, 0.2}, new double[] {0.1, 0.2}, new double[] {0.4, 0.4}, new double[] {0.4, 0.4},
            new double[] {0.1, 0.2});
        AnchorBoxes.Result r = AnchorBoxes.kMeans(sizes, 2, 5);
        assertArrayEquals(new double[] {0.1, 0.2}, r.anchors().get(0), 1e-12);
        assertArrayEquals(new double[] {0.4, 0.4}, r.anchors().get(1), 1e-12);
        assertEquals(1.0, r.meanIou(), 1e-12);
        // one anchor for all: the mean size, 0.22 x 0.28; mean IoU by hand
        AnchorBoxes.Result one = AnchorBoxes.kMeans(sizes, 1, 5);
        assertArrayEquals(new double[] {0.22, 0.28}, one.anchors().get(0), 1e-12);
        double small = Iou.ofSizes(0.1, 0.2, 0.22, 0.28), large = Iou.ofSizes(0.4, 0.4, 0.22, 0.28);
        assertEquals((3 * small + 2 * large) / 5, one.meanIou(), 1e-12);
    }
}
