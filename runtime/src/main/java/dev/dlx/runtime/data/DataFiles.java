package dev.dlx.runtime.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Opening data files as the checker opens them (see the compiler's DataFiles): gzip by name, regular files only. */
final class DataFiles {
    private DataFiles() {}

    static InputStream open(Path file) throws IOException {
        return dev.dlx.compiler.data.DataFiles.open(file);
    }
}
