package dev.dlx.compiler.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.EditSites;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.diag.TextRenderer;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.resolve.FileAccess;
import dev.dlx.compiler.resolve.SourceProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Checking a document again with the checks of its earlier versions ({@link ModelCache}) gives what
 * checking it whole gives, after any sequence of edits, and checks only the models an edit can change.
 */
class ModelCacheTest {
    private static final Path FILE = Path.of("/nonexistent/dlx-cache-test/doc.dlx");

    static final String DOC = """
        // blocks, models using blocks, a model using models, a dataset and a training
        block convbn(filters, k = 3) {
            conv filters k padding same bias false -> batchnorm -> relu
        }

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

        model Wide(image [32, 32, 3]) -> [10] {
            convbn(16, k = 5)
            convbn(16)
            global_avgpool
            head(64)
            dense 10 -> softmax
        }

        model Encoder(x [10]) -> [4] {
            dense 6 -> relu
            dense 4
        }

        model Pair(a [10], b [10]) -> [4] {
            let ea = Encoder(a)
            let eb = Encoder(b)
            add(ea, eb)
        }

        model Plain(x [20]) -> [3] {
            dense 16 -> relu
            dense 3 -> softmax
        }

        dataset digits {
            source csv "missing-digits.csv" { label "label" }
            batch 32
        }

        train Plain on digits {
            loss categorical_crossentropy
            optimizer adam lr 1e-3
            epochs 2
        }
        """;

    private static Compiler compiler() {
        return new Compiler(SourceProvider.DISK, FileAccess.ANY, FILE.getParent(), OptionalLong.empty());
    }

    /** Everything an editor shows of a compilation, spans as line:column in the document itself. */
    private static String shown(Compilation c) {
        StringBuilder s = new StringBuilder();
        List<String> diags = new ArrayList<>();
        for (Diagnostic d : c.diagnostics().sorted()) diags.add(new TextRenderer(false).render(d) + at(c, d.span()));
        diags.sort(null); // diagnostics at one position may come in either order
        diags.forEach(d -> s.append(d).append('\n'));
        for (Map.Entry<String, ModelIR> e : c.models().entrySet()) {
            ModelIR m = e.getValue();
            s.append(e.getKey()).append(" valid=").append(m.valid()).append(' ').append(at(c, m.span())).append('\n');
            s.append(Summary.render(m)).append('\n');
            for (Node n : m.nodes()) {
                s.append("  ").append(n.name()).append(' ').append(n.shape()).append(' ').append(at(c, n.span()));
                if (n.attrs() != null) for (Map.Entry<String, Span> a : n.attrs().givenSpans().entrySet()) s.append(' ').append(a.getKey()).append(at(c, a.getValue()));
                s.append('\n');
            }
            m.uses().forEach(u -> s.append("  use ").append(u.name()).append(at(c, u.span())).append('\n'));
        }
        s.append("work ").append(c.work().expanded()).append(' ').append(c.work().sizing()).append('\n');
        return s.toString();
    }

    /** A span as offsets, and whether it points into this compilation's own file objects (never an older version's). */
    private static String at(Compilation c, Span span) {
        if (span == null) return "@-";
        boolean current = c.programs().stream().anyMatch(p -> p.file() == span.file());
        return "@" + span.file().displayName() + ":" + span.start() + "-" + span.end() + (current ? "" : "(STALE FILE)") + "\"" + span.text() + "\"";
    }

    @Test
    void afterAnySequenceOfEditsTheReusedCheckEqualsAWholeCheck() {
        Random random = new Random(20261203L);
        ModelCache cache = new ModelCache();
        String text = DOC;
        int reused = 0, checked = 0, edits = 300;
        for (int i = 0; i < edits; i++) {
            text = edit(text, random);
            Compilation incremental = compiler().reusing(cache).compile(FILE, text);
            Compilation whole = compiler().compile(FILE, text);
            assertEquals(shown(whole), shown(incremental), "after edit " + i + ":\n" + text);
            reused += cache.reused();
            checked += cache.checked();
            if (i % 60 == 59) text = DOC; // back to a clean document now and then, so that edits keep landing on working models
        }
        // the sequence exercises both: models taken over (moved) and models checked again
        assertTrue(reused > edits, "reused " + reused);
        assertTrue(checked > edits / 3, "checked " + checked);
        assertTrue(reused > checked, "reused " + reused + ", checked " + checked);
    }

    /** One random edit, of the kinds typing makes: numbers, words, lines, characters, comments. */
    private static String edit(String text, Random random) {
        int kind = random.nextInt(9);
        List<int[]> numbers = EditSites.of(text, "\\b\\d+\\b");
        List<int[]> words = EditSites.of(text, "\\b(relu|dense|conv|flatten|maxpool|head|convbn|Encoder|softmax|global_avgpool)\\b");
        List<int[]> lines = EditSites.of(text, "(?m)^.*\\n");
        switch (kind) {
            case 0, 1 -> { // a number changed (also to a width that makes an error)
                int[] m = numbers.get(random.nextInt(numbers.size()));
                String[] choices = {"1", "7", "64", "0", "999", "3"};
                return text.substring(0, m[0]) + choices[random.nextInt(choices.length)] + text.substring(m[1]);
            }
            case 2 -> { // a word misspelled or replaced
                int[] m = words.get(random.nextInt(words.size()));
                String[] choices = {"relux", "dense", "conv 4 3", "tanh", "flatten", "Encoder", "head(8)", "convbn(4)"};
                return text.substring(0, m[0]) + choices[random.nextInt(choices.length)] + text.substring(m[1]);
            }
            case 3 -> { // a comment line inserted: everything after it moves
                int[] l = lines.get(random.nextInt(lines.size()));
                return text.substring(0, l[0]) + "// note " + random.nextInt(100) + "\n" + text.substring(l[0]);
            }
            case 4 -> { // a line deleted
                int[] l = lines.get(random.nextInt(lines.size()));
                return text.substring(0, l[0]) + text.substring(l[1]);
            }
            case 5 -> { // a layer line inserted
                int[] l = lines.get(random.nextInt(lines.size()));
                String[] choices = {"    dropout 0.9\n", "    dense 8 -> relu\n", "    batchnorm\n", "    conv 4 3 -> relu\n"};
                return text.substring(0, l[0]) + choices[random.nextInt(choices.length)] + text.substring(l[0]);
            }
            case 6 -> { // a character typed or deleted anywhere (syntax errors too)
                int at = random.nextInt(text.length());
                String[] choices = {"x", " ", "{", "}", "(", "\n", ""};
                String c = choices[random.nextInt(choices.length)];
                return c.isEmpty() ? text.substring(0, at) + text.substring(at + 1) : text.substring(0, at) + c + text.substring(at);
            }
            case 7 -> { // a declaration added or renamed: the names in scope change
                return random.nextBoolean() ? text + "\nblock extra(u) {\n    dense u\n}\n"
                    : text.replaceFirst("block head\\(", "block head2(");
            }
            default -> { // a spacing change inside a line
                int[] l = lines.get(random.nextInt(lines.size()));
                return text.substring(0, l[0]) + "  " + text.substring(l[0]);
            }
        }
    }

    @Test
    void anEditChecksItsModelAndTheModelsThatUseWhatItChanged() {
        ModelCache cache = new ModelCache();
        compiler().reusing(cache).compile(FILE, DOC);
        assertEquals(5, cache.checked(), "first: every model");
        assertEquals(0, cache.reused());

        // a layer of one model: that model alone
        String text = DOC.replace("dense 16 -> relu\n    dense 3", "dense 17 -> relu\n    dense 3");
        compiler().reusing(cache).compile(FILE, text);
        assertEquals(1, cache.checked());
        assertEquals(4, cache.reused());

        // a block: the two models that use it, not the three that do not
        text = text.replace("dense units -> relu", "dense units -> tanh");
        compiler().reusing(cache).compile(FILE, text);
        assertEquals(2, cache.checked());
        assertEquals(3, cache.reused());

        // a used model: it and its user
        text = text.replace("dense 6 -> relu", "dense 7 -> relu");
        compiler().reusing(cache).compile(FILE, text);
        assertEquals(2, cache.checked());
        assertEquals(3, cache.reused());

        // lines inserted above everything: nothing to check, every model moved
        text = "// one\n// two\n" + text;
        Compilation moved = compiler().reusing(cache).compile(FILE, text);
        assertEquals(0, cache.checked());
        assertEquals(5, cache.reused());
        assertEquals(shown(compiler().compile(FILE, text)), shown(moved));

        // a new declaration: the names in scope changed, every model is checked
        compiler().reusing(cache).compile(FILE, text + "\nblock extra(u) {\n    dense u\n}\n");
        assertEquals(5, cache.checked());
    }

    @Test
    void aTakenOverModelsNodesAreMovedOnceWhenFirstRead() {
        ModelIR ir = compiler().compile(FILE, DOC).models().get("Wide");
        int[] moved = {0};
        ModelIR relocated = ir.relocated(span -> {
            moved[0]++;
            return span == null ? null : new Span(span.file(), span.start() + 1, span.end() + 1);
        });
        int eager = moved[0];
        assertTrue(eager <= 1 + ir.uses().size(), "before its nodes are read, only the model's own span and its uses' move: " + eager);
        List<Node> nodes = relocated.nodes();
        assertTrue(moved[0] > eager + ir.nodes().size(), "every node's spans moved when read: " + moved[0]);
        int once = moved[0];
        relocated.nodes();
        relocated.consumers(0);
        relocated.totalParams();
        assertEquals(once, moved[0], "moved once");
        for (int i = 0; i < nodes.size(); i++) {
            assertEquals(ir.nodes().get(i).span().start() + 1, nodes.get(i).span().start());
            assertEquals(ir.nodes().get(i).name(), nodes.get(i).name());
        }
        assertEquals(ir.totalParams(), relocated.totalParams());
        assertEquals(ir.consumers(0).size(), relocated.consumers(0).size());
    }
}
