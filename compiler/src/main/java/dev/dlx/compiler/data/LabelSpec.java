package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.shape.Shape;
import java.util.List;
import java.util.OptionalInt;

/**
 * What the labels are and how they are encoded: `labels classes 10 onehot`, `labels classes 2
 * binary`, `labels regression targets 3`, with optional class `names`.
 *
 * @param classes number of classes (0 for regression and unlabelled data)
 * @param targets number of regression targets (0 for classification)
 * @param shape   the shape of one encoded label: onehot [classes], sparse [] (a class index),
 *                binary [1], regression [targets]; UNKNOWN for NONE
 * @param span    the `labels` statement, or the `source` statement when labels are implied
 */
public record LabelSpec(Encoding encoding, int classes, int targets, List<String> names, Shape shape, Span span) {

    public enum Encoding {
        /** one-hot vectors, for categorical cross-entropy */
        ONEHOT,
        /** class indices, for sparse categorical cross-entropy */
        SPARSE,
        /** 0 or 1 in one column, for binary cross-entropy */
        BINARY,
        /** real-valued targets */
        REGRESSION,
        /**
         * boxes in an image ({@code source coco}, {@code source yolo}): {@code targets} rows of
         * {@link #BOX_VALUES} values, {@code (class, x0, y0, x1, y1)} with the corners as fractions
         * of the image; rows past an image's boxes have class -1
         */
        BOXES,
        /** no labels */
        NONE
    }

    /** Values per box row: class, x0, y0, x1, y1. */
    public static final int BOX_VALUES = 5;

    public LabelSpec { names = List.copyOf(names); }

    public boolean isBoxes() { return encoding == Encoding.BOXES; }

    public static LabelSpec none(Span span) { return new LabelSpec(Encoding.NONE, 0, 0, List.of(), Shape.UNKNOWN, span); }

    public boolean isClassification() {
        return encoding == Encoding.ONEHOT || encoding == Encoding.SPARSE || encoding == Encoding.BINARY;
    }

    public boolean isRegression() { return encoding == Encoding.REGRESSION; }

    /**
     * What the trimmed label cell {@code cell} of a delimited file means: for classes, a name from
     * `names` or a whole number from 0 to classes - 1; for regression, a finite number. A missing
     * cell (see {@link CsvSource#isMissing}) is bad here: the source's `missing` policy decides about
     * it before. The one rule the checker and the runtime's reader share.
     */
    public LabelCell parseCell(String cell) {
        if (isRegression()) {
            String subject = "the target `" + cell + "`";
            if (CsvSource.isMissing(cell)) return new LabelCell.Bad(subject, "is missing", "a missing label cannot be filled in: fill it, or drop the line");
            float v;
            try {
                v = Float.parseFloat(cell);
            } catch (NumberFormatException e) {
                return new LabelCell.Bad(subject, "is not a number",
                    "regression targets are numbers; for classes, describe the label as `labels classes N`");
            }
            if (!Float.isFinite(v)) {
                return new LabelCell.Bad(subject, "is not finite", "infinite values cannot be trained on: fill them in or drop the line");
            }
            return new LabelCell.Target(v);
        }
        int named = names.indexOf(cell);
        if (named >= 0) return new LabelCell.ClassIndex(named);
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            String subject = "the label `" + cell + "`";
            if (CsvSource.isMissing(cell)) return new LabelCell.Bad(subject, "is missing", "a missing label cannot be filled in: fill it, or drop the line");
            if (!names.isEmpty()) {
                return new LabelCell.Bad(subject, "is not one of the class names " + quoted(names) + " nor a class index",
                    "add it to `names`, or correct the line");
            }
            return new LabelCell.Bad(subject, "is not a class index",
                "class labels are 0.." + (classes - 1) + "; for class names, mark the label column `categorical` or list them with `labels ... names`");
        }
        if (v != Math.rint(v) || v < 0 || v >= classes) {
            return new LabelCell.Bad("the label " + cell, "is outside the " + classes + " declared classes (0.." + (classes - 1) + ")",
                v == Math.rint(v) && v >= classes && v < Integer.MAX_VALUE ? "declare `classes " + ((long) v + 1) + "` if the data really has that many classes, "
                    + "or correct the line" : "class labels are whole numbers from 0 to " + (classes - 1));
        }
        return new LabelCell.ClassIndex((int) v);
    }

    /** "(`a`, `b`, `c`)", at most 8 shown. */
    static String quoted(List<String> values) {
        StringBuilder s = new StringBuilder();
        for (String v : values.subList(0, Math.min(8, values.size()))) s.append(s.length() == 0 ? "" : ", ").append('`').append(v).append('`');
        if (values.size() > 8) s.append(", ...");
        return "(" + s + ")";
    }

    static LabelSpec of(Encoding encoding, int classes, int targets, List<String> names, Span span) {
        Shape shape = switch (encoding) {
            case ONEHOT -> Shape.of(classes);
            case SPARSE -> Shape.of();
            case BINARY -> Shape.of(1);
            case REGRESSION -> Shape.of(targets);
            case BOXES -> Shape.of(targets, BOX_VALUES);
            case NONE -> Shape.UNKNOWN;
        };
        return new LabelSpec(encoding, classes, targets, names, shape, span);
    }

    public static final Schema SCHEMA = Schema.of(
        Attr.of("encoding", Type.choice("onehot", "sparse", "binary", "regression"),
            "how labels are fed to the loss: one-hot vectors, class indices, 0/1, or real targets").positional(),
        Attr.of("classes", Type.INT, "number of classes").atLeast(2),
        Attr.of("targets", Type.INT, "number of regression targets").atLeast(1),
        Attr.of("names", ListTypes.STRINGS, "class names, in class order"));

    /**
     * Binds a `labels` statement. {@code implied} is the class count the source reveals (class
     * folders, a text vocabulary) and {@code labelColumns} the number of label columns a csv source
     * names (-1 when not a csv source).
     */
    static LabelSpec bind(List<Value> values, Span head, OptionalInt implied, int labelColumns, Diagnostics sink) {
        Attrs a = Statements.bind("labels", SCHEMA, values, head, sink);
        if (!a.complete()) return null;
        List<String> names = ListTypes.strings(a.get("names"));
        String written = a.given("encoding") ? a.word("encoding")
            : a.given("targets") ? "regression" : "onehot";
        Encoding encoding = Encoding.valueOf(written.toUpperCase());
        if (encoding == Encoding.REGRESSION) {
            if (a.given("classes") || a.given("names")) {
                Span at = a.given("classes") ? a.span("classes") : a.span("names");
                sink.report(Diagnostic.error(Code.UNKNOWN_ATTRIBUTE, at, "regression labels have no classes")
                    .label("not for `regression`")
                    .help("remove it, or use `labels classes N onehot` for classification"));
                return null;
            }
            int targets = a.given("targets") ? a.integer("targets") : Math.max(1, labelColumns);
            if (labelColumns > 0 && targets != labelColumns) {
                sink.report(Diagnostic.error(Code.OUT_OF_RANGE, a.span("targets"),
                        "`targets " + targets + "` but the source names " + labelColumns + " label column" + (labelColumns == 1 ? "" : "s"))
                    .label("one target per label column")
                    .help("write `targets " + labelColumns + "`, or name " + targets + " columns in `label`"));
                return null;
            }
            return of(Encoding.REGRESSION, 0, targets, List.of(), head);
        }
        if (a.given("targets")) {
            sink.report(Diagnostic.error(Code.UNKNOWN_ATTRIBUTE, a.span("targets"), "`targets` is for regression labels")
                .label("not for `" + written + "`")
                .help("write `labels regression targets " + a.integer("targets") + "`, or remove `targets`"));
            return null;
        }
        if (labelColumns > 1) {
            sink.report(Diagnostic.error(Code.OUT_OF_RANGE, head, "class labels come from one column, but the source names " + labelColumns)
                .label("classification with several label columns")
                .help("name one column in `label`, or use `labels regression`"));
            return null;
        }
        int classes;
        if (a.given("classes")) classes = a.integer("classes");
        else if (encoding == Encoding.BINARY) classes = 2;
        else if (!names.isEmpty()) classes = names.size();
        else if (implied.isPresent()) classes = implied.getAsInt();
        else {
            sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, head, "`labels " + written + "` needs the number of classes")
                .label("how many classes?")
                .help("write `labels classes N " + written + "`"));
            return null;
        }
        if (encoding == Encoding.BINARY && classes != 2) {
            sink.report(Diagnostic.error(Code.OUT_OF_RANGE, a.span("classes"), "binary labels have 2 classes, found `classes " + classes + "`")
                .label("not 2")
                .help("use `labels classes " + classes + " onehot` (or `sparse`) for " + classes + " classes"));
            return null;
        }
        if (!names.isEmpty() && names.size() != classes) {
            sink.report(Diagnostic.error(Code.OUT_OF_RANGE, a.span("names"),
                    names.size() + " class name" + (names.size() == 1 ? "" : "s") + " for " + classes + " classes")
                .label("expected " + classes + " names")
                .secondary(a.given("classes") ? a.span("classes") : null, "classes")
                .help("give one name per class, in class order"));
            return null;
        }
        if (implied.isPresent() && implied.getAsInt() != classes) {
            sink.report(Diagnostic.error(Code.OUT_OF_RANGE, a.given("classes") ? a.span("classes") : head,
                    classes + " classes, but the source has " + implied.getAsInt())
                .label("does not match the source")
                .help("write `classes " + implied.getAsInt() + "`"));
            return null;
        }
        return of(encoding, classes, 0, names, head);
    }
}
