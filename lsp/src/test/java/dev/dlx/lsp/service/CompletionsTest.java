package dev.dlx.lsp.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.resolve.SourceProvider;
import dev.dlx.lsp.service.LanguageService.Completion;
import dev.dlx.lsp.service.LanguageService.CompletionList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Completion at a cursor written `|` in the text: what is offered, and the text after the chosen
 * item's edit (the edit replaces [replaceStart, replaceEnd) with the item's insert text).
 */
class CompletionsTest {
    private static final String BLOCK = "block convbn(filters, k = 3) {\n    conv filters k padding same -> batchnorm -> relu\n}\n";

    @TempDir Path dir;

    private final LanguageService service = new LanguageService();

    /** The text and the completions at its `|`, with the analysis of the text without the `|`. */
    private record At(String text, CompletionList list) {
        Completion item(String label) {
            return list.items().stream().filter(c -> c.label().equals(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no `" + label + "` in " + labels()));
        }

        List<String> labels() {
            return list.items().stream().map(Completion::label).toList();
        }

        /** The text once the item is chosen. */
        String choose(String label) {
            int from = text.offsetByCodePoints(0, list.replaceStart());
            int to = text.offsetByCodePoints(0, list.replaceEnd());
            return text.substring(0, from) + item(label).insertText() + text.substring(to);
        }
    }

    private At complete(String marked) {
        int cursor = marked.indexOf('|');
        String text = marked.substring(0, cursor) + marked.substring(cursor + 1);
        Analysis a = service.analyze(dir.resolve("main.dlx"), text, SourceProvider.DISK, dir);
        return new At(text, service.complete(a, text, text.codePointCount(0, cursor)));
    }

    private static String model(String body) {
        return BLOCK + "model M(x [8, 8, 3]) {\n    " + body + "\n}\n";
    }

    @Test
    void aLossExpressionOffersTheTensorsAndLabelsAsTheCheckerNamesThem() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("multi.csv"), "0,1,2,3,4,5,0,1\n1,2,3,4,5,6,2,0\n");
        String program = """
            dataset pairs {
                source csv "multi.csv" { features x 0..5, labels kind 6, flag 7 }
                labels kind classes 3 onehot, flag classes 2 onehot
            }
            model M(x [6]) {
                let h = dense 8 -> relu
                let kind = h -> dense 3 -> softmax
                let flag = h -> dense 2 -> softmax
                return kind, flag
            }
            train M on pairs {
                loss categorical_crossentropy(|
                optimizer adam
            }
            """;
        At at = complete(program);
        // a label and the output it trains share a name: both qualified, as the bare name is ambiguous
        assertTrue(at.labels().containsAll(List.of("labels.kind", "M.kind", "labels.flag", "M.flag", "h", "mean", "sqdist")), at.labels().toString());
        assertFalse(at.labels().contains("kind"), "the bare shared name is not offered: " + at.labels());
        // the one-word form still completes its attributes
        At oneWord = complete(program.replace("loss categorical_crossentropy(|", "loss categorical_crossentropy |"));
        assertTrue(oneWord.labels().contains("label_smoothing"), oneWord.labels().toString());
    }

    @Test
    void aWordIsReplacedAsAWholeWhenTheCursorIsInsideIt() {
        At at = complete(model("den|sse 10"));
        assertEquals(model("dense 10"), at.choose("dense"));
        At keyword = complete(model("re|lu -> dense 10"));
        assertEquals(model("relu -> dense 10"), keyword.choose("relu"));
        assertEquals(model("conv2d -> dense 10"), keyword.choose("conv2d"));
    }

    @Test
    void aWordBeingTypedAtItsEndIsReplacedAndAWordAfterTheCursorIsKept() {
        assertEquals(model("dense"), complete(model("den|")).choose("dense"));
        At start = complete(model("|relu"));
        assertEquals(start.list().replaceStart(), start.list().replaceEnd());
        assertEquals(model("dropoutrelu"), start.choose("dropout"), "at the start of a word the item goes in before it");
    }

    @Test
    void theNameOfACallCompletesAndKeepsItsArguments() {
        for (String marked : List.of("con|vbn(32)", "convbn|(32)", "c|onvbn(32)")) {
            At at = complete(model(marked + " -> dense 10"));
            assertTrue(at.labels().containsAll(List.of("convbn", "conv", "conv2d", "add")), marked + ": " + at.labels());
            assertEquals(model("convbn(32) -> dense 10"), at.choose("convbn"), marked);
            assertEquals(model("add(32) -> dense 10"), at.choose("add"), marked + ": a merge's `($1)` is not inserted twice");
            assertFalse(at.item("convbn").snippet(), marked);
        }
        // Right after the `(`: the block's parameters, as before.
        At args = complete(model("convbn(|32)"));
        assertTrue(args.labels().contains("filters"), args.labels().toString());
        assertFalse(args.labels().contains("conv"), args.labels().toString());
    }

    @Test
    void aBlockOrMergeWithoutParenthesesYetIsInsertedAsACall() {
        At at = complete(model("conv|"));
        assertEquals(model("convbn($1)"), at.choose("convbn"));
        assertTrue(at.item("convbn").snippet());
    }

    @Test
    void aFileNameReplacesTheWholeStringContent() throws IOException {
        Files.writeString(dir.resolve("blocks.dlx"), BLOCK);
        Files.writeString(dir.resolve("other.dlx"), BLOCK.replace("convbn", "other"));
        At at = complete("import \"bl|x.dlx\"\n");
        assertEquals("import \"blocks.dlx\"\n", at.choose("blocks.dlx"));
        At open = complete("import \"ot|\n");
        assertEquals("import \"other.dlx\n", open.choose("other.dlx"));
    }
}
