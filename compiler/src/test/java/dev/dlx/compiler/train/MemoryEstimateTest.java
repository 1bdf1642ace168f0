package dev.dlx.compiler.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.data.Snippets;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Severity;
import dev.dlx.compiler.resolve.SourceProvider;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MemoryEstimateTest {
    static final String DIGITS = "dataset digits {\n"
        + "    source csv \"data/digits.csv.gz\" { features 0..63, label 64 }\n"
        + "    labels classes 10 onehot\n"
        + "    split train 80%, val 20%\n"
        + "}\n\n";

    /** 64 -> dense 32 -> relu -> dense 10 -> softmax: 64*32+32 = 2,080 and 32*10+10 = 330, 2,410 parameters. */
    static final String MLP = "model Mlp(x [64]) -> [10] {\n    dense 32 -> relu\n    dense 10 -> softmax\n}\n\n";

    static Compilation compile(String text, OptionalLong machine) {
        Compiler compiler = new Compiler(SourceProvider.DISK, Snippets.samples(), machine);
        return compiler.compile(Snippets.samples().resolve("memory.dlx"), text);
    }

    static String train(String body) {
        return "train Mlp on digits {\n    loss categorical_crossentropy\n" + body + "}\n";
    }

    static MemoryEstimate estimate(Compilation c) {
        assertFalse(c.diagnostics().hasErrors(), () -> c.diagnostics().sorted().toString());
        TrainIR t = c.trainings().get(0);
        return MemoryEstimate.of(c.models().get(t.model()), t).orElseThrow();
    }

    static List<Diagnostic> memoryWarnings(Compilation c) {
        return c.diagnostics().sorted().stream().filter(d -> d.code() == Code.MEMORY_EXCEEDS_MACHINE).toList();
    }

    @Test
    void anMlpWithAdamAtBatch32() {
        MemoryEstimate e = estimate(compile(DIGITS + MLP + train("    optimizer adam\n    batch 32\n"), OptionalLong.empty()));
        assertEquals(2_410 * 4, e.weights());
        assertEquals(2_410 * 4, e.gradients());
        assertEquals(2 * 2_410 * 4, e.optimizerState());
        // per sample: x 64, dense_1 32, relu_1 32, dense_2 10, softmax_1 10 = 148 values
        assertEquals(148 * 32 * 4, e.activations());
        assertEquals(9_640 + 9_640 + 19_280 + 18_944, e.total());
        assertEquals(32, e.batch());
        assertTrue(e.complete());
        assertEquals("weights 9.4 KiB + gradients 9.4 KiB + adam state 18.8 KiB + activations of a batch of 32 18.5 KiB", e.parts());
    }

    @Test
    void eachOptimizerKeepsItsNumberOfSlots() {
        String[][] cases = {{"sgd", "0"}, {"momentum", "1"}, {"rmsprop", "1"}, {"adagrad", "1"}, {"adam", "2"}, {"adadelta", "2"}};
        for (String[] c : cases) {
            MemoryEstimate e = estimate(compile(DIGITS + MLP + train("    optimizer " + c[0] + "\n"), OptionalLong.empty()));
            assertEquals(Long.parseLong(c[1]) * 2_410 * 4, e.optimizerState(), c[0]);
            assertEquals(2_410 * 4, e.gradients(), c[0]);
        }
    }

    @Test
    void theBatchScalesOnlyTheActivations() {
        MemoryEstimate e = estimate(compile(DIGITS + MLP + train("    optimizer sgd\n    batch 256\n"), OptionalLong.empty()));
        assertEquals(148L * 256 * 4, e.activations());
        assertEquals(2_410 * 4, e.weights());
        assertEquals(0, e.optimizerState());
    }

    @Test
    void frozenWeightsAreHeldButGetNoGradientNorState() {
        // dense_1's 2,080 weights are frozen: only dense_2's 330 train
        MemoryEstimate e = estimate(compile(DIGITS + MLP + train("    optimizer adam\n    freeze dense_1\n"), OptionalLong.empty()));
        assertEquals(2_410 * 4, e.weights());
        assertEquals(330 * 4, e.gradients());
        assertEquals(2 * 330 * 4, e.optimizerState());
    }

    @Test
    void tensorsOfUnknownLengthAreLeftOutAndCounted() {
        String text = "dataset digits {\n    source csv \"data/digits.csv.gz\" { features 0..63, label 64 }\n"
            + "    features reshape [8, 8]\n    labels classes 10 onehot\n    split train 80%, val 20%\n}\n\n"
            + "model Seq(x [?, 8]) -> [10] {\n    lstm 4\n    dense 10 -> softmax\n}\n\n"
            + "train Seq on digits {\n    loss categorical_crossentropy\n    optimizer sgd\n}\n";
        Compilation c = compile(text, OptionalLong.empty());
        TrainIR t = c.trainings().get(0);
        MemoryEstimate e = MemoryEstimate.of(c.models().get("Seq"), t).orElseThrow();
        // x is [?, 8]: not counted; lstm 4, dense 10 and softmax 10 are
        assertEquals(1, e.unsized(), c.models().get("Seq").nodes().toString());
        assertEquals((4 + 10 + 10) * 32 * 4, e.activations());
        assertTrue(e.parts().endsWith("(1 tensor of unknown size not counted)"), e.parts());
    }

    @Test
    void noEstimateWithoutAnOptimizer() {
        Compilation c = compile(DIGITS + MLP + "train Mlp on digits {\n    loss categorical_crossentropy\n}\n", OptionalLong.of(1));
        TrainIR t = c.trainings().get(0);
        assertTrue(MemoryEstimate.of(c.models().get("Mlp"), t).isEmpty());
        assertEquals(List.of(), memoryWarnings(c));
    }

    @Test
    void warnsOnlyAboveTheMachinesMemory() {
        String text = DIGITS + MLP + train("    optimizer adam\n    batch 32\n");
        long total = 57_504;
        assertEquals(List.of(), memoryWarnings(compile(text, OptionalLong.of(total))));
        assertEquals(List.of(), memoryWarnings(compile(text, OptionalLong.empty())));
        List<Diagnostic> w = memoryWarnings(compile(text, OptionalLong.of(total - 1)));
        assertEquals(1, w.size());
        Diagnostic d = w.get(0);
        assertEquals(Severity.WARNING, d.severity());
        assertEquals("train Mlp on digits", d.span().text());
        assertEquals("training `Mlp` needs about 56.2 KiB, more than the 56.2 KiB of memory of this machine", d.message());
    }

    @Test
    void sixBillionParametersAreCountedWithoutOverflowAndWarned() {
        // x [4] -> dense 44,721 (4*44,721 + 44,721 = 223,605) -> 3 x dense 44,721 (44,721^2 + 44,721 = 2,000,012,562 each)
        // -> dense 10 (447,220): 6,000,708,511 parameters
        String text = "dataset rows {\n    source csv \"data/digits.csv.gz\" { features 0..3, label 64 }\n"
            + "    labels classes 10 onehot\n    split train 80%, val 20%\n}\n\n"
            + "model Huge(x [4]) -> [10] {\n    dense 44721\n    dense 44721\n    dense 44721\n    dense 44721\n    dense 10 -> softmax\n}\n\n"
            + "train Huge on rows {\n    loss categorical_crossentropy\n    optimizer adam\n}\n";
        Compilation c = compile(text, OptionalLong.of(16L << 30));
        assertEquals(6_000_708_511L, c.models().get("Huge").totalParams());
        MemoryEstimate e = MemoryEstimate.of(c.models().get("Huge"), c.trainings().get(0)).orElseThrow();
        assertEquals(24_002_834_044L, e.weights());
        assertEquals(24_002_834_044L, e.gradients());
        assertEquals(48_005_668_088L, e.optimizerState());
        assertEquals(22_900_224L, e.activations()); // (4 + 4*44,721 + 10 + 10) * 32 * 4
        assertEquals(96_034_236_400L, e.total());
        List<Diagnostic> w = memoryWarnings(c);
        assertEquals(1, w.size(), c.diagnostics().sorted().toString());
        assertEquals("training `Huge` needs about 89.4 GiB, more than the 16.0 GiB of memory of this machine", w.get(0).message());
    }
}
