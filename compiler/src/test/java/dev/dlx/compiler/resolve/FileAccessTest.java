package dev.dlx.compiler.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports and data files that a {@link FileAccess} refuses are reported at the path as written
 * (DLX0701) and never read; {@link FileAccess#ANY}, what `dlxc check` uses, reads them.
 */
class FileAccessTest {
    @TempDir Path dir;

    /** Refuses every file under {@code refused}; records what the check asked about. */
    private static final class Refusing implements FileAccess {
        final Path refused;
        final List<Path> asked = new ArrayList<>();

        Refusing(Path refused) { this.refused = refused; }

        @Override public Optional<Refusal> check(Path path) {
            asked.add(path);
            return path.startsWith(refused) ? Optional.of(new Refusal("is off limits", "ask for it")) : Optional.empty();
        }
    }

    private static final String MAIN = """
        import "secret/lib.dlx"

        dataset d {
            source csv "secret/data.csv" { header, features "zz", label "label" }
        }
        """;

    private Path files() throws IOException {
        Files.createDirectories(dir.resolve("secret"));
        Files.writeString(dir.resolve("secret/lib.dlx"), "model Lib(x [4]) -> [2] {\n    dense 2 -> hiddenlayer\n}\n");
        Files.writeString(dir.resolve("secret/data.csv"), "hidden_a,hidden_b,label\n1,2,0\n");
        return dir.resolve("main.dlx");
    }

    @Test
    void refusedImportsAndDataFilesAreReportedAtTheirPathsAndNotRead() throws IOException {
        Path main = files();
        Refusing access = new Refusing(dir.resolve("secret"));
        List<Path> loaded = new ArrayList<>();
        SourceProvider recording = p -> {
            loaded.add(p);
            return SourceProvider.DISK.read(p);
        };
        Compilation c = new Compiler(recording, access, dir).compile(main, MAIN);
        List<Diagnostic> ds = c.diagnostics().sorted();
        assertEquals(List.of(Code.OUTSIDE_WORKSPACE, Code.OUTSIDE_WORKSPACE), ds.stream().map(Diagnostic::code).toList(), ds.toString());
        assertEquals("imported file `secret/lib.dlx` is off limits; it was not read", ds.get(0).message());
        assertEquals("\"secret/lib.dlx\"", ds.get(0).span().text());
        assertEquals("ask for it", ds.get(0).help());
        assertEquals("data file `secret/data.csv` is off limits; it was not read", ds.get(1).message());
        assertEquals("\"secret/data.csv\"", ds.get(1).span().text());
        assertEquals(List.of(dir.resolve("secret/lib.dlx"), dir.resolve("secret/data.csv")), access.asked);
        assertEquals(List.of(), loaded, "the refused import was not asked for");
        assertFalse(ds.toString().contains("hidden"), ds.toString());
    }

    @Test
    void everyFileIsReadWithAny() throws IOException {
        Path main = files();
        Compilation c = new Compiler(SourceProvider.DISK, dir).compile(main, MAIN);
        List<Diagnostic> ds = c.diagnostics().sorted();
        assertEquals(List.of(), ds.stream().filter(d -> d.code() == Code.OUTSIDE_WORKSPACE).toList());
        String all = ds.toString() + ds.stream().map(d -> d.message() + d.notes() + d.help()).toList();
        assertTrue(all.contains("hiddenlayer"), all); // the import was read
        assertTrue(all.contains("hidden_a"), all); // and the header
    }
}
