package dev.dlx.compiler.train;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.shape.Shape;
import java.util.OptionalInt;

/** The model's input against the dataset's samples: shapes, and the vocabulary an embedding must cover. */
final class InputPairing {
    private InputPairing() {}

    /** {@code at} is where the pairing is written (the dataset's name in `train Net on digits`). Returns whether it holds. */
    static boolean check(ModelIR model, DatasetIR data, Span at, Diagnostics sink) {
        if (model == null || data == null || model.inputs().size() != 1) return true;
        Node input = model.inputs().get(0);
        Shape wanted = input.shape();
        Shape given = data.featureShape();
        if (wanted == null || given == null || wanted.isUnknown() || given.isUnknown()) return true;
        if (!wanted.compatible(given)) {
            sink.report(Diagnostic.error(Code.DATA_MODEL_MISMATCH, at,
                    "model `" + model.name() + "` takes samples of shape " + wanted + ", dataset `" + data.name() + "` gives " + given)
                .label("samples are " + given)
                .secondary(data.featureShapeSpan(), "this makes the samples " + given)
                .secondary(input.span(), "the model's input")
                .help(help(wanted, given, data)));
            return false;
        }
        checkVocabulary(model, input, data, sink);
        return true;
    }

    private static String help(Shape wanted, Shape given, DatasetIR data) {
        boolean hasFeatures = !data.steps().isEmpty();
        String add = hasFeatures ? "add `" : "add `features ";
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
    private static void checkVocabulary(ModelIR model, Node input, DatasetIR data, Diagnostics sink) {
        OptionalInt vocab = data.vocabulary();
        if (vocab.isEmpty()) return;
        for (Node n : model.consumers(input.id())) {
            if (!n.kindName().equals("embedding") || n.attrs() == null || n.attrs().get("vocab") == null) continue;
            int size = n.attrs().integer("vocab");
            if (size < vocab.getAsInt()) {
                sink.report(Diagnostic.error(Code.DATA_MODEL_MISMATCH, n.attrs().span("vocab"),
                        "the embedding has " + size + " token ids, but dataset `" + data.name() + "` uses " + vocab.getAsInt())
                    .label("vocabulary too small")
                    .secondary(data.source() == null ? null : data.source().span(), "vocabulary of " + vocab.getAsInt())
                    .help("use `embedding " + vocab.getAsInt() + " ...`, or lower `vocab` in the dataset's source"));
            }
        }
    }
}
