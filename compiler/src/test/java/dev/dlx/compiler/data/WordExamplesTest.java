package dev.dlx.compiler.data;

import static dev.dlx.compiler.data.Snippets.assertNoErrors;
import static dev.dlx.compiler.data.Snippets.checkDataset;
import static dev.dlx.compiler.data.Snippets.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.shape.Shape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordExamplesTest {
    @TempDir Path tmp;

    private DatasetIR check(String source, Diagnostics sink) {
        return checkDataset("dataset moby {\n    source text \"missing.txt\" " + source + "\n}\n", tmp, sink);
    }

    @Test
    void skipGramFeedsContextTargetAndNegatives() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = check("vocab 1000 examples skipgram window 4 negatives 7 subsample 1e-4 seed 3", sink);
        assertNoErrors(sink);
        WordExamples e = assertInstanceOf(TextSource.class, d.source()).examples();
        assertEquals(WordExamples.Kind.SKIPGRAM, e.kind());
        assertEquals(4, e.window());
        assertEquals(1e-4, e.subsample(), 1e-12);
        assertEquals(3, e.seed().getAsInt());
        assertEquals(List.of("context", "target", "negatives"), d.features().stream().map(FeatureIR::name).toList());
        assertEquals(List.of(Shape.of(1), Shape.of(1), Shape.of(7)), d.features().stream().map(FeatureIR::shape).toList());
        assertTrue(d.namedLabels().isEmpty(), "no labels: the loss reads the embeddings alone");
        assertTrue(d.multiTensor());
    }

    @Test
    void cbowContextIsBothSidesAndCooccurrenceCarriesTheCount() {
        Diagnostics sink = new Diagnostics();
        DatasetIR cbow = check("vocab 1000 examples cbow window 3", sink);
        assertNoErrors(sink);
        assertEquals(List.of(Shape.of(6), Shape.of(1), Shape.of(WordExamples.DEFAULT_NEGATIVES)),
            cbow.features().stream().map(FeatureIR::shape).toList());
        assertEquals(WordExamples.DEFAULT_SUBSAMPLE, ((TextSource) cbow.source()).examples().subsample(), 1e-12);

        DatasetIR glove = check("vocab 1000 examples cooccurrence window 10", sink);
        assertNoErrors(sink);
        assertEquals(List.of("target", "context", "count"), glove.features().stream().map(FeatureIR::name).toList());
        WordExamples g = ((TextSource) glove.source()).examples();
        assertFalse(g.redrawn(), "counts are fixed");
        assertEquals(0, g.subsample(), 0);
    }

    @Test
    void windowAttributesOfALanguageModelDoNotGoWithExamples() {
        Diagnostics sink = new Diagnostics();
        check("vocab 1000 examples skipgram window 5 stride 2", sink);
        Diagnostic e = only(sink, Code.OUT_OF_RANGE);
        assertEquals("2", e.span().text(), "at `stride`'s value");
        assertTrue(e.message().contains("`examples skipgram`"), e.message());

        Diagnostics glove = new Diagnostics();
        check("vocab 1000 examples cooccurrence negatives 5", glove);
        assertTrue(only(glove, Code.OUT_OF_RANGE).message().contains("`negatives`"));

        Diagnostics bare = new Diagnostics();
        check("vocab 1000 window 5 negatives 5", bare);
        Diagnostic n = only(bare, Code.MISSING_ARGUMENT);
        assertEquals("`negatives` needs `examples`", n.message());
    }

    @Test
    void examplesAreNotSplit() {
        Diagnostics sink = new Diagnostics();
        checkDataset("dataset moby {\n    source text \"missing.txt\" examples skipgram\n    split train 90%, val 10%\n}\n", tmp, sink);
        Diagnostic e = only(sink, Code.SAMPLING);
        assertTrue(e.message().contains("not split"), e.message());
        assertTrue(e.help().contains("dlxc embed"), e.help());
    }
}
