package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `dlxc stylize` on a small convolutional network trained for the class on 16x16 pictures of a
 * bright bar (horizontal: class 0, vertical: class 1) over faint noise; the content is a bar,
 * the style a checkerboard.
 */
class StylizeCommandTest {
    @TempDir static Path dir;
    static Path run;
    static Path content;
    static Path style;

    @BeforeAll
    static void train() throws Exception {
        Random random = new Random(8);
        StringBuilder csv = new StringBuilder();
        for (int n = 0; n < 400; n++) {
            int cls = n % 2, at = random.nextInt(12), from = random.nextInt(8);
            for (int i = 0; i < 16; i++) {
                for (int j = 0; j < 16; j++) {
                    boolean on = cls == 0 ? i == at && j >= from && j < from + 8 : j == at && i >= from && i < from + 8;
                    csv.append(on ? "1" : String.format(Locale.ROOT, "%.2f", random.nextDouble() * 0.1)).append(',');
                }
            }
            csv.append(cls).append('\n');
        }
        Files.writeString(dir.resolve("bars.csv"), csv);
        Path file = dir.resolve("bars.dlx");
        Files.writeString(file, """
            dataset bars {
                source csv "bars.csv" { features 0..255, label 256 }
                features reshape [16, 16, 1]
                labels classes 2 onehot
                split train 80%, test 20% shuffle seed 1
            }
            model Bars(x [16, 16, 1]) -> [2] {
                conv 8 3 padding same -> relu
                maxpool 2
                conv 8 3 padding same -> relu
                global_avgpool
                dense 2 -> softmax
            }
            train Bars on bars {
                loss categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 4
            }
            """);
        var trained = TrainingCommandsTest.dlxc("run", file.toString(), "--runs", dir.resolve("runs").toString(), "--seed", "2", "--progress", "plain");
        assertEquals(0, trained.code(), trained.toString());
        try (var s = Files.list(dir.resolve("runs"))) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        // the content: a horizontal bar, drawn at twice the size (the command resizes it); the style: 2x2 checks
        BufferedImage bar = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 12; y < 16; y++) for (int x = 4; x < 28; x++) bar.setRGB(x, y, 0xFFFFFF);
        content = dir.resolve("bar.png");
        javax.imageio.ImageIO.write(bar, "png", content.toFile());
        BufferedImage checks = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) checks.setRGB(x, y, (x / 2 + y / 2) % 2 == 0 ? 0xFFFFFF : 0);
        style = dir.resolve("checks.png");
        javax.imageio.ImageIO.write(checks, "png", style.toFile());
    }

    @Test
    void theStyleCostFallsTenfoldWhileTheContentCostStaysWithinTwiceItsStart() throws Exception {
        Path out = dir.resolve("out.png"), costs = dir.resolve("costs.json");
        var r = TrainingCommandsTest.dlxc("stylize", run.toString(), "--content", content.toString(), "--style", style.toString(),
            "--steps", "120", "--beta", "1e6", "-o", out.toString(), "--costs", costs.toString(), "--zoom", "2");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("content layer `relu_2` [8, 8, 8], style layers `relu_1` (1)"), "the defaults: " + r.out());
        assertTrue(r.out().contains("start: content cost") && r.out().contains("end (step 120): content cost"), r.out());
        JsonObject j = JsonParser.parseString(Files.readString(costs)).getAsJsonObject();
        JsonObject start = j.getAsJsonObject("start"), end = j.getAsJsonObject("end");
        double s0 = start.get("style").getAsDouble(), s1 = end.get("style").getAsDouble();
        double c0 = start.get("content").getAsDouble(), c1 = end.get("content").getAsDouble();
        assertTrue(s0 > 0 && c0 > 0, j.toString());
        assertTrue(s0 / s1 >= 10, "the style cost falls at least tenfold: " + r.out());
        assertTrue(c1 <= 2 * c0, "the content cost stays within twice its start: " + r.out());
        assertEquals(start.get("total").getAsDouble(), c0 + 1e6 * s0, 1e-3 * start.get("total").getAsDouble(), "alpha J_content + beta J_style");
        assertEquals(11, j.getAsJsonArray("history").size(), "the start and every tenth of the steps");
        BufferedImage picture = javax.imageio.ImageIO.read(out.toFile());
        assertEquals(32, picture.getWidth(), "16 pixels at zoom 2");
        // the same seed, the same picture
        Path again = dir.resolve("again.png");
        var same = TrainingCommandsTest.dlxc("stylize", run.toString(), "--content", content.toString(), "--style", style.toString(),
            "--steps", "120", "--beta", "1e6", "-o", again.toString(), "--zoom", "2");
        assertEquals(0, same.code(), same.toString());
        assertEquals(java.util.Arrays.toString(Files.readAllBytes(out)), java.util.Arrays.toString(Files.readAllBytes(again)));
        // L-BFGS gets there in fewer steps
        Path lbfgsCosts = dir.resolve("lbfgs.json");
        var lbfgs = TrainingCommandsTest.dlxc("stylize", run.toString(), "--content", content.toString(), "--style", style.toString(),
            "--optimizer", "lbfgs", "--steps", "40", "--beta", "1e6", "-o", dir.resolve("lbfgs.png").toString(), "--costs", lbfgsCosts.toString());
        assertEquals(0, lbfgs.code(), lbfgs.toString());
        assertTrue(lbfgs.out().contains("L-BFGS (rate 0.02)"), lbfgs.out());
        JsonObject l = JsonParser.parseString(Files.readString(lbfgsCosts)).getAsJsonObject();
        assertEquals("lbfgs", l.get("optimizer").getAsString());
        assertTrue(s0 / l.getAsJsonObject("end").get("style").getAsDouble() >= 10, lbfgs.out());
        assertTrue(l.getAsJsonObject("end").get("content").getAsDouble() <= 2 * c0, lbfgs.out());
        double previous = Double.POSITIVE_INFINITY;
        for (var h : l.getAsJsonArray("history")) {
            double total = h.getAsJsonObject().get("total").getAsDouble();
            assertTrue(total <= previous, "each L-BFGS step lowers the total: " + lbfgs.out());
            previous = total;
        }
    }

    @Test
    void badLayersImagesAndOptionsAreClearErrors() throws Exception {
        String[] base = {"stylize", run.toString(), "--content", content.toString(), "--style", style.toString(), "--steps", "2",
            "-o", dir.resolve("e.png").toString()};
        var layer = dlxc(base, "--content-layer", "conv_7");
        assertEquals(2, layer.code(), layer.toString());
        assertTrue(layer.err().contains("`conv_7` is not a layer of `Bars`") && layer.err().contains("relu_2 [8, 8, 8]"), layer.err());
        var flat = dlxc(base, "--style-layers", "relu_1:0.5,dense_1");
        assertEquals(2, flat.code(), flat.toString());
        assertTrue(flat.err().contains("style layer `dense_1` has outputs [2], not [height, width, channels]"), flat.err());
        var weight = dlxc(base, "--style-layers", "relu_1:heavy");
        assertEquals(2, weight.code(), weight.toString());
        assertTrue(weight.err().contains("LAYER:WEIGHT"), weight.err());
        var missing = TrainingCommandsTest.dlxc("stylize", run.toString(), "--content", dir.resolve("nothing.png").toString(), "--style", style.toString());
        assertEquals(1, missing.code(), missing.toString());
        assertTrue(missing.err().contains("nothing.png` does not exist"), missing.err());
        Files.writeString(dir.resolve("broken.png"), "not a picture");
        var broken = TrainingCommandsTest.dlxc("stylize", run.toString(), "--content", content.toString(), "--style", dir.resolve("broken.png").toString());
        assertEquals(1, broken.code(), broken.toString());
        assertTrue(broken.err().contains("is not an image Java can decode"), broken.err());
        var init = dlxc(base, "--init", "gray");
        assertEquals(2, init.code(), init.toString());
        var optimizer = dlxc(base, "--optimizer", "sgd");
        assertEquals(2, optimizer.code(), optimizer.toString());
        assertTrue(optimizer.err().contains("--optimizer takes adam or lbfgs"), optimizer.err());
        var source = TrainingCommandsTest.dlxc("stylize", run.toString(), "--content", content.toString(), "--style", style.toString(), "--steps", "1",
            "-o", dir.resolve("bars.dlx").toString());
        assertEquals(2, source.code(), source.toString());
        assertTrue(Files.readString(dir.resolve("bars.dlx")).contains("model Bars"), "the source is intact");
        for (String bad : new String[] {"e.png"}) assertTrue(!Files.exists(dir.resolve(bad)), "nothing written on an error");
    }

    private static TrainingCommandsTest.Run dlxc(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return TrainingCommandsTest.dlxc(all);
    }
}
