package dev.dlx.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.runtime.run.ConsoleListener;
import dev.dlx.runtime.run.RunFolder;
import dev.dlx.runtime.run.RunOptions;
import dev.dlx.runtime.run.Runner;
import dev.dlx.runtime.train.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `source idx "images" { labels digit "digits", parity "parities" }`: each label file is read into
 * the part of its label, over the same images; the files are written here byte by byte.
 */
class IdxLabelFilesTest {
    @TempDir Path dir;

    /** Six 2x2 images of unsigned bytes: image i holds i, i+1, i+2, i+3. */
    private static byte[] images(int count) {
        byte[] b = new byte[16 + 4 * count];
        b[2] = 0x08;
        b[3] = 3;
        b[7] = (byte) count;
        b[11] = 2;
        b[15] = 2;
        for (int i = 0; i < count; i++) for (int j = 0; j < 4; j++) b[16 + 4 * i + j] = (byte) (i + j);
        return b;
    }

    /** A labels file of unsigned bytes: magic 0x00 0x00 0x08 0x01, the count, then the labels. */
    private static byte[] labels(int... values) {
        byte[] b = new byte[8 + values.length];
        b[2] = 0x08;
        b[3] = 1;
        b[7] = (byte) values.length;
        for (int i = 0; i < values.length; i++) b[8 + i] = (byte) values[i];
        return b;
    }

    private static final int[] DIGITS = {3, 1, 4, 1, 5, 9};
    private static final int[] PARITY = {1, 1, 0, 1, 1, 1};

    private static final String PROGRAM = """
        dataset d {
            source idx "images" { labels digit "digits", parity "parities" }
            features flatten scale 1/2
            labels digit classes 10 sparse, parity classes 2 sparse
            split train 50%, val 50% shuffle seed 1
            batch 3
        }
        model Two(x [4]) {
            let h = x -> dense 4 -> relu
            let digit = h -> dense 10 -> softmax
            let parity = h -> dense 2 -> softmax
            return digit, parity
        }
        train Two on d {
            loss sparse_categorical_crossentropy
            optimizer sgd
            epochs 1
        }
        """;

    private void write(byte[] images, byte[] digits, byte[] parities) throws Exception {
        Files.write(dir.resolve("images"), images);
        Files.write(dir.resolve("digits"), digits);
        Files.write(dir.resolve("parities"), parities);
    }

    @Test
    void eachLabelFileIsItsLabelsPart() throws Exception {
        write(images(6), labels(DIGITS), labels(PARITY));
        Compilation c = Fixtures.compile(dir, PROGRAM, Map.of());
        LoadedData data = LoadedData.load(Fixtures.dataset(c), 1);
        assertArrayEquals(DIGITS, data.part("digit").samples().classes());
        assertArrayEquals(PARITY, data.part("parity").samples().classes());
        Samples x = data.part("features").samples();
        assertArrayEquals(new int[] {4}, x.shape(), "2x2 images, flattened");
        assertArrayEquals(new float[] {2.5f, 3f, 3.5f, 4f}, java.util.Arrays.copyOfRange(x.x(), 20, 24), 0f, "image 5 halved");
        assertEquals(List.of("0", "1"), data.part("parity").classNames());
        data.checkFits(Fixtures.model(c));
    }

    @Test
    void aModelWithTwoHeadsTrainsOnTwoLabelFiles() throws Exception {
        write(images(6), labels(DIGITS), labels(PARITY));
        Path file = dir.resolve("main.dlx");
        Fixtures.compile(dir, PROGRAM, Map.of());
        Fixtures.Output out = new Fixtures.Output();
        Runner r = new Runner(out.outWriter, out.errWriter, out.bar, null);
        int code = r.run(file, RunOptions.defaults().withRuns(dir.resolve("runs")).withProgress(ConsoleListener.Mode.PLAIN).withSeed(5L));
        assertEquals(Runner.OK, code, out.toString());
        List<String> metrics = Files.readAllLines(r.results().get(0).folder().resolve(RunFolder.METRICS));
        assertTrue(metrics.get(0).contains("digit_loss") && metrics.get(0).contains("parity_accuracy"), metrics.get(0));
    }

    @Test
    void aLabelFileWithAnotherCountIsAnErrorNamingBothFiles() throws Exception {
        write(images(6), labels(DIGITS), labels(1, 0, 1, 0, 1));
        Files.writeString(dir.resolve("main.dlx"), PROGRAM);
        Compilation checked = new Compiler().compile(dir.resolve("main.dlx")).orElseThrow();
        List<Diagnostic> errors = checked.diagnostics().sorted().stream().filter(Diagnostic::isError).toList();
        assertEquals(1, errors.size(), errors.toString());
        assertEquals(Code.DATA_FILE, errors.get(0).code());
        assertEquals("`parities`: holds 5 labels for 6 samples (the images in `images`)", errors.get(0).message());

        // a file changed after checking: the reader names both files and both counts
        write(images(6), labels(DIGITS), labels(PARITY));
        Compilation c = Fixtures.compile(dir, PROGRAM, Map.of());
        Files.write(dir.resolve("parities"), labels(1, 0, 1, 0, 1));
        DataException e = assertThrows(DataException.class, () -> LoadedData.load(Fixtures.dataset(c), 1));
        assertTrue(e.getMessage().matches("`.*parities` holds 5 labels for 6 samples \\(the images in `.*images`\\)"), e.getMessage());
        assertTrue(e.location().endsWith("parities"), e.location());
    }

    @Test
    void aLabelOutsideItsClassesNamesItsFileAndSample() throws Exception {
        write(images(6), labels(DIGITS), labels(PARITY));
        Compilation c = Fixtures.compile(dir, PROGRAM, Map.of());
        Files.write(dir.resolve("parities"), labels(1, 1, 0, 2, 1, 1));
        DataException e = assertThrows(DataException.class, () -> LoadedData.load(Fixtures.dataset(c), 1));
        assertTrue(e.getMessage().startsWith("the label 2 of sample 3 in `") && e.getMessage().endsWith("is outside the 2 declared classes (0..1)"),
            e.getMessage());
    }
}
