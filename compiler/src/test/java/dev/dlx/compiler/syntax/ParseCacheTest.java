package dev.dlx.compiler.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.EditSites;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.TextRenderer;
import dev.dlx.compiler.diag.Work;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Parsing a document again with the parses of its earlier versions ({@link ParseCache}) gives what
 * parsing it whole gives (the same trees, spans into the same file object, the same diagnostics and
 * work), after any sequence of edits, also edits that move the boundaries between declarations;
 * and after a one-line edit it parses one declaration.
 */
class ParseCacheTest {
    private static final Path FILE = Path.of("/nonexistent/dlx-parse-test/doc.dlx");

    static final String DOC = """
        // every kind of declaration, comments, strings and separators between them
        import "std/blocks.dlx"
        /* a block comment
           over two lines */
        block convbn(filters, k = 3) {
            conv filters k padding same bias false -> batchnorm -> relu
        }
        block pair(units)(a, b) {
            let s = add(a, b)
            s -> dense units -> relu * 2
        }

        model Small(image [28, 28, 1]) -> [10] {
            convbn(8)
            maxpool 2 -> flatten  // a trailing comment
            dense 10 -> softmax
        }
        model Two(
            a [10],
            b [?, 10]
        ) -> [4], [4] {
            let x, y = pair(4)(a, b)
            return x -> dense 4, y -> dense 4
        }

        dataset digits {
            source csv "digits.csv.gz" { features 0..63, label 64 }
            features reshape [8, 8, 1] scale 1/16
            split train 70%, val 15%, test 15% shuffle seed 42
        }; train Small on digits {
            loss categorical_crossentropy
            optimizer adam lr 1e-3
            epochs 2
        }
        evaluate Small on digits.test { metrics accuracy }
        search {
            param lr loguniform 1e-4..1e-2
            trials 4
        }
        """;

    private static SourceFile file(String text) {
        return new SourceFile(FILE, "doc.dlx", text);
    }

    /** The diagnostics and work of a parse, as text. */
    private static String shown(Diagnostics sink, Work work) {
        StringBuilder s = new StringBuilder();
        for (Diagnostic d : sink.reported()) {
            s.append(new TextRenderer(false).render(d)).append(" @").append(d.span().start()).append('-').append(d.span().end()).append('\n');
        }
        return s.append("work ").append(work).toString();
    }

    /** Parses {@code text} with the cache and whole, and asserts that both give the same. */
    private static void assertSameAsWhole(ParseCache cache, String text, String what) {
        SourceFile file = file(text);
        Diagnostics wholeSink = new Diagnostics();
        Work wholeWork = new Work();
        Program whole = Parser.parse(file, wholeSink, wholeWork);
        Diagnostics sink = new Diagnostics();
        Work work = new Work();
        Program reused = cache.parse(file, sink, work);
        // records compare by value, and a span's file by identity: every span points into this version
        assertEquals(whole.decls(), reused.decls(), what + ":\n" + text);
        assertEquals(shown(wholeSink, wholeWork), shown(sink, work), what + ":\n" + text);
        assertTrue(reused.file() == file);
    }

    @Test
    void afterAnySequenceOfEditsTheReusedParseEqualsAWholeParse() {
        Random random = new Random(20261204L);
        ParseCache cache = new ParseCache();
        String text = DOC;
        assertSameAsWhole(cache, text, "the document");
        assertFalse(cache.whole(), "the document parses piece by piece");
        int edits = 600, whole = 0, parsed = 0, pieces = 0;
        for (int i = 0; i < edits; i++) {
            text = edit(text, random);
            assertSameAsWhole(cache, text, "after edit " + i);
            if (cache.whole()) whole++;
            else parsed += cache.parsed();
            if (!cache.whole()) pieces += DeclSplit.split(Tokens.lex(text), text.length()).orElseThrow().size();
            if (i % 8 == 7) text = DOC; // back to a clean document now and then
        }
        // both ways are taken: pieces parsed and taken over, and whole parses where the pieces are not certain
        assertTrue(whole > edits / 10, "whole parses " + whole);
        assertTrue(edits - whole > edits / 5, "piecewise parses " + (edits - whole));
        assertTrue(parsed * 2 < pieces, "parsed " + parsed + " of " + pieces + " pieces");
    }

    /** One random edit: of the kinds typing makes, and the ones that move declaration boundaries. */
    private static String edit(String text, Random random) {
        List<int[]> lines = EditSites.of(text, "(?m)^.*\\n");
        List<int[]> numbers = EditSites.of(text, "\\b\\d+\\b");
        int at = random.nextInt(text.length() + 1);
        switch (random.nextInt(10)) {
            case 0 -> { // a number changed
                int[] m = numbers.get(random.nextInt(numbers.size()));
                String[] choices = {"1", "7", "64", "0", "99999999999", "3", "1e999"};
                return text.substring(0, m[0]) + choices[random.nextInt(choices.length)] + text.substring(m[1]);
            }
            case 1 -> { // a line inserted: a comment, a layer, a declaration's first line
                int[] l = lines.get(random.nextInt(lines.size()));
                String[] choices = {"// note\n", "    dense 8 -> relu\n", "model Extra(x [4]) {\n", "}\n", "/* open\n", "*/\n",
                    "train Small on digits { epochs 1 }\n", "block b { relu }\n", ";\n", "\n"};
                return text.substring(0, l[0]) + choices[random.nextInt(choices.length)] + text.substring(l[0]);
            }
            case 2 -> { // a line deleted
                int[] l = lines.get(random.nextInt(lines.size()));
                return text.substring(0, l[0]) + text.substring(l[1]);
            }
            case 3 -> { // two lines joined: a separator between declarations may go
                int nl = text.indexOf('\n', at);
                return nl < 0 ? text : text.substring(0, nl) + (random.nextBoolean() ? " " : "") + text.substring(nl + 1);
            }
            case 5 -> { // characters typed anywhere: braces, quotes, comment marks, keywords
                String[] choices = {"x", " ", "{", "}", "(", ")", "[", "\"", "/*", "*/", "//", "#", ";", "model ", "\n", "-", "😀", "0..", "\\"};
                return text.substring(0, at) + choices[random.nextInt(choices.length)] + text.substring(at);
            }
            case 6 -> { // a character deleted
                return at >= text.length() ? text : text.substring(0, at) + text.substring(at + 1);
            }
            case 4, 8 -> { // a comment or spaces typed where a line starts: the declaration's text changes, its tree moves
                int[] l = lines.get(random.nextInt(lines.size()));
                return text.substring(0, l[0]) + (random.nextBoolean() ? "  " : "// c\n") + text.substring(l[0]);
            }
            default -> { // a declaration moved or doubled: pieces of equal text at two places
                int[] l = lines.get(random.nextInt(lines.size()));
                int s = text.indexOf("\nmodel ", random.nextInt(text.length()));
                if (s < 0) return text + "\nblock extra(u) {\n    dense u\n}\n";
                int e = text.indexOf("\n}", s + 1);
                String decl = e < 0 ? text.substring(s) : text.substring(s, e + 2);
                return text.substring(0, l[0]) + decl.substring(1) + "\n" + text.substring(l[0]);
            }
        }
    }

    /** A file of {@code models} models of 20 lines, after two blocks (as the editor benchmark's). */
    static String big(int models) {
        StringBuilder s = new StringBuilder("// generated\n\nblock convbn(filters, k = 3) {\n    conv filters k padding same -> batchnorm -> relu\n}\n\n");
        for (int n = 1; n <= models; n++) {
            s.append("// model ").append(n).append('\n');
            s.append("model Net").append(n).append("(image [32, 32, 3]) -> [10] {\n    convbn(32)\n    maxpool 2\n    convbn(64)\n");
            for (int i = 0; i < 12; i++) s.append("    dense 128 -> relu  // hidden ").append(i + 1).append('\n');
            s.append("    dropout 0.3\n    dense 10 -> softmax\n}\n\n");
        }
        return s.toString();
    }

    @Test
    void aOneLineEditParsesOneDeclaration() {
        ParseCache cache = new ParseCache();
        String text = big(100); // about 2,000 lines
        assertSameAsWhole(cache, text, "first parse");
        assertFalse(cache.whole());
        assertEquals(101, cache.parsed()); // the block and every model, each once

        String edited = text.substring(0, text.lastIndexOf("dropout 0.3")) + "dropout 0.9" + text.substring(text.lastIndexOf("dropout 0.3") + 11);
        assertSameAsWhole(cache, edited, "a number changed in the last model");
        assertEquals(1, cache.parsed());
        assertFalse(cache.whole());

        int second = edited.indexOf("model Net2(");
        String moved = edited.substring(0, second) + "// a comment line\n" + edited.substring(second);
        assertSameAsWhole(cache, moved, "a line inserted before the second model: the others move");
        assertEquals(1, cache.parsed()); // the piece the comment joined; the 99 after it are moved, not parsed

        String broken = moved.replace("model Net50(image [32, 32, 3]) -> [10] {", "model Net50(image [32, 32, 3]) -> [10] {{");
        assertSameAsWhole(cache, broken, "an unclosed brace");
        assertTrue(cache.whole()); // the pieces are not certain: the whole text is parsed

        assertSameAsWhole(cache, moved, "the brace removed again");
        assertEquals(0, cache.parsed()); // every piece is one parsed before
        assertFalse(cache.whole());

        String commented = moved.replace("// model 30\n", "/* model 30\n").replace("// model 33\n", "*/\n");
        assertSameAsWhole(cache, commented, "a block comment over declarations");
        assertFalse(cache.whole());
        assertEquals(1, cache.parsed()); // one piece now runs from model 29 to the comment's end and model 33
    }
}
