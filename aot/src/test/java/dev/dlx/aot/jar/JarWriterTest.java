package dev.dlx.aot.jar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries copied without re-compression read back byte for byte with java.util.zip, which checks every CRC. */
class JarWriterTest {

    @Test
    void copiesEntriesAsTheyAreAndAddsNewOnes(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("source.jar");
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31 % 251);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(source))) {
            z.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            z.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("a/big.bin"));
            z.write(big);
            ZipEntry stored = new ZipEntry("a/stored.txt");
            byte[] text = "stored as is".getBytes(StandardCharsets.UTF_8);
            stored.setMethod(ZipEntry.STORED);
            stored.setSize(text.length);
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(text);
            stored.setCrc(crc.getValue());
            z.putNextEntry(stored);
            z.write(text);
            z.putNextEntry(new ZipEntry("module-info.class"));
            z.write(new byte[] {1, 2, 3});
            z.putNextEntry(new ZipEntry("mine.txt"));
            z.write("theirs".getBytes(StandardCharsets.UTF_8));
        }
        Path out = dir.resolve("out.jar");
        try (JarWriter w = new JarWriter(out)) {
            w.directory("META-INF/");
            w.add("mine.txt", "mine".getBytes(StandardCharsets.UTF_8));
            assertEquals(2, w.copy(source, ModelJar::merged));
            assertEquals(1, w.duplicates());
        }
        try (ZipFile z = new ZipFile(out.toFile())) {
            assertEquals(4, Collections.list(z.entries()).size());
            assertArrayEquals(big, z.getInputStream(z.getEntry("a/big.bin")).readAllBytes());
            assertEquals(ZipEntry.DEFLATED, z.getEntry("a/big.bin").getMethod());
            assertEquals("stored as is", new String(z.getInputStream(z.getEntry("a/stored.txt")).readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(ZipEntry.STORED, z.getEntry("a/stored.txt").getMethod());
            assertEquals("mine", new String(z.getInputStream(z.getEntry("mine.txt")).readAllBytes(), StandardCharsets.UTF_8));
            assertNotNull(z.getEntry("META-INF/"));
            assertTrue(z.getEntry("META-INF/").isDirectory());
            assertFalse(Collections.list(z.entries()).stream().anyMatch(e -> e.getName().equals("module-info.class")));
        }
        // the same inputs give the same bytes
        Path again = dir.resolve("again.jar");
        try (JarWriter w = new JarWriter(again)) {
            w.directory("META-INF/");
            w.add("mine.txt", "mine".getBytes(StandardCharsets.UTF_8));
            w.copy(source, ModelJar::merged);
        }
        assertArrayEquals(Files.readAllBytes(out), Files.readAllBytes(again));
    }

    @Test
    void mergeSkipsSignaturesManifestsAndModuleDescriptors() {
        assertFalse(ModelJar.merged("META-INF/MANIFEST.MF"));
        assertFalse(ModelJar.merged("META-INF/BC.SF"));
        assertFalse(ModelJar.merged("META-INF/BC.RSA"));
        assertFalse(ModelJar.merged("META-INF/versions/9/module-info.class"));
        assertTrue(ModelJar.merged("META-INF/maven/com.google.code.gson/gson/pom.xml"));
        assertTrue(ModelJar.merged("org/tensorflow/Graph.class"));
    }
}
