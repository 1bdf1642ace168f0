package dev.dlx.lsp.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.check.ModelCache;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.diag.TextRenderer;
import dev.dlx.compiler.resolve.FileAccess;
import dev.dlx.compiler.resolve.SourceProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An editor's document checked after every edit with the checks and parses of its earlier versions
 * answers every question as a check from scratch does: diagnostics, outline, hovers, definitions,
 * references and completions, after any sequence of edits (those that break declarations and move
 * their boundaries too).
 */
class IncrementalAnalysisTest {
    private static final Path FILE = Path.of("/nonexistent/dlx-incremental-test/doc.dlx");

    private static final String DOC = """
        // blocks, models, a dataset, a training
        block convbn(filters, k = 3) {
            conv filters k padding same bias false -> batchnorm -> relu
        }
        /* the head of
           every model */
        block head(units) {
            dense units -> relu
            dropout 0.3
        }

        model Small(image [28, 28, 1]) -> [10] {
            convbn(8)
            maxpool 2
            flatten
            head(32)
            dense 10 -> softmax
        }

        model Pair(a [10], b [10]) -> [4] {
            let ea = Small2(a)
            add(ea, b) -> dense 4
        }

        dataset digits {
            source csv "missing-digits.csv" { label "label" }
            batch 32
        }
        train Small on digits { loss categorical_crossentropy; epochs 2 }
        """;

    private final LanguageService service = new LanguageService();

    private Analysis analyze(String text, ModelCache cache) {
        return service.analyze(FILE, text, SourceProvider.DISK, FileAccess.ANY, FILE.getParent(), cache);
    }

    /** A span as offsets and text, and whether it points into the analysis's own document (never an older version). */
    private static String at(Analysis a, Span s) {
        if (s == null) return "@-";
        String file = s.file() == a.file() ? "" : s.file().path() != null && s.file().path().equals(a.path()) ? "(STALE)" : s.file().displayName();
        return "@" + file + s.start() + "-" + s.end() + "\"" + s.text() + "\"";
    }

    private static void symbol(Analysis a, LanguageService.Symbol s, String indent, StringBuilder out) {
        out.append(indent).append(s.kind()).append(' ').append(s.name()).append(' ').append(s.detail())
            .append(at(a, s.range())).append(at(a, s.selection())).append('\n');
        for (LanguageService.Symbol c : s.children()) symbol(a, c, indent + "  ", out);
    }

    /** Everything the editor is told about {@code a}: diagnostics, outline, and the answers at {@code offsets}. */
    private String shown(Analysis a, int[] offsets) {
        StringBuilder s = new StringBuilder();
        for (Diagnostic d : a.diagnostics()) s.append(new TextRenderer(false).render(d)).append(at(a, d.span())).append('\n');
        for (LanguageService.Symbol sym : service.symbols(a)) symbol(a, sym, "", s);
        for (int offset : offsets) {
            s.append("at ").append(offset).append(":\n");
            service.hover(a, offset).ifPresent(h -> s.append("  hover ").append(h.markdown()).append(at(a, h.span())).append('\n'));
            service.definition(a, offset).ifPresent(d -> s.append("  definition").append(at(a, d)).append('\n'));
            for (Span r : service.references(a, offset, true, List.of())) s.append("  reference").append(at(a, r)).append('\n');
            LanguageService.CompletionList c = service.complete(a, a.text(), offset);
            s.append("  completions ").append(c.replaceStart()).append('-').append(c.replaceEnd()).append(' ')
                .append(c.items().stream().map(LanguageService.Completion::label).toList()).append('\n');
        }
        return s.toString();
    }

    @Test
    void afterAnySequenceOfEditsTheAnswersAreThoseOfACheckFromScratch() {
        Random random = new Random(42);
        ModelCache cache = new ModelCache();
        String text = DOC;
        int edits = 150, piecewise = 0;
        for (int i = 0; i < edits; i++) {
            text = edit(text, random);
            Analysis incremental = analyze(text, cache);
            Analysis scratch = analyze(text, null);
            int[] offsets = random.ints(8, 0, text.length() + 1).toArray();
            assertEquals(shown(scratch, offsets), shown(incremental, offsets), "after edit " + i + ":\n" + text);
            if (!cache.parses().whole()) piecewise++;
            if (i % 5 == 4) text = DOC; // back to a clean document now and then
        }
        assertTrue(piecewise > edits / 5, "parsed piece by piece " + piecewise + " times");
        assertTrue(piecewise < edits, "parsed whole " + (edits - piecewise) + " times");
    }

    @Test
    void anEditInsideOneModelParsesOnlyThatModel() {
        ModelCache cache = new ModelCache();
        analyze(DOC, cache);
        assertEquals(6, cache.parses().parsed());
        Analysis a = analyze(DOC.replace("maxpool 2", "maxpool 3"), cache);
        assertEquals(1, cache.parses().parsed());
        assertFalse(cache.parses().whole());
        assertEquals(shown(analyze(a.text(), null), new int[0]), shown(a, new int[0]));
    }

    private static String edit(String text, Random random) {
        int at = random.nextInt(text.length() + 1);
        int line = text.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
        String[] typed = {"x", "1", " ", "{", "}", "(", "\"", "/*", "*/", "//", ";", "\n", "model ", "relu"};
        String[] lines = {"    dense 8 -> relu\n", "// note\n", "    dropout 0.9\n", "block extra(u) {\n    dense u\n}\n", "}\n", "\n"};
        return switch (random.nextInt(6)) {
            case 0 -> text.substring(0, at) + typed[random.nextInt(typed.length)] + text.substring(at);
            case 1 -> at >= text.length() ? text : text.substring(0, at) + text.substring(at + 1);
            case 2 -> text.replaceFirst("\\b" + List.of("8", "32", "10", "2", "3").get(random.nextInt(5)) + "\\b", List.of("16", "0", "7").get(random.nextInt(3)));
            case 3 -> text.replaceFirst("\\b" + List.of("relu", "dense", "flatten").get(random.nextInt(3)) + "\\b", List.of("tanh", "relux", "dense 3").get(random.nextInt(3)));
            default -> text.substring(0, line) + lines[random.nextInt(lines.length)] + text.substring(line);
        };
    }
}
