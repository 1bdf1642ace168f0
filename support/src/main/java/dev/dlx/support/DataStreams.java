package dev.dlx.support;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * How every data file is opened, by the checker, the runtime's readers and a built JAR: through
 * gzip when its name ends in `.gz`, and only when it is a regular file (a pipe, a device or a
 * folder would block or never end).
 */
public final class DataStreams {
    private DataStreams() {}

    public static InputStream open(Path file) throws IOException {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IOException(Files.isDirectory(file) ? "it is a folder, not a file" : "it is not a regular file (a pipe, a device or a socket); it was not read");
        }
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
