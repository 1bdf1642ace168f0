package dev.dlx.lsp.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.resolve.SourceProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hover text over block bodies and models, with shapes and parameter counts worked out by hand:
 * `convbn(16)` on one channel is conv 16*9+16 = 160 and batch norm 4*16 = 64, 224 in all.
 */
class HoversTest {
    static final String BLOCKS = """
        block convbn(filters, k = 3) {
            conv filters k padding same -> batchnorm -> relu
        }
        block twice(filters) {
            let y = convbn(filters)
            let z = y -> conv filters 1
            convbn(filters) -> add(z)
        }
        """;

    static final String MAIN = BLOCKS + """
        model Net(image [8, 8, 1]) -> [10] {
            twice(16)
            twice(8)
            flatten -> dense 10 -> softmax
        }
        model Bad(image [8, 8, 1]) {
            dense 10 -> conv 3 3
        }
        """;

    @TempDir Path dir;

    private final LanguageService service = new LanguageService();

    private Analysis analyze(String name, String text) {
        return service.analyze(dir.resolve(name), text, SourceProvider.DISK, dir);
    }

    private String hover(Analysis a, String needle, List<Analysis> others) {
        int at = a.text().indexOf(needle);
        assertTrue(at >= 0, needle);
        return service.hover(a, a.text().codePointCount(0, at), others).orElseThrow(() -> new AssertionError("no hover at " + needle))
            .markdown();
    }

    private String hover(String needle) {
        Analysis a = analyze("main.dlx", MAIN);
        return hover(a, needle, List.of(a));
    }

    /** A `---` line must follow a blank line: under a line of text it makes that line a heading. */
    private static void assertRulesStandAlone(String markdown) {
        List<String> lines = markdown.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("---")) {
                assertTrue(i > 0 && lines.get(i - 1).isBlank(), "a rule right under text:\n" + markdown);
            }
        }
    }

    @Test
    void aBlockUseInsideABlockShowsEachExpansion() {
        String first = hover("convbn(filters)\n");
        assertTrue(first.startsWith("```dlx\nblock convbn(filters, k = 3)\n```"), first);
        assertTrue(first.contains("`twice_1/convbn_1` in `Net`: `[8, 8, 1]` → output `[8, 8, 16]` · 224 parameters"), first);
        // twice(8) after twice(16): conv 8*16*9+8 = 1,160 and batch norm 4*8 = 32.
        assertTrue(first.contains("`twice_2/convbn_1` in `Net`: `[8, 8, 16]` → output `[8, 8, 8]` · 1,192 parameters"), first);
        assertFalse(first.contains("convbn_2"), first);
        assertRulesStandAlone(first);
        // The second use in the body: conv 16*16*9+16 = 2,320 and batch norm 64.
        String second = hover("convbn(filters) -> add");
        assertTrue(second.contains("`twice_1/convbn_2` in `Net`: `[8, 8, 16]` → output `[8, 8, 16]` · 2,384 parameters"), second);
        assertFalse(second.contains("convbn_1`"), second);
    }

    @Test
    void aLetTensorInsideABlockShowsItsShapeInEachExpansion() {
        String y = hover("y = ");
        assertTrue(y.startsWith("tensor `y`\n\n---\n\n"), y);
        assertTrue(y.contains("`twice_1/y` in `Net`: `[8, 8, 16]` → output `[8, 8, 16]`"), y);
        assertTrue(y.contains("`twice_2/y` in `Net`: `[8, 8, 8]` → output `[8, 8, 8]`"), y);
        assertEquals(y, hover("y -> conv"), "a use of the tensor says the same");
        // z: conv 1x1 from 16 to 16 channels, 16*16+16 = 272.
        String z = hover("z = ");
        assertTrue(z.contains("`twice_1/z` in `Net`: `[8, 8, 16]` → output `[8, 8, 16]` · 272 parameters"), z);
        assertRulesStandAlone(z);
    }

    @Test
    void manyExpansionsShowTheFirstOnesAndACount() {
        Analysis a = analyze("main.dlx", BLOCKS + "model Deep(image [8, 8, 1]) {\n    twice(4) * 5\n    twice(4) * 2\n}\n");
        String h = hover(a, "convbn(filters)\n", List.of(a));
        for (int i = 1; i <= 4; i++) assertTrue(h.contains("`twice_" + i + "/convbn_1` in `Deep`"), h);
        assertFalse(h.contains("twice_5"), h);
        assertTrue(h.strip().endsWith("… and 3 more uses"), h);
        String once = hover(a, "twice(4) * 2", List.of(a));
        assertTrue(once.contains("`twice_6` in `Deep`") && once.contains("`twice_7` in `Deep`"), once);
        assertFalse(once.contains("more use"), once);
    }

    @Test
    void aBlockInAnImportedFileShowsTheExpansionsOfTheFilesThatUseIt() throws IOException {
        Files.writeString(dir.resolve("blocks.dlx"), BLOCKS);
        Analysis blocks = analyze("blocks.dlx", BLOCKS);
        Analysis main = analyze("main.dlx", "import \"blocks.dlx\"\nmodel Net(image [8, 8, 1]) {\n    twice(16)\n}\n");
        String h = hover(blocks, "convbn(filters)\n", List.of(blocks, main));
        assertTrue(h.contains("`twice_1/convbn_1` in `Net`: `[8, 8, 1]` → output `[8, 8, 16]` · 224 parameters"), h);
        String y = hover(blocks, "y = ", List.of(blocks, main));
        assertTrue(y.contains("`twice_1/y` in `Net`: `[8, 8, 16]` → output `[8, 8, 16]`"), y);
    }

    @Test
    void aLayerInsideNestedBlocksShowsEachExpansion() {
        String conv = hover("conv filters k");
        assertTrue(conv.contains("`twice_1/convbn_1/conv_1` in `Net`: `[8, 8, 1]` → output `[8, 8, 16]` · 160 parameters"), conv);
        assertRulesStandAlone(conv);
    }

    @Test
    void aModelWithErrorsSaysItsOutputsAreUnknown() {
        String bad = hover("Bad");
        assertTrue(bad.contains("inputs `[8, 8, 1]` → outputs unknown (the model has errors)"), bad);
        assertFalse(bad.contains("outputs ``"), bad);
        String net = hover("Net");
        assertTrue(net.contains("inputs `[8, 8, 1]` → outputs `[10]`"), net);
        assertFalse(net.contains("errors"), net);
    }
}
