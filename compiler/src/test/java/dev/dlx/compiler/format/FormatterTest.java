package dev.dlx.compiler.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.check.Summary;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.resolve.SourceProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class FormatterTest {
    static Path repo() {
        String repo = System.getProperty("dlx.repo");
        Path base = repo != null && !repo.isBlank() ? Path.of(repo) : Path.of("..");
        if (!Files.isDirectory(base.resolve("samples"))) base = Path.of("");
        return base.toAbsolutePath().normalize();
    }

    /** samples/**.dlx and the checker's golden cases. */
    static List<Path> corpus() {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("samples", "compiler/src/test/resources/check")) {
            Path root = repo().resolve(dir);
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> p.toString().endsWith(".dlx") && Files.isRegularFile(p)).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the checker says about a file, without positions: summaries, and each diagnostic's
     * severity, code and message (quoted source text compared without whitespace, since the
     * formatter may change the spacing inside an expression).
     */
    static String checkerOutput(Path file, String text) {
        Path abs = file.toAbsolutePath().normalize();
        SourceProvider overlay = p -> p.equals(abs) ? Optional.of(text) : SourceProvider.DISK.read(p);
        Compilation c = new Compiler(overlay, repo()).compile(abs, text);
        StringBuilder out = new StringBuilder();
        for (ModelIR m : c.rootModels()) out.append(Summary.render(m)).append('\n');
        for (Diagnostic d : c.diagnostics().sorted()) {
            out.append(d.severity()).append(' ').append(d.code().id()).append(' ')
               .append(d.message().replaceAll("\\s+", "")).append(' ')
               .append(d.help() == null ? "" : d.help().replaceAll("\\s+", "")).append('\n');
        }
        return out.toString();
    }

    @TestFactory
    List<DynamicTest> everySampleIsIdempotentAndKeepsItsMeaning() {
        List<DynamicTest> tests = new ArrayList<>();
        List<Path> files = corpus();
        assertFalse(files.isEmpty(), "no samples found under " + repo());
        for (Path file : files) {
            tests.add(DynamicTest.dynamicTest(repo().relativize(file).toString(), () -> {
                String text = read(file);
                Formatter.Result once = Formatter.format(new SourceFile(file, file.toString(), text));
                if (!once.ok()) {
                    // Only files with syntax errors are refused, and they stay as they were.
                    assertEquals(text, once.text());
                    assertTrue(once.problems().stream().allMatch(d -> d.code().id().startsWith("DLX01")), once.problems().toString());
                    return;
                }
                Formatter.Result twice = Formatter.format(once.text());
                assertTrue(twice.ok(), twice.problems().toString());
                assertEquals(once.text(), twice.text(), "formatting is not idempotent");
                assertEquals(checkerOutput(file, text), checkerOutput(file, once.text()), "formatting changed the checker's output");
                for (String line : once.text().split("\n", -1)) {
                    assertEquals(line.stripTrailing(), line, "trailing whitespace");
                    assertFalse(line.startsWith("\t"), "tab indentation");
                }
            }));
        }
        return tests;
    }

    @Test
    void samplesAreAlreadyCanonical() {
        Path digits = repo().resolve("samples/digits.dlx");
        String text = read(digits);
        assertEquals(text, Formatter.format(text).text());
    }

    private static String fmt(String text) {
        Formatter.Result r = Formatter.format(text);
        assertTrue(r.ok(), r.problems().toString());
        assertEquals(r.text(), Formatter.format(r.text()).text(), "not idempotent");
        return r.text();
    }

    @Test
    void indentsSpacesAndSeparatesDeclarations() {
        String messy = """
            block convbn(filters,k=3){
            \tconv filters k padding same->batchnorm ->  relu   \s
            }
            model Net(image[8,8,1])->[10]{
              convbn(32)    // first block
              flatten


              dense 10->softmax
            }
            """;
        String expected = """
            block convbn(filters, k = 3) {
                conv filters k padding same -> batchnorm -> relu
            }

            model Net(image [8, 8, 1]) -> [10] {
                convbn(32)  // first block
                flatten

                dense 10 -> softmax
            }
            """;
        assertEquals(expected, fmt(messy));
    }

    @Test
    void keepsCommentsAndCallSpacing() {
        String text = """
            /* header
               kept as is */
            // about the model
            model Net(x [4]) {
                dense (2 * 3)   // not a call
                dense(4, bias = false)
            }
            // about the data
            dataset d { source csv "x.csv" { features 0..3,label 4 } }
            """;
        String out = fmt(text);
        assertTrue(out.contains("/* header\n   kept as is */\n// about the model\nmodel Net"), out);
        assertTrue(out.contains("    dense (2 * 3)   // not a call\n"), out);
        assertTrue(out.contains("    dense(4, bias = false)\n"), out);
        assertTrue(out.contains("}\n\n// about the data\ndataset d { source csv \"x.csv\" { features 0..3, label 4 } }\n"), out);
    }

    @Test
    void continuationLinesAreIndented() {
        String text = """
            model Net(a [4],
            b [4]) {
            let y = a ->
            dense 4
            concat(
            a,
            y
            ) -> dense 2
            }
            """;
        String expected = """
            model Net(a [4],
                b [4]) {
                let y = a ->
                    dense 4
                concat(
                    a,
                    y
                ) -> dense 2
            }
            """;
        assertEquals(expected, fmt(text));
    }

    @Test
    void importsMayStayTogether() {
        assertEquals("import \"a.dlx\"\nimport \"b.dlx\"\n\nmodel M(x [1]) {\n    dense 1\n}\n",
            fmt("import \"a.dlx\"\nimport \"b.dlx\"\nmodel M(x [1]) {\n  dense 1\n}"));
    }

    @Test
    void refusesTextWithSyntaxErrors() {
        Formatter.Result r = Formatter.format("model Net(x [4]) {\n    dense 4 ->\n");
        assertFalse(r.ok());
        assertEquals("model Net(x [4]) {\n    dense 4 ->\n", r.text());
    }

    @Test
    void keepsWindowsLineEndings() {
        assertEquals("model M(x [1]) {\r\n    dense 1\r\n}\r\n", fmt("model M(x [1]) {\r\n dense 1\r\n}\r\n"));
    }

    @Test
    void emptyTextStaysEmpty() {
        assertEquals("", fmt(""));
        assertEquals("", fmt("\n\n  \n"));
    }
}
