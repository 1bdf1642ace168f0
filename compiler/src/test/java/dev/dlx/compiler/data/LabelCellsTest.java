package dev.dlx.compiler.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker's scan of label cells stays within its bound, and says so when it stopped before the end. */
class LabelCellsTest {
    @TempDir Path dir;

    private final Span span = Span.of(SourceFile.of("t.dlx", "labels classes 3 sparse"), 0, 23);

    private List<Diagnostic> scan(String csv, long limit) throws Exception {
        Path file = dir.resolve("x.csv");
        Files.writeString(file, csv);
        CsvSource src = new CsvSource(CsvSource.Format.CSV, file, List.of(0, 1), List.of(2), 0, ',', List.of(), span);
        LabelSpec spec = LabelSpec.of(LabelSpec.Encoding.SPARSE, 3, 0, List.of(), span);
        Diagnostics sink = new Diagnostics();
        LabelCells.scan(src, List.of(new LabelIR(LabelIR.DEFAULT, false, spec, span)), dir, limit, sink);
        return sink.sorted();
    }

    @Test
    void aBadCellPastTheBoundIsLeftToRun() throws Exception {
        // each line is 6 characters with its line break: 4 lines are 24 characters
        String csv = "1,2,0\n1,2,1\n1,2,2\n1,2,7\n";
        assertEquals(List.of(), scan(csv, 18), "line 4 starts past the 18 characters read");
        List<Diagnostic> all = scan(csv, 24);
        assertEquals(1, all.size());
        assertEquals("the label 7 in column 2 on line 4 of `x.csv` is outside the 3 declared classes (0..2)", all.get(0).message());
        assertEquals(List.of("at x.csv:4:5"), all.get(0).notes(), "the whole file was read: no note about a part");
    }

    @Test
    void aReportOnPartOfTheFileSaysSo() throws Exception {
        String csv = "1,2,9\n1,2,0\n1,2,8\n1,2,1\n1,2,5\n";
        List<Diagnostic> part = scan(csv, 18); // lines 1 to 3
        assertEquals(1, part.size());
        Diagnostic d = part.get(0);
        assertEquals("the label 9 in column 2 on line 1 of `x.csv` is outside the 3 declared classes (0..2)", d.message());
        assertEquals(List.of("at x.csv:1:5", "the checker read the first 18 characters of the file; `dlxc run` reads the rest"), d.notes());
        assertEquals("2 lines with such cells in the part read", d.primary().text());
        Diagnostic whole = scan(csv, 100).get(0);
        assertEquals("3 lines with such cells", whole.primary().text());
        assertEquals(List.of("at x.csv:1:5"), whole.notes());
    }
}
