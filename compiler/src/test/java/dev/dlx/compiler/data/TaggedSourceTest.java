package dev.dlx.compiler.data;

import static dev.dlx.compiler.data.Snippets.assertNoErrors;
import static dev.dlx.compiler.data.Snippets.checkDataset;
import static dev.dlx.compiler.data.Snippets.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.shape.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `source tagged`: what the checker reads in the file (tags, the longest row, misaligned rows) and the per-step labels it builds. */
class TaggedSourceTest {
    @TempDir Path tmp;

    private DatasetIR check(String csv, String source, String labels, Diagnostics sink) throws Exception {
        Files.writeString(tmp.resolve("t.csv"), csv);
        return checkDataset("dataset d {\n    source tagged \"t.csv\" { " + source + " }\n" + (labels == null ? "" : "    " + labels + "\n") + "}\n",
            tmp, sink);
    }

    private static final String ROWS = "words,tags\nthe whale,DET NOUN\n\nhe saw the whale,PRON VERB DET NOUN\n";

    @Test
    void theSampleIsTheLongestRowAndTheClassesAreTheSortedTags() throws Exception {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = check(ROWS, "tokens 0, tags 1, header", null, sink);
        assertNoErrors(sink);
        TaggedSource s = assertInstanceOf(TaggedSource.class, d.source());
        assertEquals(Shape.of(4), d.featureShape());
        assertEquals(List.of("DET", "NOUN", "PRON", "VERB"), s.tags());
        assertEquals(LabelSpec.Encoding.SPARSE, d.labels().encoding());
        assertEquals(4, d.labels().classes());
        assertEquals(List.of("DET", "NOUN", "PRON", "VERB"), d.labels().names());
        assertEquals(Shape.of(4), d.labels().shape(), "a class at each of the 4 steps");
        assertEquals(10000, d.vocabulary().getAsInt());
    }

    @Test
    void aGivenLengthAndNamesInClassOrderWin() throws Exception {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = check(ROWS, "tokens 0, tags 1, header, length 6, vocab 12", "labels classes 5 sparse names \"VERB\" \"NOUN\" \"PRON\" \"DET\" \"ADJ\"", sink);
        assertNoErrors(sink);
        assertEquals(Shape.of(6), d.featureShape());
        assertEquals(Shape.of(6), d.labels().shape());
        assertEquals(List.of("VERB", "NOUN", "PRON", "DET", "ADJ"), d.labels().names());
        assertEquals(12, d.vocabulary().getAsInt());
    }

    @Test
    void aRowWithMoreTokensThanTagsIsAnErrorAtItsLine() throws Exception {
        Diagnostics sink = new Diagnostics();
        check("words,tags\nthe whale,DET NOUN\nhe saw,PRON\n", "tokens 0, tags 1, header", null, sink);
        Diagnostic e = only(sink, Code.DATA_FILE);
        assertEquals("`t.csv`: line 3 has 2 tokens but 1 tag", e.message());
        assertTrue(e.notes().contains("at t.csv:3:8"), e.notes().toString());
    }

    @Test
    void classesMustBeTheFileTagsUnlessNamed() throws Exception {
        Diagnostics sink = new Diagnostics();
        check(ROWS, "tokens 0, tags 1, header", "labels classes 3 sparse", sink);
        assertTrue(only(sink, Code.DATA_FILE).message().contains("declares 3 classes, but the tags of `t.csv` are 4: `DET`, `NOUN`, `PRON` and `VERB`"));

        Diagnostics named = new Diagnostics();
        check(ROWS, "tokens 0, tags 1, header", "labels classes 3 sparse names \"DET\" \"NOUN\" \"VERB\"", named);
        assertTrue(only(named, Code.DATA_FILE).message().contains("include `PRON`, which `names` does not list"));

        Diagnostics onehot = new Diagnostics();
        check(ROWS, "tokens 0, tags 1, header", "labels classes 4 onehot", onehot);
        assertTrue(only(onehot, Code.LOSS_LABEL_MISMATCH).message().contains("but `labels` asks for onehot"));
    }

    @Test
    void theTokensAndTagsNeedColumnsOfTheirOwn() throws Exception {
        Diagnostics sink = new Diagnostics();
        check(ROWS, "tokens 1, tags 1, header", null, sink);
        assertEquals("the tokens and the tags are both column 1", only(sink, Code.OUT_OF_RANGE).message());

        Diagnostics shortLine = new Diagnostics();
        check("a b,B I\nc\n", "tokens 0, tags 1", null, shortLine);
        assertTrue(only(shortLine, Code.DATA_FILE).message().contains("line 2 has 1 field, but the tags are in column 1"));
    }

    @Test
    void aTaggerChecksBeforeItsFileIsMadeWithAWarningOnly() {
        dev.dlx.compiler.Compilation c = new dev.dlx.compiler.Compiler().compile(tmp.resolve("t.dlx"), """
            dataset d {
                source tagged "none.csv" { tokens 0, tags 1, length 12, vocab 50 }
                split train 80%, val 20%
            }
            model M(x [12]) -> [12, 3] {
                embedding 50 4 -> lstm 4 return_sequences -> dense 3 -> softmax
            }
            train M on d {
                loss sparse_categorical_crossentropy
                optimizer adam
            }
            """);
        assertTrue(c.ok(), () -> c.diagnostics().sorted().toString());
        assertEquals(List.of(Code.DATA_FILE), c.diagnostics().sorted().stream().map(Diagnostic::code).toList(), "the file is not there yet");
    }

    @Test
    void aMissingFileLeavesTheShapeToTheLength() throws Exception {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset d {\n    source tagged \"none.csv\" { tokens 0, tags 1, length 30 }\n}\n", tmp, sink);
        assertNoErrors(sink);
        assertEquals(Shape.of(30), d.featureShape());
    }
}
