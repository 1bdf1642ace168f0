package dev.dlx.compiler.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading sources: UTF-8 text is read, anything else is refused with what and where, never read forever. */
class SourceTextTest {
    @TempDir Path dir;

    @Test
    void utf8TextIsReadAsItIs() throws IOException {
        String text = "// 🧠 café\nmodel M(x [4]) {\n    dense 2\n}\n";
        Path f = Files.writeString(dir.resolve("ok.dlx"), text, StandardCharsets.UTF_8);
        assertEquals(new SourceText.Text(text), SourceText.read(f));
    }

    @Test
    void aLatin1ByteIsNamedWithItsLineAndColumn() throws IOException {
        // line 3 is "// caf" + é + "..." in Latin-1: the é is byte 0xE9, the 7th character of the line
        byte[] bytes = "model M(x [4]) {\n    dense 2\n// caf\u00e9 au lait\n}\n".getBytes(StandardCharsets.ISO_8859_1);
        Path f = Files.write(dir.resolve("x.dlx"), bytes);
        SourceText.Refused r = assertInstanceOf(SourceText.Refused.class, SourceText.read(f));
        assertEquals("not UTF-8 text: byte 0xE9 at 3:7", r.reason());
        assertEquals('\uFFFD', r.text().charAt(r.start()), "the shown text marks the byte");
    }

    @Test
    void columnsCountUtf16UnitsLikeEveryOtherColumn() {
        byte[] good = "🎉 x".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[good.length + 1];
        System.arraycopy(good, 0, bytes, 0, good.length);
        bytes[good.length] = (byte) 0xFF;
        SourceText.Refused r = assertInstanceOf(SourceText.Refused.class, SourceText.decode(bytes));
        assertEquals("not UTF-8 text: byte 0xFF at 1:5", r.reason()); // the emoji is two units, then " x"
    }

    @Test
    void aNulByteMeansBinary() {
        SourceText.Refused r = assertInstanceOf(SourceText.Refused.class, SourceText.decode(new byte[] {'a', '\n', 'b', 0, 'c'}));
        assertEquals("not text: a NUL byte at 2:2", r.reason());
    }

    @Test
    void directoriesPipesAndHugeFilesAreRefusedWithoutReading() throws Exception {
        SourceText.Refused d = assertInstanceOf(SourceText.Refused.class, SourceText.read(dir));
        assertEquals("a directory, not a file", d.reason());

        Path huge = dir.resolve("huge.dlx");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(SourceText.MAX_BYTES + 1); // sparse: nothing is written
        }
        SourceText.Refused h = assertInstanceOf(SourceText.Refused.class, SourceText.read(huge));
        assertEquals("larger than 16 MiB (16777217 bytes); it was not read", h.reason());

        assertInstanceOf(SourceText.Missing.class, SourceText.read(dir.resolve("none.dlx")));

        Path fifo = dir.resolve("fifo.dlx");
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        } catch (IOException e) {
            made = false;
        }
        assumeTrue(made, "mkfifo is not available");
        // Opening a FIFO with no writer blocks forever; it must be refused before it is opened.
        SourceText.Refused p = assertInstanceOf(SourceText.Refused.class, SourceText.read(fifo));
        assertEquals("not a regular file (a pipe, a device or a socket); it was not read", p.reason());
    }

    @Test
    void anImportedFileThatIsNotUtf8IsReportedAtTheImport() throws IOException {
        Files.write(dir.resolve("blocks.dlx"), "// r\u00e9seau\nblock b {\n    relu\n}\n".getBytes(StandardCharsets.ISO_8859_1));
        Path main = Files.writeString(dir.resolve("main.dlx"), "import \"blocks.dlx\"\nmodel M(x [4]) {\n    dense 2\n}\n");
        Compilation c = new Compiler(SourceProvider.DISK, dir).compile(main).orElseThrow();
        assertEquals(1, c.diagnostics().errorCount());
        Diagnostic d = c.diagnostics().sorted().get(0);
        assertEquals(Code.NOT_TEXT, d.code());
        assertEquals("imported file `blocks.dlx` is not UTF-8 text: byte 0xE9 at 1:5", d.message());
        assertEquals("\"blocks.dlx\"", d.span().text(), "the error is at the import");
        assertEquals("blocks.dlx:1:5", d.secondary().get(0).span().location(), "and shows the byte in the imported file");
    }
}
