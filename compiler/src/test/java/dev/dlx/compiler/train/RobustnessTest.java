package dev.dlx.compiler.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dlx.compiler.data.DatasetChecker;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.Snippets;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Parser;
import dev.dlx.compiler.syntax.Program;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input never crashes the training and evaluation checkers. */
class RobustnessTest {

    static final List<String> ARGS = new ArrayList<>(Snippets.ODD_ARGS);

    static {
        ARGS.addAll(List.of("adam", "sgd lr", "l2", "elastic_net 1 on", "until", "until dense_1 x", "val_loss", "value", "step every",
            "plateau monitor", "constant", "normal std 0", "accuracy accuracy", "perplexity"));
    }

    @Test
    void everyStatementWithOddArguments() {
        ModelIR model = TestModel.classifier(TrainCheckerTest.IMAGE, 10, "softmax");
        Diagnostics dataSink = new Diagnostics();
        DatasetIR data = DatasetChecker.check(Snippets.dataset("dataset digits {\n" + TrainCheckerTest.DIGITS + "}\n", dataSink),
            Snippets.samples(), dataSink);
        int ran = 0, total = 0;
        for (String word : TrainChecker.STATEMENTS) {
            for (String a : ARGS) {
                for (String b : List.of("", "1", "foo 0.5", "\"s\"", "val_accuracy", "on dense_1")) {
                    String text = "train Net on digits {\n    " + word + " " + a + " " + b
                        + "\n}\nevaluate Net on digits." + a.replace(" ", "") + " {\n    metrics " + b + "\n}\n";
                    total++;
                    Diagnostics sink = new Diagnostics();
                    Program p = Parser.parse(SourceFile.of("fuzz.dlx", text), sink);
                    try {
                        for (Decl.Train t : p.all(Decl.Train.class)) {
                            TrainChecker.check(t, model, data, sink);
                            TrainChecker.check(t, null, null, sink);
                            ran++;
                        }
                        for (Decl.Evaluate e : p.all(Decl.Evaluate.class)) {
                            EvaluateChecker.check(e, model, data, sink);
                            EvaluateChecker.check(e, null, null, sink);
                        }
                    } catch (RuntimeException | StackOverflowError e) {
                        fail("a checker threw on:\n" + text, e);
                    }
                }
            }
        }
        assertTrue(ran > total / 2, ran + " of " + total);
    }
}
