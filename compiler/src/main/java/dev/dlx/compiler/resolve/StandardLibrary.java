package dev.dlx.compiler.resolve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The `.dlx` files shipped inside the compiler: an import path starting with `std/`
 * (`import "std/transformer.dlx"`) names one of {@link #FILES}, read from the compiler's
 * resources {@code dev/dlx/compiler/std/}, never from the disk.
 */
public final class StandardLibrary {
    private StandardLibrary() {}

    /** The prefix of an import path that names the standard library. */
    public static final String PREFIX = "std/";

    /** Every file of the library, as imported. */
    public static final List<String> FILES = List.of("std/transformer.dlx");

    /** Where the library's files seem to live, for display and for telling them apart from files on disk. */
    static final Path ROOT = Path.of("/").resolve("<dlx standard library>");

    public static boolean names(String importPath) { return importPath.startsWith(PREFIX); }

    /** The path a library import stands for (its name under {@link #ROOT}). */
    static Path path(String importPath) { return ROOT.resolve(importPath.substring(PREFIX.length())).normalize(); }

    static boolean contains(Path path) { return path.startsWith(ROOT); }

    /** `std/transformer.dlx` for a library path. */
    static String display(Path path) { return PREFIX + ROOT.relativize(path).toString().replace('\\', '/'); }

    /** The text of library file {@code importPath}, or empty when the library has no such file. */
    public static Optional<String> text(String importPath) {
        if (!FILES.contains(importPath)) return Optional.empty();
        String resource = "/dev/dlx/compiler/std/" + importPath.substring(PREFIX.length());
        try (InputStream in = StandardLibrary.class.getResourceAsStream(resource)) {
            if (in == null) return Optional.empty();
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
