package dev.dlx.compiler.resolve;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which files a check may read: imported sources and the data files whose headers give shapes.
 * `dlxc check` reads any ({@link #ANY}); the language server reads only inside its workspace
 * folders unless the user allows more. A refused file is neither opened nor looked at (not even
 * whether it exists): the check reports the refusal at the path as written.
 */
@FunctionalInterface
public interface FileAccess {
    /** Why a file may not be read: {@code reason} follows the path ("is outside the workspace folders"), {@code help} says how to allow it. */
    record Refusal(String reason, String help) {}

    /** Empty when {@code path} (absolute and normalized) may be read, otherwise why not. */
    Optional<Refusal> check(Path path);

    /** Every file may be read. */
    FileAccess ANY = path -> Optional.empty();
}
