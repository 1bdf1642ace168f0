package dev.dlx.compiler.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.TextRenderer;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Parser;
import dev.dlx.compiler.syntax.Program;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Parsing snippets and looking at their diagnostics, for the data and training tests. */
public final class Snippets {
    private Snippets() {}

    /** Arguments of every kind and some nonsense, for robustness tests. */
    public static final List<String> ODD_ARGS = List.of("", "0", "-1", "1.5", "70%", "10deg", "3x3", "1x2x3x4", "\"s\"", "\"\"", "[8, 8, 1]",
        "[?, ?]", "[]", "0..3", "5..2", "-0.1..0.1", "foo", "on", "train", "val", "2147483647", "1/0",
        "[2147483647, 2147483647, 2147483647]", "{ x 1 }", "{ }");

    /** The repository root (the surefire property, or found from the working directory). */
    public static Path repo() {
        String prop = System.getProperty("dlx.repo");
        if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop, "samples"))) return Path.of(prop).toAbsolutePath().normalize();
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("samples/data"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("samples/data not found above " + Path.of("").toAbsolutePath());
        return p;
    }

    /** The folder the samples' data paths (`data/digits.csv.gz`) are relative to. */
    public static Path samples() { return repo().resolve("samples"); }

    public static Program parse(String text, Diagnostics sink) {
        Program p = Parser.parse(SourceFile.of("t.dlx", text), sink);
        assertTrue(!sink.hasErrors(), () -> "the snippet should parse:\n" + render(sink));
        return p;
    }

    public static Decl.Dataset dataset(String text, Diagnostics sink) {
        return parse(text, sink).all(Decl.Dataset.class).get(0);
    }

    public static DatasetIR checkDataset(String text, Path baseDir, Diagnostics sink) {
        return DatasetChecker.check(dataset(text, sink), baseDir, sink);
    }

    public static List<Diagnostic> withCode(Diagnostics sink, Code code) {
        return sink.sorted().stream().filter(d -> d.code() == code).toList();
    }

    /** The one diagnostic with this code; fails when there is none or several. */
    public static Diagnostic only(Diagnostics sink, Code code) {
        List<Diagnostic> found = withCode(sink, code);
        assertEquals(1, found.size(), () -> "expected one " + code + ", got:\n" + render(sink));
        return found.get(0);
    }

    public static void assertClean(Diagnostics sink) {
        assertTrue(sink.isEmpty(), () -> "expected no diagnostics, got:\n" + render(sink));
    }

    public static void assertNoErrors(Diagnostics sink) {
        assertTrue(!sink.hasErrors(), () -> "expected no errors, got:\n" + render(sink));
    }

    public static String render(Diagnostics sink) {
        TextRenderer r = new TextRenderer(false);
        return sink.sorted().stream().map(r::render).collect(Collectors.joining("\n"));
    }
}
