package dev.dlx.compiler.resolve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where file text comes from: the disk, or an editor's open buffers first. */
@FunctionalInterface
public interface SourceProvider {
    /** The text, or empty when the file cannot be read. */
    Optional<String> read(Path path);

    SourceProvider DISK = path -> {
        try {
            return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    };
}
