package dev.dlx.compiler.train;

import static dev.dlx.compiler.data.Snippets.assertClean;
import static dev.dlx.compiler.data.Snippets.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.data.DatasetChecker;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.Snippets;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Program;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluateCheckerTest {

    record Result(EvaluateIR ir, Diagnostics sink) {}

    static Result evaluate(String dataset, String evaluate) {
        Diagnostics sink = new Diagnostics();
        Program p = Snippets.parse("dataset digits {\n" + dataset + "}\n" + evaluate + "\n", sink);
        DatasetIR data = DatasetChecker.check(p.all(Decl.Dataset.class).get(0), Snippets.samples(), sink);
        EvaluateIR ir = EvaluateChecker.check(p.all(Decl.Evaluate.class).get(0), TrainCheckerTest.softmaxNet(), data, sink);
        return new Result(ir, sink);
    }

    @Test
    void evaluatesADeclaredSplit() {
        Result r = evaluate(TrainCheckerTest.DIGITS, "evaluate Net on digits.test { metrics accuracy precision recall }");
        assertClean(r.sink());
        assertEquals("Net", r.ir().model());
        assertEquals("digits", r.ir().dataset());
        assertEquals("test", r.ir().split());
        assertEquals(List.of(Metric.ACCURACY, Metric.PRECISION, Metric.RECALL), r.ir().metrics());
        assertTrue(r.ir().valid());
    }

    @Test
    void withoutASplitTheWholeDatasetIsEvaluated() {
        Result r = evaluate(TrainCheckerTest.DIGITS, "evaluate Net on digits");
        assertClean(r.sink());
        assertNull(r.ir().split());
        assertEquals(List.of(), r.ir().metrics(), "without `metrics`, the training's metrics are reported");
        assertEquals(32, r.ir().batchSize());
    }

    @Test
    void theSplitMustBeDeclared() {
        String noTest = TrainCheckerTest.SOURCE + "    labels classes 10 onehot\n    split train 80%, val 20%\n";
        Result missing = evaluate(noTest, "evaluate Net on digits.test");
        Diagnostic e = only(missing.sink(), Code.UNKNOWN_NAME);
        assertEquals("test", e.span().text());
        assertTrue(e.help().contains("test 15%"), e.help());
        assertFalse(missing.ir().valid());

        Result typo = evaluate(TrainCheckerTest.DIGITS, "evaluate Net on digits.tset");
        assertEquals("did you mean `test`?", only(typo.sink(), Code.UNKNOWN_NAME).help());
    }

    @Test
    void regressionRejectsAccuracy() {
        String regression = TrainCheckerTest.SOURCE + "    labels regression\n" + TrainCheckerTest.SPLIT;
        Result r = evaluate(regression, "evaluate Net on digits.test { metrics mae }");
        assertEquals(List.of(Metric.MAE), r.ir().metrics());
        Result acc = evaluate(regression, "evaluate Net on digits.test { metrics accuracy }");
        assertEquals("accuracy", only(acc.sink(), Code.UNKNOWN_METRIC).span().text());
    }
}
