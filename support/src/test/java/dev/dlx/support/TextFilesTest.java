package dev.dlx.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded reading of the small text files dlx writes: size, kind of file and encoding are checked before anything is kept. */
class TextFilesTest {

    @Test
    void linesSplitOnLineBreaksWithOrWithoutAFinalOne(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("a.csv"), "epoch,loss\r\n1,0.5\n\n2,0.25");
        assertEquals(List.of("epoch,loss", "1,0.5", "", "2,0.25"), TextFiles.lines(f, 100));
        Files.writeString(f, "x\n");
        assertEquals(List.of("x"), TextFiles.lines(f, 100));
        Files.writeString(f, "");
        assertEquals(List.of(), TextFiles.lines(f, 100));
    }

    @Test
    void aFileLargerThanTheBoundIsRefusedUnread(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("steps.csv"), "0123456789");
        assertEquals("0123456789", TextFiles.read(f, 10));
        IOException e = assertThrows(IOException.class, () -> TextFiles.read(f, 9));
        assertTrue(e.getMessage().contains("steps.csv` is larger than 9 bytes (10 bytes); it was not read"), e.getMessage());
        // a sparse file of 3 GiB: refused from its size, without reading it
        Path big = dir.resolve("big.csv");
        try (RandomAccessFile r = new RandomAccessFile(big.toFile(), "rw")) {
            r.setLength(3L << 30);
        }
        e = assertThrows(IOException.class, () -> TextFiles.lines(big, 256L << 20));
        assertTrue(e.getMessage().contains("is larger than 256 MiB (3221225472 bytes)"), e.getMessage());
    }

    @Test
    void aFolderAPipeAndBytesThatAreNotUtf8AreRefused(@TempDir Path dir) throws Exception {
        assertTrue(assertThrows(IOException.class, () -> TextFiles.read(dir, 100)).getMessage().endsWith("is a folder, not a file"));
        Path fifo = dir.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, p.waitFor());
        // opening a pipe for reading would wait for a writer forever; it is refused before that
        assertTrue(assertThrows(IOException.class, () -> TextFiles.read(fifo, 100)).getMessage().contains("is not a regular file"));
        Path latin1 = Files.write(dir.resolve("run.json"), "{\"name\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(IOException.class, () -> TextFiles.read(latin1, 100)).getMessage().endsWith("run.json` is damaged (not UTF-8 text)"));
        assertThrows(NoSuchFileException.class, () -> TextFiles.read(dir.resolve("none"), 100));
    }
}
