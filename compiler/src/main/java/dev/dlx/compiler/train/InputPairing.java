package dev.dlx.compiler.train;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.FeatureIR;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.layers.Embedding;
import dev.dlx.compiler.shape.Shape;
import java.util.List;
import java.util.OptionalInt;

/** The model's inputs against the dataset's features: which feeds which, shapes, and the vocabulary an embedding must cover. */
final class InputPairing {
    private InputPairing() {}

    /**
     * Each model input against the feature that feeds it ({@link Pairing}). {@code at} is where the
     * pairing is written (the dataset's name in `train Net on digits`). Returns whether it holds.
     */
    static boolean check(ModelIR model, DatasetIR data, Span at, Diagnostics sink) {
        return check(model, data, java.util.Set.of(), at, sink);
    }

    /** {@link #check(ModelIR, DatasetIR, Span, Diagnostics)} of the inputs not in {@code noise}, which the trainer fills. */
    static boolean check(ModelIR model, DatasetIR data, java.util.Set<String> noise, Span at, Diagnostics sink) {
        if (model == null || data == null || model.inputs().isEmpty()) return true;
        Pairing pairing = Pairing.of(model, data, noise);
        boolean ok = true;
        for (Pairing.Input p : pairing.inputs()) {
            if (p.feature() == null) {
                unfed(model, data, p.node(), at, sink);
                ok = false;
                if (!data.features().get(0).named()) break; // the one unnamed feature: said once
            } else {
                ok &= check(model, data, p.node(), p.feature(), at, sink);
            }
        }
        for (FeatureIR f : pairing.unusedFeatures()) {
            sink.report(Diagnostic.warning(Code.LINT_UNUSED_DATA, f.span(), "feature `" + f.name() + "` feeds no input of model `"
                    + model.name() + "`")
                .label("never used")
                .secondary(at, "trained here")
                .help("name a model input `" + f.name() + "`, or leave the columns out of the source"));
        }
        return ok;
    }

    private static void unfed(ModelIR model, DatasetIR data, Node input, Span at, Diagnostics sink) {
        List<FeatureIR> features = data.features();
        boolean classic = features.size() == 1 && !features.get(0).named();
        String names = features.stream().map(f -> "`" + f.name() + "`").collect(java.util.stream.Collectors.joining(", "));
        Diagnostic.Builder b = Diagnostic.error(Code.INPUT_WITHOUT_FEATURE, at, classic
                ? "model `" + model.name() + "` takes " + model.inputs().size() + " inputs, but dataset `" + data.name()
                    + "` feeds one unnamed feature"
                : "no feature of dataset `" + data.name() + "` feeds input `" + input.name() + "` of model `" + model.name() + "`")
            .label(classic ? "one feature per sample" : "features here: " + names)
            .secondary(input.span(), "input `" + input.name() + "`");
        if (classic) {
            b.help("name one feature per input in the source, e.g. `features " + model.inputs().get(0).name() + " 0..63, "
                + model.inputs().get(1).name() + " 64..127`");
        } else {
            var close = dev.dlx.compiler.schema.Suggest.closest(input.name(), features.stream().map(FeatureIR::name).toList());
            b.help(close.map(c -> "rename feature `" + c + "` to `" + input.name() + "`, or the input to `" + c + "`")
                .orElse("name a feature `" + input.name() + "` in the source: `features " + input.name() + " ...`"));
        }
        sink.report(b);
    }

    private static boolean check(ModelIR model, DatasetIR data, Node input, FeatureIR feature, Span at, Diagnostics sink) {
        Shape wanted = input.shape();
        Shape given = feature.shape();
        if (wanted == null || given == null || wanted.isUnknown() || given.isUnknown()) return true;
        if (!wanted.compatible(given)) {
            String samples = feature.named() ? "feature `" + feature.name() + "`" : "samples";
            sink.report(Diagnostic.error(Code.DATA_MODEL_MISMATCH, at, model.inputs().size() == 1 && !feature.named()
                    ? "model `" + model.name() + "` takes samples of shape " + wanted + ", dataset `" + data.name() + "` gives " + given
                    : "input `" + input.name() + "` of model `" + model.name() + "` takes " + wanted + ", feature `" + feature.name()
                        + "` of dataset `" + data.name() + "` gives " + given)
                .label(samples + " " + (feature.named() ? "is " : "are ") + given)
                .secondary(feature.shapeSpan(), "this makes the " + samples + " " + given)
                .secondary(input.span(), "the model's input")
                .help(help(wanted, given, feature)));
            return false;
        }
        checkVocabulary(model, input, feature, data, sink);
        return true;
    }

    private static String help(Shape wanted, Shape given, FeatureIR feature) {
        boolean hasFeatures = !feature.steps().isEmpty();
        String add = hasFeatures ? "add `" : "add `features " + (feature.named() ? feature.name() + " " : "");
        String where = hasFeatures ? "` to the dataset's `features` steps" : "` to the dataset";
        long we, ge;
        try {
            we = wanted.elements();
            ge = given.elements();
        } catch (ArithmeticException tooLarge) {
            we = ge = -1;
        }
        if (we > 0 && we == ge) return add + "reshape " + wanted + where;
        if (wanted.rank() == 3 && given.rank() == 3) {
            boolean sameChannels = wanted.dim(2).equals(given.dim(2));
            if (sameChannels) return add + "resize " + wanted.dim(0) + "x" + wanted.dim(1) + where;
            if (given.dim(2).size() == 3 && wanted.dim(2).size() == 1
                    && wanted.dim(0).equals(given.dim(0)) && wanted.dim(1).equals(given.dim(1))) {
                return add + "grayscale" + where;
            }
        }
        return "declare the model's input as " + given + ", or shape the data with `features` steps";
    }

    /** An embedding right after the input must have an id for every token id the data holds. */
    private static void checkVocabulary(ModelIR model, Node input, FeatureIR feature, DatasetIR data, Diagnostics sink) {
        OptionalInt vocab = data.source() == null ? OptionalInt.empty() : data.source().vocabulary(feature.name());
        if (vocab.isEmpty()) return;
        for (Node n : model.consumers(input.id())) {
            if (!(n.settings() instanceof Embedding.Settings embedding)) continue;
            int size = embedding.vocab();
            if (size < vocab.getAsInt()) {
                sink.report(Diagnostic.error(Code.DATA_MODEL_MISMATCH, n.attrs().span("vocab"),
                        "the embedding has " + size + " token ids, but dataset `" + data.name() + "` uses " + vocab.getAsInt())
                    .label("vocabulary too small")
                    .secondary(vocabSpan(data, feature), "vocabulary of " + vocab.getAsInt())
                    .help("use `embedding " + vocab.getAsInt() + " ...`, or lower `" + vocabWord(data, feature) + "` in the dataset's source"));
            }
        }
    }

    /** The source attribute that sets the vocabulary of {@code feature}. */
    private static String vocabWord(DatasetIR data, FeatureIR feature) {
        return data.source() instanceof dev.dlx.compiler.data.ParallelSource && feature.name().equals(dev.dlx.compiler.data.ParallelSource.PREVIOUS)
            ? "target_vocab" : "vocab";
    }

    /** Where the vocabulary of {@code feature} is set: its attribute in `source parallel`, else the source. */
    private static Span vocabSpan(DatasetIR data, FeatureIR feature) {
        if (data.source() instanceof dev.dlx.compiler.data.ParallelSource p) {
            return feature.name().equals(dev.dlx.compiler.data.ParallelSource.PREVIOUS) ? p.targetVocabSpan() : p.vocabSpan();
        }
        return data.source() == null ? null : data.source().span();
    }
}
