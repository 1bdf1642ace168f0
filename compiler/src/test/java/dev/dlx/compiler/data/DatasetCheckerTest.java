package dev.dlx.compiler.data;

import static dev.dlx.compiler.data.Snippets.assertClean;
import static dev.dlx.compiler.data.Snippets.assertNoErrors;
import static dev.dlx.compiler.data.Snippets.checkDataset;
import static dev.dlx.compiler.data.Snippets.only;
import static dev.dlx.compiler.data.Snippets.samples;
import static dev.dlx.compiler.data.Snippets.withCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Severity;
import dev.dlx.compiler.shape.Shape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCheckerTest {

    @TempDir Path tmp;

    private static final String DIGITS_SOURCE = "    source csv \"data/digits.csv.gz\" { features 0..63, label 64 }\n";

    @Test
    void csvShapeComesFromTheFeatureColumns() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset x {\n    source csv \"nowhere.csv\" { features 0..3, 7, 9..10, label 4 }\n}\n", tmp, sink);
        assertEquals(Shape.of(7), d.featureShape());
        CsvSource csv = assertInstanceOf(CsvSource.class, d.source());
        assertEquals(List.of(0, 1, 2, 3, 7, 9, 10), csv.featureColumns());
        assertEquals(List.of(4), csv.labelColumns());
        assertEquals(tmp.resolve("nowhere.csv").toAbsolutePath().normalize(), csv.path());
        Diagnostic missing = only(sink, Code.DATA_FILE);
        assertEquals(Severity.WARNING, missing.severity(), "a missing file only warns: the shape is known without it");
        assertEquals("\"nowhere.csv\"", missing.span().text());
        assertTrue(d.valid());
    }

    @Test
    void digitsCsvIsReadAndShaped() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset digits {\n" + DIGITS_SOURCE
            + "    features reshape [8, 8, 1] scale 1/16\n"
            + "    labels classes 10 onehot\n"
            + "    split train 70%, val 15%, test 15% shuffle seed 42\n"
            + "    normalize featurewise\n"
            + "    batch 32\n}\n", samples(), sink);
        assertClean(sink);
        assertEquals(Shape.of(64), d.source().sampleShape());
        assertEquals(Shape.of(8, 8, 1), d.featureShape());
        assertEquals("reshape [8, 8, 1]", d.featureShapeSpan().text());
        assertEquals(2, d.steps().size());
        FeatureStep.Scale scale = assertInstanceOf(FeatureStep.Scale.class, d.steps().get(1));
        assertEquals(1.0 / 16, scale.factor(), 1e-12);
        assertEquals(LabelSpec.Encoding.ONEHOT, d.labels().encoding());
        assertEquals(Shape.of(10), d.labels().shape());
        assertEquals(0.7, d.split().train(), 1e-12);
        assertEquals(42, d.split().seed().getAsInt());
        assertTrue(d.split().shuffle());
        assertEquals(List.of("train", "val", "test"), d.splitNames());
        assertTrue(d.hasValidation());
        assertEquals(Normalize.Mode.FEATUREWISE, d.normalize().mode());
        assertFalse(d.normalize().beforeSplit());
        assertEquals(32, d.batchSize());
        assertTrue(d.valid());
    }

    @Test
    void columnPastTheRowIsADataFileErrorNamingFileAndLine() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset digits {\n    source csv \"data/digits.csv.gz\" { features 0..63, label 65 }\n}\n",
            samples(), sink);
        Diagnostic e = only(sink, Code.DATA_FILE);
        assertTrue(e.isError());
        assertEquals("65", e.span().text());
        assertTrue(e.message().contains("line 1 of `data/digits.csv.gz`"), e.message());
        assertTrue(e.message().contains("65 columns"), e.message());
        assertFalse(d.valid());
    }

    @Test
    void irisNeedsItsHeaderSkipped() {
        String body = "    source csv \"data/iris.csv\" { %s features 0..3, label 4 }\n";
        Diagnostics ok = new Diagnostics();
        DatasetIR iris = checkDataset("dataset iris {\n" + body.formatted("skip 1,") + "    labels classes 3 sparse\n}\n", samples(), ok);
        assertClean(ok);
        assertEquals(Shape.of(4), iris.featureShape());
        assertEquals(Shape.of(), iris.labels().shape(), "sparse labels are scalar class indices");

        Diagnostics header = new Diagnostics();
        checkDataset("dataset iris {\n" + body.formatted("") + "}\n", samples(), header);
        Diagnostic e = only(header, Code.DATA_FILE);
        assertTrue(e.message().contains("`setosa`"), e.message());
        assertTrue(e.help().contains("skip 1"), e.help());
    }

    @Test
    void featuresDefaultToEveryColumnButTheLabel() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset iris {\n    source csv \"data/iris.csv\" { skip 1, label 4 }\n}\n", samples(), sink);
        assertClean(sink);
        assertEquals(List.of(0, 1, 2, 3), ((CsvSource) d.source()).featureColumns());
        assertEquals(Shape.of(4), d.featureShape());
    }

    @Test
    void reshapeMustKeepTheElementCount() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    features reshape [8, 9, 1]\n}\n", samples(), sink);
        Diagnostic e = only(sink, Code.RESHAPE_SIZE);
        assertEquals("[8, 9, 1]", e.span().text());
        assertTrue(e.help().contains("[8, 8, 1]"), e.help());
        assertTrue(d.featureShape().isUnknown());
    }

    @Test
    void reshapeInfersOneUnknownDimension() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    features reshape [?, 8] flatten\n}\n", samples(), sink);
        assertClean(sink);
        assertEquals(Shape.of(8, 8), ((FeatureStep.Reshape) d.steps().get(0)).target());
        assertEquals(Shape.of(64), d.featureShape());
    }

    @Test
    void unknownStatementsAndStepsGetDidYouMean() {
        Diagnostics sink = new Diagnostics();
        checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    shufle true\n    features reshap [8, 8, 1]\n    batchh 32\n}\n",
            samples(), sink);
        List<Diagnostic> unknown = withCode(sink, Code.UNKNOWN_DIRECTIVE);
        assertEquals(3, unknown.size(), Snippets.render(sink));
        assertEquals("shufle", unknown.get(0).span().text());
        assertEquals("did you mean `shuffle`?", unknown.get(0).help());
        assertEquals("did you mean `reshape`?", unknown.get(1).help());
        assertEquals("did you mean `batch`?", unknown.get(2).help());
    }

    @Test
    void missingSourceAndRepeatedStatements() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset d {\n    batch 32\n    batch 64\n}\n", tmp, sink);
        Diagnostic missing = only(sink, Code.MISSING_DIRECTIVE);
        assertEquals("dataset d", missing.span().text());
        Diagnostic twice = only(sink, Code.DUPLICATE_DIRECTIVE);
        assertEquals(3, twice.span().line());
        assertEquals(32, d.batchSize(), "the first `batch` counts");
        assertNull(d.source());
        assertFalse(d.valid());
    }

    @Test
    void unknownSourceKindAndAttributes() {
        Diagnostics sink = new Diagnostics();
        checkDataset("dataset d {\n    source cvs \"x.csv\"\n}\n", tmp, sink);
        assertEquals("did you mean `csv`?", only(sink, Code.INVALID_CHOICE).help());

        Diagnostics attrs = new Diagnostics();
        checkDataset("dataset d {\n    source csv \"x.csv\" { featurs 0..3 }\n}\n", tmp, attrs);
        assertTrue(withCode(attrs, Code.UNKNOWN_ATTRIBUTE).size() + withCode(attrs, Code.TOO_MANY_ARGUMENTS).size() >= 1,
            Snippets.render(attrs));
    }

    @Test
    void splitSizesMustAddUpToOneHundredPercent() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    split train 70%, val 15%, test 10%\n}\n", samples(), sink);
        Diagnostic e = only(sink, Code.SPLIT_SIZES);
        assertTrue(e.message().contains("95%"), e.message());
        assertNull(d.split());

        Diagnostics over = new Diagnostics();
        checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    split train 0.8, val 0.3\n}\n", samples(), over);
        assertTrue(only(over, Code.SPLIT_SIZES).message().contains("110%"));

        Diagnostics zero = new Diagnostics();
        checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    split train 100%, val 0%\n}\n", samples(), zero);
        assertEquals(1, withCode(zero, Code.OUT_OF_RANGE).size(), "each share is in (0, 100%]");
    }

    @Test
    void splitTrainDefaultsToTheRemainder() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    split val 20% stratify shuffle false\n}\n", samples(), sink);
        assertClean(sink);
        assertEquals(0.8, d.split().train(), 1e-12);
        assertEquals(0.0, d.split().test());
        assertTrue(d.split().stratify());
        assertFalse(d.split().shuffle());
        assertEquals(List.of("train", "val"), d.splitNames());
    }

    @Test
    void normalizeBeforeSplitIsLinted() {
        Diagnostics before = new Diagnostics();
        DatasetIR d = checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    normalize featurewise\n    split train 80%, val 20%\n}\n",
            samples(), before);
        Diagnostic w = only(before, Code.LINT_NORMALIZE_BEFORE_SPLIT);
        assertEquals(Severity.WARNING, w.severity());
        assertEquals("normalize featurewise", w.span().text());
        assertTrue(w.help().startsWith("move `normalize` after `split`"), w.help());
        assertTrue(w.message().contains("training split only"), w.message());
        assertTrue(d.normalize().beforeSplit());

        Diagnostics after = new Diagnostics();
        checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    split train 80%, val 20%\n    normalize featurewise\n}\n", samples(), after);
        assertClean(after);

        Diagnostics samplewise = new Diagnostics();
        checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    normalize samplewise\n    split train 80%, val 20%\n}\n", samples(), samplewise);
        assertTrue(withCode(samplewise, Code.LINT_NORMALIZE_BEFORE_SPLIT).isEmpty(), "per-sample statistics use no other samples");
    }

    @Test
    void kfoldNeedsTwoFolds() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    kfold 5 repeat 3 seed 1\n}\n", samples(), sink);
        assertClean(sink);
        assertEquals(5, d.kfold().k());
        assertEquals(3, d.kfold().repeats());
        assertTrue(d.kfold().iterated());
        assertTrue(d.hasValidation());
        assertEquals(List.of("train"), d.splitNames());

        Diagnostics one = new Diagnostics();
        checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    kfold 1\n}\n", samples(), one);
        assertEquals("1", only(one, Code.OUT_OF_RANGE).span().text());
    }

    @Test
    void labelEncodingsGiveLabelShapes() {
        // refused: the digits' labels are 0 to 9, which fewer classes do not hold (the labels of lines 1 to 4 are 0, 1, 2, 3)
        record Case(String labels, LabelSpec.Encoding encoding, Shape shape, String refused) {}
        for (Case c : List.of(
                new Case("labels classes 10 onehot", LabelSpec.Encoding.ONEHOT, Shape.of(10), null),
                new Case("labels classes 10 sparse", LabelSpec.Encoding.SPARSE, Shape.of(), null),
                new Case("labels binary", LabelSpec.Encoding.BINARY, Shape.of(1), "the label 2 in column 64 on line 3 of `data/digits.csv.gz` is outside the 2 declared classes (0..1)"),
                new Case("labels regression", LabelSpec.Encoding.REGRESSION, Shape.of(1), null),
                new Case("labels onehot names \"a\" \"b\" \"c\"", LabelSpec.Encoding.ONEHOT, Shape.of(3),
                    "the label 3 in column 64 on line 4 of `data/digits.csv.gz` is outside the 3 declared classes (0..2)"))) {
            Diagnostics sink = new Diagnostics();
            DatasetIR d = checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    " + c.labels() + "\n}\n", samples(), sink);
            if (c.refused() == null) assertClean(sink);
            else assertEquals(c.refused(), only(sink, Code.DATA_FILE).message(), c.labels());
            assertEquals(c.encoding(), d.labels().encoding(), c.labels());
            assertEquals(c.shape(), d.labels().shape(), c.labels());
        }
    }

    @Test
    void labelMistakes() {
        Diagnostics names = new Diagnostics();
        DatasetIR d = checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    labels classes 3 names \"a\" \"b\"\n}\n", samples(), names);
        assertTrue(only(names, Code.OUT_OF_RANGE).message().contains("2 class names for 3 classes"));
        assertNull(d.labels());

        Diagnostics binary = new Diagnostics();
        checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    labels classes 3 binary\n}\n", samples(), binary);
        assertTrue(only(binary, Code.OUT_OF_RANGE).help().contains("onehot"));

        Diagnostics count = new Diagnostics();
        checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    labels sparse\n}\n", samples(), count);
        assertEquals(1, withCode(count, Code.MISSING_ARGUMENT).size());

        Diagnostics unlabelled = new Diagnostics();
        checkDataset("dataset digits {\n    source csv \"data/digits.csv.gz\" { features 0..63 }\n    labels classes 10\n}\n",
            samples(), unlabelled);
        assertTrue(only(unlabelled, Code.MISSING_ARGUMENT).help().contains("label N"));
    }

    @Test
    void augmentationsAreBoundWithTheirProbabilities() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset digits {\n" + DIGITS_SOURCE
            + "    features reshape [8, 8, 1]\n"
            + "    augment train {\n"
            + "        flip horizontal p 0.5\n"
            + "        rotate 10deg\n"
            + "        crop 8x8 pad 1\n"
            + "        shift 0.1\n"
            + "        zoom 0.1\n"
            + "        shear 10deg\n"
            + "        noise gaussian 0.05\n"
            + "        erase 2x2 p 0.25\n"
            + "        contrast 0.8..1.2\n"
            + "        brightness -0.1..0.1\n"
            + "        colorshift 0.1\n"
            + "    }\n}\n", samples(), sink);
        assertClean(sink);
        List<Augmentation> steps = d.augmentsFor("train").orElseThrow().steps();
        assertEquals(11, steps.size());
        Augmentation.Flip flip = assertInstanceOf(Augmentation.Flip.class, steps.get(0));
        assertEquals(Augmentation.Axis.HORIZONTAL, flip.axis());
        assertEquals(0.5, flip.p());
        assertEquals(10, ((Augmentation.Rotate) steps.get(1)).degrees());
        assertEquals(1.0, steps.get(1).p(), "p defaults to 1");
        Augmentation.Crop crop = (Augmentation.Crop) steps.get(2);
        assertEquals(List.of(8, 8, 1), List.of(crop.height(), crop.width(), crop.pad()));
        Augmentation.Zoom zoom = (Augmentation.Zoom) steps.get(4);
        assertEquals(0.9, zoom.min(), 1e-12);
        assertEquals(1.1, zoom.max(), 1e-12);
        Augmentation.Noise noise = (Augmentation.Noise) steps.get(6);
        assertEquals(Augmentation.Distribution.GAUSSIAN, noise.distribution());
        assertEquals(0.05, noise.amount());
        assertEquals(0.25, steps.get(7).p());
        assertEquals(Augmentation.BrightnessMode.DELTA, ((Augmentation.Brightness) steps.get(9)).mode());
        assertEquals("flip horizontal p 0.5", flip.span().text());
    }

    @Test
    void missingCellsThatReadingRefusesAreFoundByTheChecker() throws Exception {
        // as the defects' people.csv: empty ages, and here one empty label
        java.nio.file.Files.writeString(tmp.resolve("p.csv"), "age,income,label\n72,2.5,yes\n,3.5,no\n31,,yes\n,4.0,no\n50,1.0,\n");
        String source = "dataset p {\n    source csv \"p.csv\" { header, features \"age\" \"income\", label \"label\", categorical \"label\"%s }\n"
            + "    labels classes 2 binary\n}\n";
        Diagnostics strict = new Diagnostics();
        checkDataset(source.formatted(""), tmp, strict);
        Diagnostic first = only(strict, Code.DATA_FILE);
        assertEquals("column 0 (`age`) on line 3 of `p.csv` is empty", first.message());
        assertEquals("\"p.csv\"", first.span().text());
        assertEquals("4 lines with missing cells", first.primary().text());
        assertEquals(List.of("at p.csv:3:1"), first.notes());

        Diagnostics filled = new Diagnostics();
        checkDataset(source.formatted(", missing mean"), tmp, filled);
        Diagnostic label = only(filled, Code.DATA_FILE);
        assertEquals("the label column 2 (`label`) on line 6 of `p.csv` is empty", label.message(), "labels are never filled in");
        assertEquals(List.of("at p.csv:6:8"), label.notes());

        Diagnostics dropped = new Diagnostics();
        checkDataset(source.formatted(", missing drop"), tmp, dropped);
        assertEquals(0, withCode(dropped, Code.DATA_FILE).size(), "`missing drop` leaves those lines out");
    }

    private Augmentation.Brightness brightness(String step, Diagnostics sink) {
        DatasetIR d = checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    features reshape [8, 8, 1]\n"
            + "    augment train {\n        " + step + "\n    }\n}\n", samples(), sink);
        List<Augmentation> steps = d.augmentsFor("train").map(AugmentBlock::steps).orElse(List.of());
        return steps.isEmpty() ? null : (Augmentation.Brightness) steps.get(0);
    }

    @Test
    void brightnessFactorsAndDeltasAreWrittenApart() {
        Diagnostics dark = new Diagnostics();
        Augmentation.Brightness darker = brightness("brightness factor 0.3..0.5", dark);
        assertClean(dark);
        assertEquals(Augmentation.BrightnessMode.FACTOR, darker.mode(), "0.3..0.5 written as factors darkens");
        assertEquals(List.of(0.3, 0.5), List.of(darker.min(), darker.max()));

        Diagnostics up = new Diagnostics();
        Augmentation.Brightness brighter = brightness("brightness factor 1.2..1.5", up);
        assertClean(up);
        assertEquals(Augmentation.BrightnessMode.FACTOR, brighter.mode());
        assertEquals(List.of(1.2, 1.5), List.of(brighter.min(), brighter.max()));

        Diagnostics around = new Diagnostics();
        Augmentation.Brightness f = brightness("brightness factor 0.2", around);
        assertEquals(0.8, f.min(), 1e-12);
        assertEquals(1.2, f.max(), 1e-12);

        Diagnostics add = new Diagnostics();
        Augmentation.Brightness delta = brightness("brightness delta 0.3..0.5", add);
        assertClean(add);
        assertEquals(Augmentation.BrightnessMode.DELTA, delta.mode());
        assertEquals(List.of(0.3, 0.5), List.of(delta.min(), delta.max()));
        Augmentation.Brightness symmetric = brightness("brightness delta 0.1", new Diagnostics());
        assertEquals(List.of(-0.1, 0.1), List.of(symmetric.min(), symmetric.max()));

        Diagnostics negative = new Diagnostics();
        Augmentation.Brightness old = brightness("brightness -0.1..0.1", negative);
        assertClean(negative);
        assertEquals(Augmentation.BrightnessMode.DELTA, old.mode(), "a negative bound can only be an offset");

        Diagnostics bare = new Diagnostics();
        assertNull(brightness("brightness 0.3..0.5", bare));
        Diagnostic ambiguous = only(bare, Code.INVALID_CHOICE);
        assertEquals("0.3..0.5", ambiguous.span().text());
        assertTrue(ambiguous.help().contains("`brightness factor 0.3..0.5`") && ambiguous.help().contains("`brightness delta 0.3..0.5`"),
            ambiguous.help());

        Diagnostics up2 = new Diagnostics();
        assertNull(brightness("brightness 1.2..1.5", up2));
        assertTrue(only(up2, Code.INVALID_CHOICE).help().contains("`brightness factor 1.2..1.5`"), "the old spelling of d05b gets the new one");

        Diagnostics both = new Diagnostics();
        assertNull(brightness("brightness factor 0.9..1.1 delta 0.1", both));
        assertEquals(1, withCode(both, Code.INVALID_CHOICE).size());
        Diagnostics bigDelta = new Diagnostics();
        brightness("brightness delta 1.5", bigDelta);
        assertEquals(1, withCode(bigDelta, Code.OUT_OF_RANGE).size());
        Diagnostics zeroFactor = new Diagnostics();
        brightness("brightness factor 0..1", zeroFactor);
        assertEquals(1, withCode(zeroFactor, Code.OUT_OF_RANGE).size());
    }

    @Test
    void randomCropsMustKeepTheSampleSize() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset digits {\n" + DIGITS_SOURCE
            + "    features reshape [8, 8, 1]\n    augment train {\n        crop 7x7 pad 1\n    }\n}\n", samples(), sink);
        Diagnostic e = only(sink, Code.OUT_OF_RANGE);
        assertEquals("7x7", e.span().text());
        assertTrue(e.help().contains("`crop 8x8 pad 1` pads then crops back"), e.help());
        assertTrue(d.augmentsFor("train").orElseThrow().steps().isEmpty());
    }

    @Test
    void imageAugmentationsNeedImages() {
        Diagnostics sink = new Diagnostics();
        checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    augment train {\n        flip horizontal\n        noise 0.1\n    }\n}\n",
            samples(), sink);
        Diagnostic e = only(sink, Code.RANK_MISMATCH);
        assertEquals("flip horizontal", e.span().text());
        assertTrue(e.message().contains("[64]"), e.message());
    }

    @Test
    void augmentationMistakes() {
        Diagnostics sink = new Diagnostics();
        checkDataset("dataset digits {\n" + DIGITS_SOURCE
            + "    features reshape [8, 8, 1]\n"
            + "    augment val {\n        flp horizontal\n        rotate 200deg\n        flip p 1.5\n        erase 9x9\n    }\n}\n",
            samples(), sink);
        Diagnostic lint = only(sink, Code.LINT_AUGMENT_EVAL);
        assertEquals("val", lint.span().text());
        assertEquals("did you mean `flip`?", only(sink, Code.UNKNOWN_DIRECTIVE).help());
        List<Diagnostic> ranges = withCode(sink, Code.OUT_OF_RANGE);
        assertEquals(List.of("200deg", "1.5", "9x9"), ranges.stream().map(r -> r.span().text()).toList());
    }

    @Test
    void batchSizesThatAreNotPowersOfTwoAreLinted() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    batch 30\n    shuffle false\n}\n", samples(), sink);
        Diagnostic w = only(sink, Code.LINT_BATCH_POW2);
        assertEquals("use `batch 32`", w.help());
        assertEquals(30, d.batchSize());
        assertFalse(d.shuffle());
        assertEquals(64, BatchSize.nearestPowerOfTwo(60));
        assertEquals(32, BatchSize.nearestPowerOfTwo(48));

        Diagnostics zero = new Diagnostics();
        checkDataset("dataset digits {\n" + DIGITS_SOURCE + "    batch 0\n}\n", samples(), zero);
        assertEquals(1, withCode(zero, Code.OUT_OF_RANGE).size());
    }

    @Test
    void imageFoldersGiveShapeAndClasses() throws Exception {
        for (String c : List.of("cat", "dog", "fox")) java.nio.file.Files.createDirectories(tmp.resolve("photos").resolve(c));
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset photos {\n    source images \"photos\" size 64x48 color grayscale\n"
            + "    features resize 32x32\n    labels sparse\n}\n", tmp, sink);
        assertClean(sink);
        ImageFolderSource src = assertInstanceOf(ImageFolderSource.class, d.source());
        assertEquals(List.of("cat", "dog", "fox"), src.classFolders());
        assertEquals(Shape.of(64, 48, 1), src.sampleShape());
        assertEquals(Shape.of(32, 32, 1), d.featureShape());
        assertEquals(3, d.labels().classes(), "the class count comes from the folders");

        Diagnostics wrong = new Diagnostics();
        checkDataset("dataset photos {\n    source images \"photos\" size 64x64\n    labels classes 10 onehot\n}\n", tmp, wrong);
        assertTrue(only(wrong, Code.OUT_OF_RANGE).message().contains("the source has 3"));
    }

    @Test
    void textWindowsAreLabelledWithTheNextToken() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset shakespeare {\n    source text \"missing.txt\" tokens char vocab 80 window 100 stride 3\n}\n",
            tmp, sink);
        assertNoErrors(sink);
        TextSource t = assertInstanceOf(TextSource.class, d.source());
        assertEquals(TextSource.Tokens.CHAR, t.tokens());
        assertEquals(3, t.stride());
        assertEquals(Shape.of(100), d.featureShape());
        assertEquals(80, d.vocabulary().getAsInt());
        assertEquals(LabelSpec.Encoding.SPARSE, d.labels().encoding());
        assertEquals(80, d.labels().classes());
        assertEquals(Severity.WARNING, only(sink, Code.DATA_FILE).severity());
    }

    @Test
    void missingStatementsKeepDefaults() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset digits {\n" + DIGITS_SOURCE + "}\n", samples(), sink);
        assertClean(sink);
        assertEquals(DatasetIR.DEFAULT_BATCH, d.batchSize());
        assertTrue(d.shuffle());
        assertNull(d.split());
        assertFalse(d.hasValidation());
        assertEquals(LabelSpec.Encoding.NONE, d.labels().encoding());
        assertNotNull(d.featureShapeSpan());
    }

    @Test
    void targetsAllLabelsEveryStepOfAWindow() {
        Diagnostics sink = new Diagnostics();
        DatasetIR d = checkDataset("dataset moby {\n    source text \"missing.txt\" tokens char vocab 64 window 40 targets all\n}\n",
            tmp, sink);
        assertNoErrors(sink);
        assertTrue(assertInstanceOf(TextSource.class, d.source()).everyStep());
        assertEquals(LabelSpec.Encoding.SPARSE, d.labels().encoding());
        assertEquals(64, d.labels().classes());
        assertEquals(Shape.of(40), d.labels().shape(), "one class index per step");

        Diagnostics explicit = new Diagnostics();
        DatasetIR e = checkDataset("dataset moby {\n    source text \"missing.txt\" tokens char vocab 64 window 40 targets all\n"
            + "    labels classes 64 sparse\n}\n", tmp, explicit);
        assertNoErrors(explicit);
        assertEquals(Shape.of(40), e.labels().shape());

        Diagnostics next = new Diagnostics();
        assertEquals(Shape.of(), checkDataset("dataset moby {\n    source text \"missing.txt\" vocab 64 window 40 targets next\n}\n",
            tmp, next).labels().shape());
    }

    @Test
    void targetsAllMistakes() {
        Diagnostics lines = new Diagnostics();
        checkDataset("dataset moby {\n    source text \"missing.txt\" vocab 64 targets all\n}\n", tmp, lines);
        Diagnostic e = only(lines, Code.MISSING_ARGUMENT);
        assertEquals("all", e.span().text());
        assertTrue(e.help().contains("window N"), e.help());

        Diagnostics onehot = new Diagnostics();
        checkDataset("dataset moby {\n    source text \"missing.txt\" vocab 64 window 8 targets all\n    labels classes 64 onehot\n}\n",
            tmp, onehot);
        Diagnostic o = only(onehot, Code.LOSS_LABEL_MISMATCH);
        assertEquals("write `labels classes 64 sparse` (or remove `labels`)", o.help());

        Diagnostics stratified = new Diagnostics();
        checkDataset("dataset moby {\n    source text \"missing.txt\" vocab 64 window 8 targets all\n    split train 90%, val 10% stratify\n}\n",
            tmp, stratified);
        assertTrue(only(stratified, Code.OUT_OF_RANGE).message().contains("every step has a label"));
    }
}
