package dev.dlx.cli;

import static dev.dlx.cli.TrainingCommandsTest.dlxc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every word the language reference documents has an explanation, and an explanation offers only what the checker accepts. */
class ExplainWordsTest {
    private static final Path REPO = Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize();

    /**
     * The first word of each `code` span in the reference's tables: the words it documents
     * (`optimizer`, `adam`, `rotate`). Left out: formulas (`prod(K) * C`, `a + b`), file names
     * (`data.json`) and command lines (`dlxc check`), which are not words of the language.
     */
    static Set<String> documentedWords() throws Exception {
        Set<String> words = new LinkedHashSet<>();
        Pattern code = Pattern.compile("`([^`]+)`");
        Pattern word = Pattern.compile("^([a-z][a-z0-9_]*)\\b");
        for (String line : Files.readAllLines(REPO.resolve("docs/language.md"))) {
            if (!line.startsWith("|")) continue;
            Matcher m = code.matcher(line);
            while (m.find()) {
                String span = m.group(1);
                Matcher w = word.matcher(span);
                if (!w.find() || span.contains("*") || span.matches(".* [-+/] .*") || span.startsWith("dlxc ")) continue;
                if (span.length() > w.end() && span.charAt(w.end()) == '.' && span.length() > w.end() + 1
                    && Character.isLetter(span.charAt(w.end() + 1))) continue;
                words.add(w.group(1));
            }
        }
        return words;
    }

    @Test
    void everyDocumentedWordExplains() throws Exception {
        Set<String> words = documentedWords();
        assertTrue(words.containsAll(List.of("adam", "cosine", "rotate", "l2", "kfold", "huber", "conv")), words.toString());
        List<String> missing = new ArrayList<>();
        for (String w : words) {
            if (ExplainCommand.explanation(w).isEmpty()) missing.add(w);
        }
        assertEquals(List.of(), missing, "documented in docs/language.md but `dlxc explain` has nothing to say");
    }

    /** The other direction: every word the catalog holds (layer kinds, statements, their variants) is in the reference. */
    @Test
    void everyCatalogWordIsDocumented() throws Exception {
        String reference = Files.readString(REPO.resolve("docs/language.md"));
        List<String> missing = new ArrayList<>();
        for (dev.dlx.compiler.layers.LayerKind<?> k : dev.dlx.compiler.catalog.Catalog.layers()) {
            if (!reference.contains("`" + k.name())) missing.add("layer " + k.name());
        }
        for (dev.dlx.compiler.catalog.Catalog.Block b : dev.dlx.compiler.catalog.Catalog.Block.values()) {
            for (dev.dlx.compiler.catalog.Catalog.Statement st : dev.dlx.compiler.catalog.Catalog.statements(b).values()) {
                if (!reference.contains("`" + st.word())) missing.add(b + " statement " + st.word());
                if (st.variants() == null) continue;
                for (String v : st.variants().names()) {
                    if (!reference.contains(v)) missing.add(b + " " + st.word() + " " + v);
                }
            }
        }
        assertEquals(List.of(), missing, "in the catalog (what the checker accepts) but not in docs/language.md");
    }

    @Test
    void wordsExplainWhatTheyAre() {
        assertEquals(0, dlxc("explain", "cosine").code());
        TrainingCommandsTest.Run adam = dlxc("explain", "adam");
        assertTrue(adam.out().contains("optimizer adam") && adam.out().contains("beta1"), adam.out());
        TrainingCommandsTest.Run kfold = dlxc("explain", "kfold");
        assertTrue(kfold.out().contains("dataset statement"), kfold.out());
        TrainingCommandsTest.Run huber = dlxc("explain", "huber");
        assertTrue(huber.out().contains("loss huber"), huber.out());
    }

    @Test
    void explainListsOnlyAttributesTheCheckerAccepts(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertFalse(dlxc("explain", "lstm").out().contains("reset_after"));
        assertTrue(dlxc("explain", "gru").out().contains("reset_after"));
        Path lstm = dir.resolve("lstm.dlx");
        Files.writeString(lstm, "model M(x [5, 3]) {\n    lstm 4 reset_after\n}\n");
        TrainingCommandsTest.Run r = dlxc("check", lstm.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("reset_after"), r.toString());
    }
}
