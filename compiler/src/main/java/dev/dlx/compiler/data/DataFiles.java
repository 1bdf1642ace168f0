package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.resolve.FileAccess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Touching data files as little as checking needs: resolving paths against the `.dlx` file's
 * folder, opening (gzip when the name ends in `.gz`), and the warning for a file not there yet.
 */
public final class DataFiles {
    private DataFiles() {}

    /** Data sets that are not shipped with dlx, and what downloads them. */
    private record Hint(Pattern name, String help) {}

    /** The script named here is the one the project provides for downloading data sets that are not shipped. */
    static final String FETCH_SCRIPT = "samples/data/fetch.sh";

    private static final List<Hint> HINTS = List.of(
        new Hint(Pattern.compile("(train|t10k)-(images-idx3|labels-idx1)-ubyte(\\.gz)?"),
            "MNIST is not shipped with dlx: `" + FETCH_SCRIPT + " mnist` downloads it"),
        new Hint(Pattern.compile("(?i).*fashion.*"),
            "Fashion-MNIST is not shipped with dlx: `" + FETCH_SCRIPT + " fashion-mnist` downloads it"),
        new Hint(Pattern.compile("(?i).*cifar.*"),
            "CIFAR-10 is not shipped with dlx: `" + FETCH_SCRIPT + " cifar10` downloads it"));

    /**
     * The absolute path of {@code written}, relative to the `.dlx` file's folder; null after an
     * error when it is no valid path or names a file the check may not read (then it is not looked at).
     */
    static Path resolve(SourceContext ctx, String written, Span span) {
        Path file = resolve(ctx.baseDir(), written, span, ctx.sink());
        if (file == null) return null;
        Optional<FileAccess.Refusal> refused = ctx.access().check(file);
        if (refused.isEmpty()) return file;
        ctx.sink().report(Diagnostic.error(Code.OUTSIDE_WORKSPACE, span, "data file `" + written + "` " + refused.get().reason()
                + "; it was not read")
            .label("not read")
            .help(refused.get().help()));
        return null;
    }

    /** The absolute path of {@code written}, relative to {@code baseDir}; null after an error when it is no valid path. */
    private static Path resolve(Path baseDir, String written, Span span, Diagnostics sink) {
        try {
            if (written.isEmpty()) throw new InvalidPathException(written, "empty path");
            Path p = Path.of(written);
            Path base = baseDir == null ? Path.of("") : baseDir;
            return (p.isAbsolute() ? p : base.resolve(p)).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            error(span, written, "is not a valid path (" + e.getReason() + ")", "write a path relative to the `.dlx` file", sink);
            return null;
        }
    }

    /**
     * Opens a data file for reading, through gzip when its name ends in `.gz`; the checker and the
     * runtime's readers both read through this. Only regular files are opened: a pipe, a device or
     * a folder would block or never end.
     */
    public static InputStream open(Path file) throws IOException { return dev.dlx.support.DataStreams.open(file); }

    /**
     * Warns that {@code file} is not there (yet): checking goes on with what the statement says,
     * the run will need the file. Returns true when it exists.
     */
    static boolean exists(Path file, String written, Span span, Diagnostics sink) {
        if (Files.exists(file)) return true;
        String name = file.getFileName() == null ? written : file.getFileName().toString();
        String help = HINTS.stream().filter(h -> h.name.matcher(name).matches()).map(Hint::help).findFirst()
            .orElse("paths are relative to the folder of the `.dlx` file; put the file there or correct the path");
        sink.report(Diagnostic.warning(Code.DATA_FILE, span, "data file `" + written + "` not found")
            .label("no such file")
            .note("looked for " + file)
            .help(help));
        return false;
    }

    /** A data file error: "`data/x.gz`: ..." at the path as written. */
    static void error(Span span, String written, String problem, String help, Diagnostics sink) {
        Diagnostic.Builder b = Diagnostic.error(Code.DATA_FILE, span, "`" + written + "`: " + problem).label("cannot use this file");
        if (help != null) b.help(help);
        sink.report(b);
    }
}
