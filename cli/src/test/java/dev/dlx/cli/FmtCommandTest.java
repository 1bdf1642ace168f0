package dev.dlx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FmtCommandTest {
    record Run(int code, String out, String err) {}

    static Run dlxc(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static final String MESSY = "model M(x [4]){\n  dense 2->relu\n}\nmodel N(y [4]) {\ndense 1\n}\n";
    static final String CANONICAL = "model M(x [4]) {\n    dense 2 -> relu\n}\n\nmodel N(y [4]) {\n    dense 1\n}\n";

    @Test
    void printsTheFormattedText(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("m.dlx"), MESSY);
        Run r = dlxc("fmt", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(CANONICAL, r.out());
        assertEquals(MESSY, Files.readString(f), "without --write the file stays as it is");
    }

    @Test
    void checkListsFilesThatNeedFormattingAndWriteFixesThem(@TempDir Path dir) throws IOException {
        Path messy = Files.writeString(dir.resolve("messy.dlx"), MESSY);
        Path clean = Files.writeString(dir.resolve("clean.dlx"), CANONICAL);
        Run check = dlxc("fmt", "--check", messy.toString(), clean.toString());
        assertEquals(1, check.code());
        assertEquals(messy + System.lineSeparator(), check.out());

        assertEquals(0, dlxc("fmt", "--write", messy.toString(), clean.toString()).code());
        assertEquals(CANONICAL, Files.readString(messy));
        assertEquals(0, dlxc("fmt", "--check", messy.toString(), clean.toString()).code());
    }

    @Test
    void syntaxErrorsAreReportedAndNothingIsWritten(@TempDir Path dir) throws IOException {
        String broken = "model M(x [4]) {\n  dense 2 ->\n";
        Path f = Files.writeString(dir.resolve("broken.dlx"), broken);
        Run r = dlxc("fmt", "--write", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("error[DLX01"), r.err());
        assertEquals(broken, Files.readString(f));
        assertEquals(2, dlxc("fmt", dir.resolve("missing.dlx").toString()).code());
    }

    @Test
    void deeplyNestedParenthesesFormatWithoutCrashing(@TempDir Path dir) throws IOException {
        // within the nesting limit (100 levels) the text formats; past it (5,000 here) it is a syntax error, reported and left as it was
        String within = "model M(x [4]) {\n  dense " + "(".repeat(90) + "2" + ")".repeat(90) + "\n}\n";
        Path f = Files.writeString(dir.resolve("deep.dlx"), within);
        Run r = dlxc("fmt", f.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(within.replace("\n  dense", "\n    dense"), r.out());
        assertTrue(r.err().isEmpty(), r.err());

        int depth = 5000;
        String deep = "model M(x [4]) {\n  dense " + "(".repeat(depth) + "2" + ")".repeat(depth) + "\n}\n";
        Path past = Files.writeString(dir.resolve("past.dlx"), deep);
        Run refused = dlxc("fmt", "--write", past.toString());
        assertEquals(1, refused.code(), refused.err());
        assertTrue(refused.err().contains("error[DLX0106]"), refused.err());
        assertFalse(refused.err().contains("StackOverflowError") || refused.err().contains("\tat "), refused.err());
        assertEquals(deep, Files.readString(past));

        Path open = Files.writeString(dir.resolve("open.dlx"), "model M(x [4]) {\n    dense " + "(".repeat(depth) + "\n}\n");
        Run unclosed = dlxc("fmt", "--write", open.toString());
        assertEquals(1, unclosed.code(), unclosed.err());
        assertTrue(unclosed.err().contains("was not formatted: fix the syntax errors first"), unclosed.err());
        assertFalse(unclosed.err().contains("StackOverflowError") || unclosed.err().contains("\tat "), unclosed.err());
    }

    @Test
    void aFileThatIsNotUtf8SaysWhichByteAndWhereAndExitsOne(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("x.dlx"),
            "model M(x [4]) {\n    dense 2\n// caf\u00e9\n}\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        Run r = dlxc("fmt", "--write", f.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("x.dlx:3:7: error[DLX0105]: not UTF-8 text: byte 0xE9"), r.err());
        assertTrue(r.err().contains("was not formatted"), r.err());
    }
}
