package dev.dlx.compiler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dlx.compiler.check.Summary;
import dev.dlx.compiler.check.TrainingMemory;
import dev.dlx.compiler.diag.TextRenderer;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.resolve.SourceProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden-file tests of the checker: every {@code src/test/resources/check/<area>/<case>.dlx} is
 * compiled and its output (the root models' summaries, the trainings' memory estimates, every diagnostic, a closing tally, as
 * `dlxc check --color=never` prints them) is compared byte for byte with {@code <case>.expected}.
 * Paths in the output are relative to the check directory. Folders named {@code lib} hold helper
 * files that other cases import; they are not cases themselves.
 *
 * <p>To (re)write the expected files: {@code mvn test -pl compiler -Dtest=GoldenTest -Ddlx.bless=true},
 * then read every changed file before committing it.
 */
class GoldenTest {
    static final Path CHECK_DIR = checkDir();
    /** The machine the cases are checked for, so that the memory warning (DLX0411) does not depend on where tests run: 16 GiB. */
    static final long MACHINE_MEMORY = 16L << 30;

    static Path checkDir() {
        String repo = System.getProperty("dlx.repo");
        Path base = repo != null && !repo.isBlank() ? Path.of(repo).resolve("compiler") : Path.of("");
        Path dir = base.resolve("src/test/resources/check");
        if (!Files.isDirectory(dir)) dir = Path.of("compiler/src/test/resources/check"); // run from the repository root
        return dir.toAbsolutePath().normalize();
    }

    static boolean bless() { return "true".equalsIgnoreCase(System.getProperty("dlx.bless", "")); }

    /** Every case file, sorted by its path relative to the check directory. */
    static List<Path> cases() {
        try (Stream<Path> walk = Files.walk(CHECK_DIR)) {
            return walk.filter(p -> p.toString().endsWith(".dlx") && Files.isRegularFile(p))
                .filter(p -> {
                    for (Path part : CHECK_DIR.relativize(p.getParent() == null ? p : p.getParent())) {
                        if (part.toString().equals("lib")) return false;
                    }
                    return true;
                })
                .sorted((a, b) -> CHECK_DIR.relativize(a).toString().compareTo(CHECK_DIR.relativize(b).toString()))
                .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checker's output for one file, as the golden files hold it. */
    static String output(Path file) {
        Compiler compiler = new Compiler(SourceProvider.DISK, CHECK_DIR, OptionalLong.of(MACHINE_MEMORY));
        Compilation c = compiler.compile(file).orElseThrow(() -> new AssertionError("cannot read " + file));
        StringBuilder out = new StringBuilder();
        for (ModelIR m : c.rootModelsAsTrained()) out.append(Summary.render(m)).append('\n');
        out.append(TrainingMemory.text(c));
        out.append(new TextRenderer(false).renderAll(c.diagnostics().sorted()));
        out.append(c.diagnostics().hasErrors() ? "check failed: " : "check passed: ")
           .append(TextRenderer.tally(c.diagnostics().errorCount(), c.diagnostics().warningCount()))
           .append('\n');
        // a note naming where a file was looked for holds the machine's path to the cases: written relative to them
        return out.toString().replace(CHECK_DIR.toString() + java.io.File.separator, "");
    }

    static Path expectedFile(Path dlx) {
        String name = dlx.getFileName().toString();
        return dlx.resolveSibling(name.substring(0, name.length() - ".dlx".length()) + ".expected");
    }

    @TestFactory
    List<DynamicTest> golden() {
        List<Path> cases = cases();
        assertFalse(cases.isEmpty(), "no cases under " + CHECK_DIR);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : cases) {
            String name = CHECK_DIR.relativize(file).toString().replace('\\', '/');
            tests.add(DynamicTest.dynamicTest(name, file.toUri(), () -> check(name, file)));
        }
        tests.add(DynamicTest.dynamicTest("no expected file without its case", GoldenTest::noOrphans));
        return tests;
    }

    /** An expected file whose case was renamed or removed would never be checked again. */
    private static void noOrphans() throws IOException {
        List<String> orphans;
        try (Stream<Path> walk = Files.walk(CHECK_DIR)) {
            orphans = walk.filter(p -> p.toString().endsWith(".expected"))
                .filter(p -> {
                    String n = p.getFileName().toString();
                    return !Files.exists(p.resolveSibling(n.substring(0, n.length() - ".expected".length()) + ".dlx"));
                })
                .map(p -> CHECK_DIR.relativize(p).toString())
                .sorted()
                .toList();
        }
        if (!orphans.isEmpty()) fail("expected files without a .dlx case (delete them): " + orphans);
    }

    private static void check(String name, Path file) throws IOException {
        String actual = output(file);
        Path expectedPath = expectedFile(file);
        if (bless()) {
            Files.writeString(expectedPath, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(expectedPath)) {
            fail("no expected output for " + name + ": run `mvn test -pl compiler -Dtest=GoldenTest -Ddlx.bless=true`"
                + " to write " + CHECK_DIR.relativize(expectedPath) + ", then read it.\nActual output:\n" + actual);
        }
        String expected = Files.readString(expectedPath, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) fail(name + ": output differs from " + CHECK_DIR.relativize(expectedPath) + "\n"
            + firstDifference(expected, actual) + "\n--- actual output ---\n" + actual
            + "--- (run with -Ddlx.bless=true to accept it) ---");
    }

    /** "line 7:\n  expected: ...\n  actual:   ..." for the first line that differs. */
    static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        int n = Math.max(e.length, a.length);
        for (int i = 0; i < n; i++) {
            String el = i < e.length ? e[i] : null;
            String al = i < a.length ? a[i] : null;
            if (el == null || !el.equals(al)) {
                return "first difference at line " + (i + 1) + ":\n"
                    + "  expected: " + (el == null ? "<end of output>" : "|" + el + "|") + "\n"
                    + "  actual:   " + (al == null ? "<end of output>" : "|" + al + "|");
            }
        }
        return "outputs differ (line endings?)";
    }
}
