package dev.dlx.compiler.resolve;

import java.nio.file.Path;
import java.util.Optional;

/** Where file text comes from: the disk, or an editor's open buffers first. */
@FunctionalInterface
public interface SourceProvider {
    /** The text, or empty when the file cannot be read. */
    Optional<String> read(Path path);

    /** The text, or why there is none (a missing file, or one that is not dlx text). */
    default SourceText load(Path path) {
        return read(path).<SourceText>map(SourceText.Text::new).orElseGet(() -> new SourceText.Missing("cannot be read"));
    }

    /** The disk: regular files of UTF-8 text up to {@link SourceText#MAX_BYTES}. */
    SourceProvider DISK = new SourceProvider() {
        @Override public Optional<String> read(Path path) {
            return load(path) instanceof SourceText.Text t ? Optional.of(t.text()) : Optional.empty();
        }

        @Override public SourceText load(Path path) { return SourceText.read(path); }
    };
}
