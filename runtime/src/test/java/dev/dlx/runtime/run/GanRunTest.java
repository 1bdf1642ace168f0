package dev.dlx.runtime.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.train.Fixtures;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dlxc run` of a tiny GAN: both steps' losses per epoch, a grid of generated images per epoch, generation and judgement afterwards. */
class GanRunTest {
    @TempDir Path dir;

    static final String DATA = """
        dataset digits {
            source csv "%s" { features 0..63, label 64 }
            features reshape [8, 8, 1] scale 1/16
            labels classes 10 sparse
            split train 80%%, val 20%% shuffle seed 1
            batch 32
        }
        """;

    /** A generator and a discriminator of 8x8 digits, trained in two steps for 2 epochs. */
    static final String GAN = """
        model G(z [4]) -> [8, 8, 1] {
            dense 64 -> sigmoid
            reshape [8, 8, 1]
        }
        model D(x [8, 8, 1]) -> [1] {
            flatten
            dense 8 -> relu
            dense 1
        }
        model GAN(z [4], image [8, 8, 1]) {
            let fake = z -> G
            let d_fake = fake -> D
            let d_real = image -> D
            return d_real, d_fake
        }
        train GAN on digits {
            noise z uniform
            step Dis {
                loss binary_crossentropy(d_real, 1, from_logits = true) + binary_crossentropy(d_fake, 0, from_logits = true)
                updates D
                optimizer adam lr 1e-3
            }
            step Gen {
                loss binary_crossentropy(d_fake, 1, from_logits = true)
                updates G
                optimizer adam lr 1e-3
            }
            epochs 2
        }
        """;

    @Test
    void aTinyGanTrainsWritesItsGridsAndGenerates() throws Exception {
        Path file = dir.resolve("gan.dlx");
        Files.writeString(file, DATA.formatted(RunnerTest.digitsCsv()) + GAN);
        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        int code = r.run(file, RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN).withSeed(1L));
        assertEquals(Runner.OK, code, out.toString());
        Path folder = r.results().get(0).folder();
        List<String> metrics = Files.readAllLines(folder.resolve(RunFolder.METRICS));
        assertEquals("epoch,lr,Dis_loss,Gen_loss,val_Dis_loss,val_Gen_loss", metrics.get(0));
        assertEquals(3, metrics.size(), metrics.toString());
        assertTrue(Files.exists(folder.resolve(RunFolder.CURVES)));
        for (String grid : List.of(SteppedRun.gridFile(1), SteppedRun.gridFile(2), "samples.png")) {
            BufferedImage img = ImageIO.read(folder.resolve(grid).toFile());
            assertNotNull(img, grid);
            // 64 images of 8x8 scaled 7x, in 8 rows of 8 with 2-pixel gaps
            assertEquals(8 * (8 * 7 + 2) + 2, img.getWidth());
            assertEquals(img.getWidth(), img.getHeight());
        }

        String summary = Files.readString(folder.resolve(RunFolder.SUMMARY));
        assertTrue(summary.contains("  step Dis\n") && summary.contains("    updates  G\n") && summary.contains("noise      z uniform low -1 high 1"),
            summary);

        SavedRun run = SavedRun.open(folder, null, new PrintWriter(new StringWriter()));
        assertNotNull(run);
        ImageGeneration.Images a = ImageGeneration.generate(run, 16, 3, null);
        assertEquals("fake", a.tensor());
        assertEquals(16 * 64, a.values().length);
        for (float v : a.values()) assertTrue(v >= 0 && v <= 1, "a sigmoid's value: " + v);
        assertArrayEquals(a.values(), ImageGeneration.generate(run, 16, 3, null).values());
        assertTrue(!Arrays.equals(a.values(), ImageGeneration.generate(run, 16, 4, null).values()));

        // a digit classifier of the same 8x8 images judges them
        Path clf = dir.resolve("clf.dlx");
        Files.writeString(clf, DATA.formatted(RunnerTest.digitsCsv()) + """
            model C(image [8, 8, 1]) -> [10] {
                flatten
                dense 10 -> softmax
            }
            train C on digits {
                loss sparse_categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 3
            }
            """);
        Runner c = new Runner(out.outWriter, out.errWriter, out.bar, null);
        assertEquals(Runner.OK, c.run(clf, RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN)
            .withSeed(1L)), out.toString());
        SavedRun classifier = SavedRun.open(c.results().get(0).folder(), null, new PrintWriter(new StringWriter()));
        ImageGeneration.Verdict v = ImageGeneration.judge(classifier, a.values(), 16, 1);
        assertEquals(16, Arrays.stream(v.perClass()).sum());
        assertEquals(10, v.perClass().length);
        assertTrue(v.confident() >= 0 && v.confident() <= 16);
        // an all-black and an all-white image sit at the ends of the data: the verdict reads them as the classifier does
        ImageGeneration.Verdict blank = ImageGeneration.judge(classifier, new float[64], 1, 1);
        assertEquals(1, Arrays.stream(blank.perClass()).sum());
        assertTrue(v.line().startsWith(v.confident() + " of 16 ("), v.line());
    }
}
