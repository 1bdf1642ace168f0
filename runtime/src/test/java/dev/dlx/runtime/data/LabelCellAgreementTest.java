package dev.dlx.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.runtime.train.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `dlxc check` and the runtime's csv reader read label cells by the one rule of
 * {@code LabelSpec.parseCell}: a cell `check` refuses is one `run` refuses, with the same words, at
 * the same line and character column, and a cell `check` accepts `run` reads as the expected class
 * or target.
 */
class LabelCellAgreementTest {
    @TempDir Path dir;

    /** A label cell on line 2 (`0.1,0.2,CELL`: the cell starts at character 9) under an encoding; problem null when it is fine. */
    private record Case(String labels, String cell, String problem, float value) {}

    private static final List<Case> CASES = List.of(
        new Case("classes 3 sparse", "cat", "is not a class index", 0),
        new Case("classes 3 sparse", "5", "is outside the 3 declared classes (0..2)", 0),
        new Case("classes 3 sparse", "1.5", "is outside the 3 declared classes (0..2)", 0),
        new Case("classes 3 sparse", "-1", "is outside the 3 declared classes (0..2)", 0),
        new Case("classes 3 sparse", "2", null, 2),
        new Case("classes 3 onehot names \"a\" \"b\" \"c\"", "b", null, 1),
        new Case("classes 3 onehot names \"a\" \"b\" \"c\"", "d", "is not one of the class names (`a`, `b`, `c`) nor a class index", 0),
        new Case("classes 2 binary", "1", null, 1),
        new Case("classes 2 binary", "2", "is outside the 2 declared classes (0..1)", 0),
        new Case("regression", "-2.5", null, -2.5f),
        new Case("regression", "abc", "is not a number", 0),
        new Case("regression", "Infinity", "is not finite", 0));

    @Test
    void checkAndRunAgreeOnEveryCell() throws Exception {
        for (Case k : CASES) {
            String program = "dataset d {\n    source csv \"x.csv\" { features 0..1, label 2 }\n    labels " + k.labels() + "\n}\n";
            String csv = "0.5,1.0,0\n0.1,0.2," + k.cell() + "\n";
            Path main = dir.resolve("main.dlx");
            Files.writeString(dir.resolve("x.csv"), csv);
            Files.writeString(main, program);
            Compilation checked = new Compiler().compile(main).orElseThrow();
            List<Diagnostic> errors = checked.diagnostics().sorted().stream().filter(Diagnostic::isError).toList();
            String subject = (k.labels().equals("regression") ? "the target `" + k.cell() + "`"
                : k.problem() != null && k.problem().startsWith("is outside") ? "the label " + k.cell() : "the label `" + k.cell() + "`");
            if (k.problem() == null) {
                assertTrue(errors.isEmpty(), k + ": " + errors);
                LoadedData data = LoadedData.load(checked.datasets().get("d"));
                Samples s = data.samples();
                if (k.labels().equals("regression")) assertEquals(k.value(), s.targets()[1], 0f, k.toString());
                else assertEquals((int) k.value(), s.classes()[1], k.toString());
                continue;
            }
            assertEquals(1, errors.size(), k + ": " + errors);
            Diagnostic d = errors.get(0);
            assertEquals(Code.DATA_FILE, d.code());
            assertEquals(subject + " in column 2 on line 2 of `x.csv` " + k.problem(), d.message(), k.toString());
            assertEquals(List.of("at x.csv:2:9"), d.notes(), k.toString());

            // the same file read at run time (compiled from a clean file, as a file changed after checking)
            Files.writeString(dir.resolve("x.csv"), "0.5,1.0,0\n");
            Compilation clean = Fixtures.compile(dir, program, Map.of());
            Files.writeString(dir.resolve("x.csv"), csv);
            DataException e = assertThrows(DataException.class, () -> LoadedData.load(clean.datasets().get("d")), k.toString());
            assertTrue(e.getMessage().startsWith(subject + " on line 2 of `"), e.getMessage());
            assertTrue(e.getMessage().endsWith("x.csv` " + k.problem()), e.getMessage());
            assertTrue(e.location().endsWith("x.csv:2:9"), e.location());
            assertEquals(d.help(), e.help(), k.toString());
        }
    }
}
