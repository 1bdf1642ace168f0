package dev.dlx.compiler.train;

import static dev.dlx.compiler.data.Snippets.assertClean;
import static dev.dlx.compiler.data.Snippets.only;
import static dev.dlx.compiler.data.Snippets.withCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.data.DatasetChecker;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.Snippets;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Severity;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Program;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainCheckerTest {

    static final String SOURCE = "    source csv \"data/digits.csv.gz\" { features 0..63, label 64 }\n";
    static final String SPLIT = "    split train 70%, val 15%, test 15% seed 42\n";
    static final String DIGITS = SOURCE + "    features reshape [8, 8, 1] scale 1/16\n    labels classes 10 onehot\n" + SPLIT;
    static final String BASICS = "    loss categorical_crossentropy\n    optimizer adam\n";

    static final long[] IMAGE = {8, 8, 1};

    record Result(TrainIR ir, DatasetIR data, Diagnostics sink) {}

    static Result train(String dataset, String train, ModelIR model) {
        Diagnostics sink = new Diagnostics();
        Program p = Snippets.parse("dataset digits {\n" + dataset + "}\n\ntrain Net on digits {\n" + train + "}\n", sink);
        DatasetIR data = DatasetChecker.check(p.all(Decl.Dataset.class).get(0), Snippets.samples(), sink);
        TrainIR ir = TrainChecker.check(p.all(Decl.Train.class).get(0), model, data, sink);
        return new Result(ir, data, sink);
    }

    static ModelIR softmaxNet() { return TestModel.classifier(IMAGE, 10, "softmax"); }

    @Test
    void aCompleteTrainingBlock() {
        Result r = train(DIGITS, BASICS.replace("optimizer adam", "optimizer adam lr 1e-3 beta2 0.99")
            + "    init he seed 7\n"
            + "    regularize l2 1e-4\n"
            + "    regularize elastic_net 1e-5 alpha 0.3 on dense_1\n"
            + "    schedule plateau factor 0.5 patience 3\n"
            + "    epochs 40\n"
            + "    early_stop on val_accuracy patience 5 restore_best\n"
            + "    clip norm 1.0\n"
            + "    metrics accuracy f1\n"
            + "    freeze flatten_1\n"
            + "    load \"runs/base/weights\"\n"
            + "    seed 3\n", softmaxNet());
        assertClean(r.sink());
        TrainIR ir = r.ir();
        assertTrue(ir.valid());
        assertEquals("Net", ir.model());
        assertEquals("digits", ir.dataset());
        assertEquals(Loss.CATEGORICAL_CROSSENTROPY, ir.loss().loss());
        Optimizer.Adam adam = assertInstanceOf(Optimizer.Adam.class, ir.optimizer());
        assertEquals(1e-3, adam.lr());
        assertEquals(0.9, adam.beta1());
        assertEquals(0.99, adam.beta2());
        assertEquals(1e-7, adam.epsilon());
        assertEquals(Init.Kind.HE_NORMAL, ir.init().kind());
        assertEquals(7, ir.init().seed().getAsInt());
        assertEquals(2, ir.regularizers().size());
        assertEquals(List.of(), ir.regularizers().get(0).layers());
        assertEquals(Regularizer.Kind.ELASTIC_NET, ir.regularizers().get(1).kind());
        assertEquals(0.3, ir.regularizers().get(1).alpha());
        assertEquals(List.of("dense_1"), ir.regularizers().get(1).layers());
        Schedule.Plateau plateau = assertInstanceOf(Schedule.Plateau.class, ir.schedule());
        assertEquals("val_loss", plateau.monitor());
        assertEquals(0.0, plateau.minLr());
        assertEquals(40, ir.epochs());
        assertEquals(32, ir.batchSize(), "the dataset's batch size");
        assertEquals("val_accuracy", ir.earlyStop().monitor());
        assertEquals(EarlyStop.Mode.MAX, ir.earlyStop().mode());
        assertTrue(ir.earlyStop().restoreBest());
        assertEquals(new Clip(Clip.Kind.NORM, 1.0, ir.clip().span()), ir.clip());
        assertEquals(List.of(Metric.ACCURACY, Metric.F1), ir.metrics());
        assertEquals(List.of("flatten_1"), ir.frozen());
        assertEquals(java.nio.file.Path.of("runs/base/weights"), ir.load());
        assertEquals(3, ir.seed().getAsInt());
        assertEquals("epochs 40", ir.statementSpans().get("epochs").text());
    }

    @Test
    void defaultsFollowKeras() {
        Result r = train(DIGITS, "    loss categorical_crossentropy\n    optimizer momentum nesterov\n", softmaxNet());
        assertClean(r.sink());
        Optimizer.Momentum m = assertInstanceOf(Optimizer.Momentum.class, r.ir().optimizer());
        assertEquals(0.01, m.lr());
        assertEquals(0.9, m.beta());
        assertTrue(m.nesterov());
        assertEquals(Init.Kind.GLOROT_UNIFORM, r.ir().init().kind());
        assertEquals(TrainIR.DEFAULT_EPOCHS, r.ir().epochs());
        assertEquals(List.of(Metric.ACCURACY), r.ir().metrics());
        assertNull(r.ir().earlyStop());

        record Case(String line, Optimizer expected) {}
        for (Case c : List.of(
                new Case("sgd", new Optimizer.Sgd(0.01, null)),
                new Case("rmsprop", new Optimizer.RmsProp(0.001, 0.9, 1e-7, null)),
                new Case("adagrad", new Optimizer.Adagrad(0.01, 0.1, 1e-7, null)),
                new Case("adadelta", new Optimizer.Adadelta(1.0, 0.95, 1e-7, null)))) {
            Result o = train(DIGITS, "    loss categorical_crossentropy\n    optimizer " + c.line() + "\n", softmaxNet());
            assertClean(o.sink());
            Optimizer got = o.ir().optimizer();
            assertEquals(c.expected().kind(), got.kind());
            assertEquals(c.expected().lr(), got.lr(), c.line());
            assertEquals(c.expected(), withoutSpan(got), c.line());
        }
    }

    private static Optimizer withoutSpan(Optimizer o) {
        if (o instanceof Optimizer.Sgd s) return new Optimizer.Sgd(s.lr(), null);
        if (o instanceof Optimizer.RmsProp r) return new Optimizer.RmsProp(r.lr(), r.rho(), r.epsilon(), null);
        if (o instanceof Optimizer.Adagrad a) return new Optimizer.Adagrad(a.lr(), a.initial(), a.epsilon(), null);
        if (o instanceof Optimizer.Adadelta a) return new Optimizer.Adadelta(a.lr(), a.rho(), a.epsilon(), null);
        return o;
    }

    @Test
    void missingLossAndOptimizerAreReportedWithAnExample() {
        Result r = train(DIGITS, "    epochs 5\n", softmaxNet());
        List<Diagnostic> missing = withCode(r.sink(), Code.MISSING_DIRECTIVE);
        assertEquals(2, missing.size());
        assertTrue(missing.stream().allMatch(d -> d.span().text().equals("train Net on digits")));
        assertTrue(missing.stream().anyMatch(d -> d.help().contains("`loss categorical_crossentropy`")));
        assertTrue(missing.stream().anyMatch(d -> d.help().contains("`optimizer adam lr 1e-3`")));
        assertFalse(r.ir().valid());
    }

    @Test
    void optimizerMistakes() {
        Result unknown = train(DIGITS, "    loss categorical_crossentropy\n    optimizer adamm\n", softmaxNet());
        Diagnostic e = only(unknown.sink(), Code.INVALID_CHOICE);
        assertEquals("adamm", e.span().text());
        assertEquals("did you mean `adam`?", e.help());

        Result range = train(DIGITS, "    loss categorical_crossentropy\n    optimizer adam beta1 1.0 lr 0\n", softmaxNet());
        assertEquals(List.of("1.0", "0"), withCode(range.sink(), Code.OUT_OF_RANGE).stream().map(d -> d.span().text()).toList());

        Result attr = train(DIGITS, "    loss categorical_crossentropy\n    optimizer sgd beta 0.9\n", softmaxNet());
        assertTrue(withCode(attr.sink(), Code.UNKNOWN_ATTRIBUTE).size() + withCode(attr.sink(), Code.TOO_MANY_ARGUMENTS).size() >= 1);

        Result statement = train(DIGITS, BASICS + "    epoch 5\n", softmaxNet());
        assertEquals("did you mean `epochs`?", only(statement.sink(), Code.UNKNOWN_DIRECTIVE).help());
    }

    @Test
    void modelInputMustMatchTheSamples() {
        ModelIR flat = TestModel.classifier(IMAGE, 10, "softmax");
        Result r = train(SOURCE + "    labels classes 10 onehot\n" + SPLIT, BASICS, flat);
        Diagnostic e = only(r.sink(), Code.DATA_MODEL_MISMATCH);
        assertEquals("digits", e.span().text());
        assertEquals("train Net on digits {", e.span().file().lineText(e.span().line()), "at the dataset's name in the train block");
        assertTrue(e.message().contains("[8, 8, 1]") && e.message().contains("[64]"), e.message());
        assertEquals("add `features reshape [8, 8, 1]` to the dataset", e.help());
        assertTrue(e.secondary().stream().anyMatch(l -> l.span().text().startsWith("source csv")),
            "the statement that fixed the data's shape is labelled");

        ModelIR mnist = TestModel.classifier(new long[] {28, 28, 1}, 10, "softmax");
        Result other = train(DIGITS, BASICS, mnist);
        Diagnostic e2 = only(other.sink(), Code.DATA_MODEL_MISMATCH);
        assertEquals("add `resize 28x28` to the dataset's `features` steps", e2.help());
        assertTrue(e2.secondary().stream().anyMatch(l -> l.span().text().equals("reshape [8, 8, 1]")));
    }

    @Test
    void embeddingsMustCoverTheVocabulary() {
        ModelIR lm = TestModel.named("Net").input(100)
            .layer("embedding 50 16", Shape.of(100, 16), Map.of("vocab", 50, "dim", 16))
            .layer("flatten", Shape.of(1600))
            .layer("dense 80", Shape.of(80))
            .layer("softmax", Shape.of(80))
            .build();
        Result r = train("    source text \"missing.txt\" tokens char vocab 80 window 100\n    split train 90%, val 10%\n",
            "    loss sparse_categorical_crossentropy\n    optimizer adam\n    metrics perplexity\n", lm);
        Diagnostic e = only(r.sink(), Code.DATA_MODEL_MISMATCH);
        assertTrue(e.message().contains("50 token ids") && e.message().contains("80"), e.message());
        assertTrue(e.help().contains("embedding 80"), e.help());
        assertEquals(List.of(Metric.PERPLEXITY), r.ir().metrics());
    }

    @Test
    void lossMustFitTheLabelEncoding() {
        record Case(String labels, String loss, String helpPart) {}
        for (Case c : List.of(
                new Case("classes 10 sparse", "categorical_crossentropy", "use `loss sparse_categorical_crossentropy`, or `labels classes 10 onehot`"),
                new Case("classes 10 onehot", "sparse_categorical_crossentropy", "use `loss categorical_crossentropy`, or `labels classes 10 sparse`"),
                new Case("classes 10 onehot", "binary_crossentropy", "use `loss categorical_crossentropy` for 10 classes"),
                new Case("classes 10 onehot", "mse", "use a classification loss such as `loss categorical_crossentropy`"),
                new Case("regression", "categorical_crossentropy", "use a regression loss such as `loss mse`"),
                new Case("binary", "sparse_categorical_crossentropy", "use `loss binary_crossentropy`"))) {
            String data = SOURCE + "    features reshape [8, 8, 1]\n    labels " + c.labels() + "\n" + SPLIT;
            Result r = train(data, "    loss " + c.loss() + "\n    optimizer adam\n", TestModel.classifier(IMAGE, 10, null));
            Diagnostic e = only(r.sink(), Code.LOSS_LABEL_MISMATCH);
            assertEquals(c.loss(), e.span().text(), c.toString());
            assertTrue(e.help().contains(c.helpPart()), c + ": " + e.help());
            assertTrue(e.secondary().stream().anyMatch(l -> l.span().text().startsWith("labels")), c.toString());
            assertTrue(withCode(r.sink(), Code.LABEL_OUTPUT_MISMATCH).isEmpty(), "no follow-on error about the output");
        }
    }

    @Test
    void binaryCrossEntropyTakesTwoSparseClasses() {
        String data = SOURCE + "    features reshape [8, 8, 1]\n    labels classes 2 sparse\n" + SPLIT;
        Result r = train(data, "    loss binary_crossentropy\n    optimizer adam\n", TestModel.classifier(IMAGE, 1, "sigmoid"));
        // the loss and the output fit two sparse classes; only the digits' labels 2 to 9 are refused, by the data check
        assertEquals(List.of(Code.DATA_FILE), r.sink().sorted().stream().map(Diagnostic::code).toList(), Snippets.render(r.sink()));
    }

    @Test
    void labelsWithoutEncodingAreReported() {
        Result r = train(SOURCE + "    features reshape [8, 8, 1]\n" + SPLIT, BASICS, softmaxNet());
        Diagnostic e = only(r.sink(), Code.LOSS_LABEL_MISMATCH);
        assertTrue(e.message().contains("does not say how its labels are encoded"), e.message());
        assertTrue(e.help().contains("labels classes N onehot"), e.help());
    }

    @Test
    void outputMustMatchTheLabels() {
        Result r = train(DIGITS, BASICS, TestModel.classifier(IMAGE, 3, "softmax"));
        Diagnostic e = only(r.sink(), Code.LABEL_OUTPUT_MISMATCH);
        assertEquals("dense 3", e.span().text(), "at the layer that sets the width, not the activation after it");
        assertEquals("end the model with `dense 10 -> softmax`", e.help());
        assertTrue(e.secondary().stream().anyMatch(l -> l.span().text().equals("labels classes 10 onehot")));

        String binary = SOURCE + "    features reshape [8, 8, 1]\n    labels binary\n" + SPLIT;
        Result b = train(binary, "    loss binary_crossentropy\n    optimizer adam\n", TestModel.classifier(IMAGE, 2, "sigmoid"));
        assertEquals("end the model with `dense 1 -> sigmoid`", only(b.sink(), Code.LABEL_OUTPUT_MISMATCH).help());

        String regression = SOURCE + "    features reshape [8, 8, 1]\n    labels regression\n" + SPLIT;
        Result ok = train(regression, "    loss mse\n    optimizer adam\n", TestModel.classifier(IMAGE, 1, null));
        assertClean(ok.sink());
        assertEquals(List.of(Metric.MAE), ok.ir().metrics(), "regression reports mae by default");

        ModelIR unflattened = TestModel.named("Net").input(IMAGE).layer("dense 10", Shape.of(8, 8, 10)).build();
        Result flat = train(DIGITS, BASICS, unflattened);
        assertTrue(only(flat.sink(), Code.LABEL_OUTPUT_MISMATCH).help().contains("flatten"));
    }

    @Test
    void lastLayerLints() {
        String binary = SOURCE + "    features reshape [8, 8, 1]\n    labels binary\n" + SPLIT;
        Result softmax = train(binary, "    loss binary_crossentropy\n    optimizer adam\n", TestModel.classifier(IMAGE, 1, "softmax"));
        Diagnostic w = only(softmax.sink(), Code.LINT_SOFTMAX_BINARY);
        assertEquals(Severity.WARNING, w.severity());
        assertEquals("softmax", w.span().text());

        Result sigmoid = train(DIGITS, BASICS, TestModel.classifier(IMAGE, 10, "sigmoid"));
        assertEquals("sigmoid", only(sigmoid.sink(), Code.LINT_SIGMOID_MULTICLASS).span().text());
        assertFalse(sigmoid.sink().hasErrors());

        String regression = SOURCE + "    features reshape [8, 8, 1]\n    labels regression\n" + SPLIT;
        Result relu = train(regression, "    loss mse\n    optimizer adam\n", TestModel.classifier(IMAGE, 1, "relu"));
        Diagnostic r = only(relu.sink(), Code.LINT_REGRESSION_ACTIVATION);
        assertEquals("remove the activation: a regression head is linear", r.help());
        Result linear = train(regression, "    loss huber delta 2\n    optimizer adam\n", TestModel.classifier(IMAGE, 1, "linear"));
        assertClean(linear.sink());
        assertEquals(2.0, linear.ir().loss().delta());
    }

    @Test
    void trainingWithoutValidationIsLinted() {
        String noVal = SOURCE + "    features reshape [8, 8, 1]\n    labels classes 10 onehot\n";
        Result r = train(noVal, BASICS, softmaxNet());
        Diagnostic w = only(r.sink(), Code.LINT_NO_VALIDATION);
        assertEquals("digits", w.span().text());
        assertTrue(w.help().contains("split train 70%, val 15%, test 15%"), w.help());

        Result kfold = train(noVal + "    kfold 5\n", BASICS + "    early_stop on val_loss\n", softmaxNet());
        assertClean(kfold.sink());
    }

    @Test
    void largeLearningRatesAndOddBatchesAreLinted() {
        Result r = train(DIGITS, "    loss categorical_crossentropy\n    optimizer rmsprop lr 0.1\n    batch 100\n", softmaxNet());
        assertEquals("0.1", only(r.sink(), Code.LINT_LARGE_LEARNING_RATE).span().text());
        assertEquals("use `batch 128`", only(r.sink(), Code.LINT_BATCH_POW2).help());
        assertEquals(100, r.ir().batchSize(), "train's batch overrides the dataset's");

        Result sgd = train(DIGITS, "    loss categorical_crossentropy\n    optimizer sgd lr 0.1\n", softmaxNet());
        assertClean(sgd.sink());
    }

    @Test
    void monitoredMetricsMustBeComputed() {
        Result f1 = train(DIGITS, BASICS + "    early_stop on val_f1\n", softmaxNet());
        Diagnostic e = only(f1.sink(), Code.UNKNOWN_METRIC);
        assertEquals("val_f1", e.span().text());
        assertEquals("add `f1` to `metrics`", e.help());

        Result typo = train(DIGITS, BASICS + "    early_stop on val_los\n", softmaxNet());
        assertEquals("did you mean `val_loss`?", only(typo.sink(), Code.UNKNOWN_METRIC).help());

        String noVal = SOURCE + "    features reshape [8, 8, 1]\n    labels classes 10 onehot\n    split train 80%, test 20%\n";
        Result val = train(noVal, BASICS + "    early_stop on val_loss\n    schedule plateau monitor val_accuracy\n", softmaxNet());
        List<Diagnostic> noValidation = withCode(val.sink(), Code.UNKNOWN_METRIC);
        assertEquals(List.of("val_loss", "val_accuracy"), noValidation.stream().map(d -> d.span().text()).toList());
        assertTrue(noValidation.get(0).help().contains("val 15%"));

        Result defaults = train(noVal, BASICS + "    early_stop patience 3\n", softmaxNet());
        assertEquals("loss", defaults.ir().earlyStop().monitor(), "without validation data the default watches `loss`");
        assertEquals(EarlyStop.Mode.MIN, defaults.ir().earlyStop().mode());
    }

    @Test
    void metricsAreCheckedAgainstTheTask() {
        Result unknown = train(DIGITS, BASICS + "    metrics acuracy\n", softmaxNet());
        assertEquals("did you mean `accuracy`?", only(unknown.sink(), Code.UNKNOWN_METRIC).help());

        String regression = SOURCE + "    features reshape [8, 8, 1]\n    labels regression\n" + SPLIT;
        Result acc = train(regression, "    loss mse\n    optimizer adam\n    metrics accuracy mae\n", TestModel.classifier(IMAGE, 1, null));
        assertEquals("accuracy", only(acc.sink(), Code.UNKNOWN_METRIC).span().text());
        assertEquals(List.of(Metric.MAE), acc.ir().metrics());
    }

    @Test
    void layerNamesMustExist() {
        Result r = train(DIGITS, BASICS + "    regularize l1 1e-4 on dense_2\n    freeze flaten_1\n", softmaxNet());
        List<Diagnostic> unknown = withCode(r.sink(), Code.UNKNOWN_LAYER_NAME);
        assertEquals(2, unknown.size());
        assertEquals("did you mean `dense_1`?", unknown.get(0).help());
        assertEquals("flaten_1", unknown.get(1).span().text());
        assertEquals("did you mean `flatten_1`?", unknown.get(1).help());
    }

    @Test
    void freezeUntilFreezesTheLayersUpToIt() {
        ModelIR model = TestModel.named("Net").input(IMAGE)
            .layer("conv 8 3", Shape.of(6, 6, 8))
            .layer("relu", Shape.of(6, 6, 8))
            .layer("flatten", Shape.of(288))
            .layer("dense 10", Shape.of(10))
            .layer("softmax", Shape.of(10))
            .build();
        Result r = train(DIGITS, BASICS + "    freeze until relu_1\n", model);
        assertClean(r.sink());
        assertEquals(List.of("conv_1", "relu_1"), r.ir().frozen());

        Result all = train(DIGITS, BASICS + "    freeze until softmax_1\n", model);
        assertEquals(1, withCode(all.sink(), Code.OUT_OF_RANGE).size(), "freezing everything leaves nothing to train");
    }

    @Test
    void phasesResolveTheirFrozenLayersAndSumTheirEpochs() {
        // (a phase that trains nothing, DLX0641, needs layers with weights: check/phases/nothing.dlx)
        ModelIR model = TestModel.named("Net").input(IMAGE)
            .layer("conv 8 3", Shape.of(6, 6, 8))
            .layer("relu", Shape.of(6, 6, 8))
            .layer("flatten", Shape.of(288))
            .layer("dense 10", Shape.of(10))
            .layer("softmax", Shape.of(10))
            .build();
        Result r = train(DIGITS, BASICS + "    freeze conv_1\n"
            + "    phase head { epochs 3 ; freeze until flatten_1 }\n"
            + "    phase all { epochs 2 ; unfreeze conv_1 ; optimizer sgd lr 0.01 }\n"
            + "    phase base { epochs 1 }\n", model);
        assertClean(r.sink());
        assertEquals(6, r.ir().epochs(), "the phases' epochs summed");
        List<Phase> phases = r.ir().phases();
        assertEquals(List.of("head", "all", "base"), phases.stream().map(Phase::name).toList());
        assertEquals(List.of("conv_1", "relu_1", "flatten_1"), phases.get(0).frozen());
        assertEquals(List.of(), phases.get(1).frozen(), "unfreeze takes conv_1 back from the block's freeze");
        assertEquals(List.of("conv_1"), phases.get(2).frozen(), "the block's freeze, nothing carried from the phase before");
        assertInstanceOf(Optimizer.Adam.class, phases.get(0).optimizer(), "the block's optimizer by default");
        assertEquals(0.01, assertInstanceOf(Optimizer.Sgd.class, phases.get(1).optimizer()).lr());
        assertEquals(List.of("conv_1", "relu_1", "flatten_1"), r.ir().phase(phases.get(0)).frozen());
        assertEquals(2, r.ir().phase(phases.get(1)).epochs());
    }

    @Test
    void missingModelOrDataSkipsThePairings() {
        Diagnostics sink = new Diagnostics();
        Program p = Snippets.parse("train Net on digits {\n" + BASICS + "    early_stop on val_loss\n}\n", sink);
        TrainIR ir = TrainChecker.check(p.all(Decl.Train.class).get(0), null, null, sink);
        assertClean(sink);
        assertTrue(ir.valid());
        assertEquals("Net", ir.model());
        assertEquals("digits", ir.dataset());
    }

    @Test
    void perStepLabelsNeedAnOutputPerStep() {
        String text = "    source text \"missing.txt\" tokens char vocab 64 window 40 targets all\n    split train 90%, val 10%\n";
        String basics = "    loss sparse_categorical_crossentropy\n    optimizer adam\n";
        ModelIR lastStep = TestModel.named("Net").input(40)
            .layer("embedding 64 16", Shape.of(40, 16), Map.of("vocab", 64, "dim", 16))
            .layer("lstm 32", Shape.of(32))
            .layer("dense 64", Shape.of(64))
            .layer("softmax", Shape.of(64))
            .build();
        Diagnostic e = only(train(text, basics, lastStep).sink(), Code.LABEL_OUTPUT_MISMATCH);
        assertEquals("dense 64", e.span().text());
        assertTrue(e.message().contains("outputs [64]") && e.message().contains("needs [40, 64]"), e.message());
        assertTrue(e.help().contains("return_sequences true"), e.help());

        ModelIR everyStep = TestModel.named("Net").input(40)
            .layer("embedding 64 16", Shape.of(40, 16), Map.of("vocab", 64, "dim", 16))
            .layer("lstm 32 return_sequences true", Shape.of(40, 32))
            .layer("dense 64", Shape.of(40, 64))
            .layer("softmax", Shape.of(40, 64))
            .build();
        Diagnostics ok = train(text, basics + "    metrics accuracy perplexity\n", everyStep).sink();
        assertEquals(0, ok.errorCount(), "a [40, 64] softmax output fits labels at 40 steps");
        assertTrue(withCode(ok, Code.LABEL_OUTPUT_MISMATCH).isEmpty());

        ModelIR wrongWidth = TestModel.named("Net").input(40)
            .layer("embedding 64 16", Shape.of(40, 16), Map.of("vocab", 64, "dim", 16))
            .layer("lstm 32 return_sequences true", Shape.of(40, 32))
            .layer("dense 60", Shape.of(40, 60))
            .layer("softmax", Shape.of(40, 60))
            .build();
        assertEquals("end the model with `dense 64 -> softmax` on [40, features]",
            only(train(text, basics, wrongWidth).sink(), Code.LABEL_OUTPUT_MISMATCH).help());
    }

    @Test
    void precisionIsFloat32UnlessWrittenAndBf16WhenAsked() {
        Result plain = train(DIGITS, BASICS, softmaxNet());
        assertClean(plain.sink());
        assertEquals(Precision.FLOAT32, plain.ir().precision());
        Result bf16 = train(DIGITS, BASICS + "    precision bf16\n", softmaxNet());
        assertClean(bf16.sink());
        assertEquals(Precision.BF16, bf16.ir().precision());
        assertTrue(bf16.ir().valid());
        Result written = train(DIGITS, BASICS + "    precision float32\n", softmaxNet());
        assertEquals(Precision.FLOAT32, written.ir().precision());
    }

    @Test
    void anUnknownPrecisionIsAnErrorThatSuggestsTheClosest() {
        Result r = train(DIGITS, BASICS + "    precision bf61\n", softmaxNet());
        Diagnostic d = only(r.sink(), Code.INVALID_CHOICE);
        assertEquals("unknown precision `bf61`", d.message());
        assertTrue(d.help().contains("`bf16`"), d.help());
        assertFalse(r.ir().valid());
        Result missing = train(DIGITS, BASICS + "    precision\n", softmaxNet());
        assertTrue(only(missing.sink(), Code.MISSING_ARGUMENT).message().contains("precision"));
    }
}
