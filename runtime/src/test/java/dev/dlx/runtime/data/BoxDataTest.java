package dev.dlx.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.data.Augmentation;
import dev.dlx.compiler.data.BoxAnnotations;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.runtime.train.Fixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images with boxes: COCO and YOLO files read, bad boxes named, boxes moved with the pixels. */
class BoxDataTest {
    @TempDir Path dir;

    private static final String MODEL = "model M(x [8, 8, 1]) {\n    conv 14 1\n    yolo anchors 0.5 0.5 0.25 0.25 classes 2\n}\n"
        + "train M on d {\n    loss yolo\n    optimizer sgd\n}\n";

    /** An 8 x 8 gray PNG with pixel (row 1, col 2) white. */
    private void png(String name) throws Exception {
        BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        im.getRaster().setSample(2, 1, 0, 255);
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        ImageIO.write(im, "png", f.toFile());
    }

    private static String coco(String annotations) {
        return "{\"images\": [{\"id\": 7, \"file_name\": \"a.png\", \"width\": 8, \"height\": 8},"
            + " {\"id\": 9, \"file_name\": \"b.png\", \"width\": 8, \"height\": 8}],"
            + " \"annotations\": [" + annotations + "],"
            + " \"categories\": [{\"id\": 5, \"name\": \"dog\"}, {\"id\": 2, \"name\": \"cat\"}]}";
    }

    @Test void cocoBoxesBecomeRowsOfClassAndCornersAsFractions() throws Exception {
        png("a.png");
        png("b.png");
        String json = coco("{\"id\": 1, \"image_id\": 9, \"category_id\": 5, \"bbox\": [2, 4, 4, 2]},"
            + "{\"id\": 2, \"image_id\": 9, \"category_id\": 2, \"bbox\": [0, 0, 8, 8]},"
            + "{\"id\": 3, \"image_id\": 7, \"category_id\": 2, \"bbox\": [0, 0, 1, 1], \"iscrowd\": 1}");
        Compilation c = Fixtures.compile(dir, "dataset d {\n    source coco \"boxes.json\" size 8x8 color grayscale\n}\n" + MODEL,
            Map.of("boxes.json", json));
        var labels = c.datasets().get("d").labels();
        // categories by ascending id: cat (2) is class 0, dog (5) class 1; at most 2 boxes an image
        assertEquals(List.of("cat", "dog"), labels.names());
        assertEquals(2, labels.targets());
        LoadedData data = LoadedData.load(c.datasets().get("d"));
        Samples s = data.samples();
        assertEquals(2, s.count());
        assertEquals(List.of("cat", "dog"), data.classNames());
        // image a: its one box is a crowd, skipped; image b: dog at x 2..6, y 4..6, cat the whole image
        assertArrayEquals(new float[] {-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0.25f, 0.5f, 0.75f, 0.75f, 0, 0, 0, 1, 1}, s.targets());
        assertEquals(255f, s.x()[1 * 8 + 2], 0.1f);   // the white pixel of image a, row 1 col 2 (through luma)
    }

    @Test void everyBadBoxIsNamedWithItsFileAndIndex() throws Exception {
        String json = coco("{\"id\": 1, \"image_id\": 9, \"category_id\": 5, \"bbox\": [2, 4, 0, 2]},"
            + "{\"id\": 2, \"image_id\": 3, \"category_id\": 5, \"bbox\": [0, 0, 1, 1]},"
            + "{\"id\": 3, \"image_id\": 9, \"category_id\": 4, \"bbox\": [0, 0, 1, 1]},"
            + "{\"id\": 4, \"image_id\": 9, \"category_id\": 5, \"bbox\": [6, 6, 4, 4]},"
            + "{\"id\": 5, \"image_id\": 9, \"category_id\": 5, \"bbox\": [1, 1, \"x\", 2]},"
            + "{\"id\": 6, \"image_id\": 9, \"category_id\": 5, \"bbox\": [0, 0, 8.5, 8]}");
        Files.writeString(dir.resolve("bad.json"), json);
        BoxAnnotations a = BoxAnnotations.coco(dir.resolve("bad.json"));
        List<String> p = a.problems();
        assertEquals(5, p.size(), String.join("\n", p));   // annotation 5 sticks out by half a pixel: clipped, not refused
        assertTrue(p.get(0).contains("bad.json`: annotation 0 (id 1) on `b.png`: the box has width 0 px"), p.get(0));
        assertTrue(p.get(1).contains("annotation 1 (id 2) names image_id 3, which no image has"), p.get(1));
        assertTrue(p.get(2).contains("annotation 2 (id 3) names category_id 4"), p.get(2));
        assertTrue(p.get(3).contains("annotation 3 (id 4) on `b.png`: the box (6, 6) to (10, 10) leaves the image of 8 x 8 px"), p.get(3));
        assertTrue(p.get(4).contains("annotation 4 (id 5): `bbox` must be 4 finite numbers"), p.get(4));
        // the checker reports the same, at the path in the source statement
        Files.writeString(dir.resolve("main.dlx"), "dataset d {\n    source coco \"bad.json\" size 8x8\n}\n" + MODEL);
        Compilation c = new Compiler().compile(dir.resolve("main.dlx")).orElseThrow();
        assertFalse(c.ok());
        String all = c.diagnostics().sorted().stream().map(d -> d.message() + " " + d.notes()).collect(Collectors.joining("\n"));
        assertTrue(all.contains("5 problems with its boxes") && all.contains("annotation 3 (id 4) on `b.png`"), all);
        assertEquals("DLX0506", c.diagnostics().sorted().stream().filter(d -> d.severity() == dev.dlx.compiler.diag.Severity.ERROR)
            .map(Diagnostic::code).findFirst().orElseThrow().id());
    }

    @Test void malformedJsonAndMissingListsAreOneClearProblem() throws Exception {
        Files.writeString(dir.resolve("x.json"), "{\"images\": [");
        assertTrue(BoxAnnotations.coco(dir.resolve("x.json")).problems().get(0).contains("is not valid JSON"));
        Files.writeString(dir.resolve("y.json"), "{\"images\": []}");
        assertTrue(BoxAnnotations.coco(dir.resolve("y.json")).problems().get(0).contains("has no `annotations` list"));
    }

    @Test void yoloTextFilesGiveTheSameRows() throws Exception {
        png("imgs/a.png");
        png("imgs/b.png");
        Files.writeString(dir.resolve("classes.txt"), "cat\ndog\n");
        Files.writeString(dir.resolve("imgs/b.txt"), "1 0.5 0.625 0.5 0.25\n0 0.5 0.5 1 1\n");
        Compilation c = Fixtures.compile(dir, "dataset d {\n    source yolo \"imgs\" size 8x8 color grayscale\n}\n" + MODEL, Map.of());
        Samples s = LoadedData.load(c.datasets().get("d")).samples();
        assertArrayEquals(new float[] {-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0.25f, 0.5f, 0.75f, 0.75f, 0, 0, 0, 1, 1}, s.targets());
        Files.writeString(dir.resolve("imgs/a.txt"), "2 0.5 0.5 0.1 0.1\n0 0.5 0.5 -0.1 0.1\n0 0.5\n");
        BoxAnnotations bad = BoxAnnotations.yolo(dir.resolve("imgs"));
        assertEquals(3, bad.problems().size(), String.join("\n", bad.problems()));
        assertTrue(bad.problems().get(0).contains("imgs/a.txt` line 1: class 2 is not one of the 2 classes"), bad.problems().get(0));
        assertTrue(bad.problems().get(1).contains("imgs/a.txt` line 2: the box has width -0.1"), bad.problems().get(1));
        assertTrue(bad.problems().get(2).contains("line 3: expected `class cx cy w h`"), bad.problems().get(2));
        DataException e = assertThrows(DataException.class, () -> LoadedData.load(c.datasets().get("d")));
        assertTrue(e.getMessage().contains("3 problems with its boxes") && e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test void boxesMoveWithFlipsAndShifts() {
        int[] shape = {10, 10, 1};
        float[] x = new float[100];
        // flip horizontal: x -> 1 - x
        float[] y = {3, 0.1f, 0.2f, 0.3f, 0.5f, -1, 0, 0, 0, 0};
        Augmenter flip = new Augmenter(List.of(new Augmentation.Flip(Augmentation.Axis.HORIZONTAL, 1, null)), shape);
        flip.apply(x, 0, new Random(1));
        flip.moveBoxes(y, 0, 2);
        assertArrayEquals(new float[] {3, 0.7f, 0.2f, 0.9f, 0.5f, -1, 0, 0, 0, 0}, y, 1e-6f);
        Augmenter shift = new Augmenter(List.of(new Augmentation.Shift(0.25, 1, null)), shape);
        // symmetric draws: dy = (2 * 0.7 - 1) * 0.25 * 10 = 1, dx = (2 * 0.9 - 1) * 0.25 * 10 = 2
        shift.apply(x, 0, new AugmenterTest.Draws(0, 0.7, 0.9));
        float[] z = {0, 0.1f, 0.2f, 0.3f, 0.5f, 1, 0.7f, 0.6f, 0.9f, 0.9f};
        shift.moveBoxes(z, 0, 2);
        // the first box moves to x 0.3..0.5, y 0.3..0.6; the second to x 0.9..1.1, y 0.7..1.0: clipped to 0.9..1 (half of it inside)
        assertArrayEquals(new float[] {0, 0.3f, 0.3f, 0.5f, 0.6f, 1, 0.9f, 0.7f, 1f, 1f}, z, 1e-6f);
        float[] out = {0, 0.85f, 0.85f, 1f, 1f};
        shift.moveBoxes(out, 0, 1);   // entirely off the image: dropped
        assertArrayEquals(new float[] {-1, 0, 0, 0, 0}, out, 0f);
    }
}
