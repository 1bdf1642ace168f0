package dev.dlx.compiler.data;

import static dev.dlx.compiler.data.Snippets.assertClean;
import static dev.dlx.compiler.data.Snippets.checkDataset;
import static dev.dlx.compiler.data.Snippets.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Severity;
import dev.dlx.compiler.shape.Shape;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxSourceTest {

    @TempDir Path tmp;

    /** An IDX file of unsigned bytes: magic 0x00 0x00 0x08, rank, dimensions, then zeros. */
    private static byte[] idx(int... dims) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {0, 0, 0x08, (byte) dims.length});
        long n = 1;
        for (int d : dims) {
            out.writeInt(d);
            n *= d;
        }
        out.write(new byte[(int) n]);
        out.flush();
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        if (name.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
                out.write(content);
            }
        } else {
            Files.write(p, content);
        }
        return p;
    }

    private DatasetIR check(String source, Diagnostics sink) {
        return checkDataset("dataset mnist {\n    " + source + "\n}\n", tmp, sink);
    }

    @Test
    void plainAndGzipHeadersGiveShapeAndCount() throws IOException {
        for (String ext : List.of("", ".gz")) {
            write("images" + ext, idx(5, 4, 3));
            write("labels" + ext, idx(5));
            Diagnostics sink = new Diagnostics();
            DatasetIR d = check("source idx \"images" + ext + "\" labels \"labels" + ext + "\"", sink);
            assertClean(sink);
            IdxSource src = assertInstanceOf(IdxSource.class, d.source());
            assertEquals(Shape.of(4, 3), src.sampleShape(), ext);
            assertEquals(Shape.of(4, 3), d.featureShape());
            assertEquals(5, src.count());
            assertEquals(IdxSource.ElementType.UBYTE, src.elementType());
            assertTrue(src.hasLabels());
        }
    }

    @Test
    void testFilesBecomeTheTestSplit() throws IOException {
        write("train-images.gz", idx(6, 2, 2));
        write("train-labels.gz", idx(6));
        write("test-images.gz", idx(3, 2, 2));
        write("test-labels.gz", idx(3));
        Diagnostics sink = new Diagnostics();
        DatasetIR d = check("source idx \"train-images.gz\" labels \"train-labels.gz\" test \"test-images.gz\" \"test-labels.gz\"\n"
            + "    split train 90%, val 10%", sink);
        assertClean(sink);
        IdxSource src = (IdxSource) d.source();
        assertEquals(3, src.testCount());
        assertEquals(List.of("train", "val", "test"), d.splitNames());

        Diagnostics twice = new Diagnostics();
        check("source idx \"train-images.gz\" labels \"train-labels.gz\" test \"test-images.gz\" \"test-labels.gz\"\n"
            + "    split train 80%, val 10%, test 10%", twice);
        assertEquals("10%", only(twice, Code.SPLIT_SIZES).span().text());
    }

    @Test
    void truncatedHeaderNamesTheOffset() throws IOException {
        byte[] whole = idx(5, 4, 3);
        for (String name : List.of("cut", "cut.gz")) {
            write(name, Arrays.copyOf(whole, 10)); // magic, rank 3, first dimension, half of the second
            Diagnostics sink = new Diagnostics();
            DatasetIR d = check("source idx \"" + name + "\"", sink);
            Diagnostic e = only(sink, Code.DATA_FILE);
            assertTrue(e.isError());
            assertTrue(e.message().startsWith("`" + name + "`"), e.message());
            assertTrue(e.message().contains("byte offset 8"), e.message());
            assertTrue(d.featureShape().isUnknown());
            assertFalse(d.valid());
        }
    }

    /** A header alone, with 16 bytes of data: what an overflowing element count must not pass for. */
    private static byte[] header(int... dims) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(new byte[] {0, 0, 0x08, (byte) dims.length});
        for (int d : dims) out.writeInt(d);
        out.write(new byte[16]);
        return bytes.toByteArray();
    }

    @Test
    void headersWhoseElementCountOverflowsAreTruncatedFiles() throws IOException {
        // 4 x (2^31-1)^2 wraps negative in 64 bits, 65536^4 wraps to exactly 0: both promise far more than 32 bytes
        for (int[] dims : List.of(new int[] {4, Integer.MAX_VALUE, Integer.MAX_VALUE}, new int[] {65536, 65536, 65536, 65536})) {
            write("huge", header(dims));
            Diagnostics sink = new Diagnostics();
            check("source idx \"huge\"", sink);
            String m = only(sink, Code.DATA_FILE).message();
            assertTrue(m.contains("truncated") && m.contains("2^63"), m);
        }
    }

    @Test
    void truncatedDataAndBadMagicAreErrors() throws IOException {
        byte[] whole = idx(5, 4, 3);
        write("short", Arrays.copyOf(whole, whole.length - 7));
        Diagnostics sink = new Diagnostics();
        check("source idx \"short\"", sink);
        assertTrue(only(sink, Code.DATA_FILE).message().contains("truncated"));

        write("text", "hello world".getBytes());
        Diagnostics magic = new Diagnostics();
        check("source idx \"text\"", magic);
        assertTrue(only(magic, Code.DATA_FILE).message().contains("byte offset 0"));

        Files.write(tmp.resolve("notgzip.gz"), whole); // named .gz but not compressed
        Diagnostics gz = new Diagnostics();
        check("source idx \"notgzip.gz\"", gz);
        assertTrue(only(gz, Code.DATA_FILE).message().contains("gzip"));
    }

    @Test
    void labelsMustCountLikeTheImages() throws IOException {
        write("images", idx(5, 2, 2));
        write("labels", idx(4));
        Diagnostics sink = new Diagnostics();
        check("source idx \"images\" labels \"labels\"", sink);
        Diagnostic e = only(sink, Code.DATA_FILE);
        assertEquals("\"labels\"", e.span().text());
        assertTrue(e.message().contains("4 labels for 5 samples"), e.message());
    }

    @Test
    void namedLabelFilesAreTheSourcesLabels() throws IOException {
        write("images", idx(5, 2, 2));
        write("digits", idx(5));
        write("parity", idx(5));
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset mnist {\n    source idx \"images\" { labels digit \"digits\", parity \"parity\" }\n"
            + "    labels digit classes 10 onehot, parity classes 2 binary\n}\n", tmp, sink);
        assertClean(sink);
        IdxSource src = assertInstanceOf(IdxSource.class, d.source());
        assertTrue(src.namesLabels() && src.hasLabels());
        assertEquals(List.of("digit", "parity"), src.labelNames());
        assertEquals(tmp.resolve("parity"), src.labelFile("parity").path());
        assertEquals("parity", src.labelSpan("parity").text());
        assertEquals(List.of(tmp.resolve("images"), tmp.resolve("digits"), tmp.resolve("parity")), src.files());
        assertEquals(List.of("digit", "parity"), d.namedLabels().stream().map(LabelIR::name).toList());
        assertEquals(Shape.of(10), d.namedLabels().get(0).spec().shape());
        assertEquals(Shape.of(1), d.namedLabels().get(1).spec().shape());
        assertTrue(d.multiTensor());
    }

    @Test
    void aNamedLabelFileThatIsNotThereIsAWarningAtItsPath() {
        Diagnostics sink = new Diagnostics();
        check("source idx \"images\" { labels digit \"digits\" }", sink);
        List<Diagnostic> warnings = Snippets.withCode(sink, Code.DATA_FILE);
        assertEquals(List.of("\"images\"", "\"digits\""), warnings.stream().map(w -> w.span().text()).toList());
        assertTrue(warnings.stream().allMatch(w -> w.severity() == Severity.WARNING));
    }

    @Test
    void missingMnistIsAWarningThatSaysHowToGetIt() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = check("source idx \"mnist/train-images-idx3-ubyte.gz\" labels \"mnist/train-labels-idx1-ubyte.gz\"\n"
            + "    features reshape [28, 28, 1]", sink);
        List<Diagnostic> warnings = Snippets.withCode(sink, Code.DATA_FILE);
        assertEquals(2, warnings.size());
        for (Diagnostic w : warnings) {
            assertEquals(Severity.WARNING, w.severity());
            assertTrue(w.help().contains(DataFiles.FETCH_SCRIPT), w.help());
        }
        assertTrue(d.valid(), "a missing file is no error: the run needs it, the check does not");
        assertEquals(Shape.of(28, 28, 1), d.featureShape(), "reshape fixes the shape even when the file is missing");
    }
}
