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
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Directive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Checks a `dataset` block and builds its {@link DatasetIR}: every statement bound to its schema,
 * the sample shape followed through the `features` steps, labels, splits and augmentations
 * checked against it, and the data-handling tips as lints. Data files are only peeked at.
 */
public final class DatasetChecker {
    /** The statements of a dataset, in the order they are described. */
    public static final List<String> STATEMENTS =
        List.of("source", "features", "labels", "split", "kfold", "normalize", "augment", "batch", "shuffle");

    private static final Schema AUGMENT = Schema.of(
        Attr.of("split", Type.choice(DatasetIR.TRAIN, DatasetIR.VAL, DatasetIR.TEST), "the split whose batches are augmented")
            .positional().required());

    private static final Schema SHUFFLE = Schema.of(
        Attr.of("on", Type.BOOL, "shuffle the training samples every epoch").positional().defaults(true));

    private final Decl.Dataset decl;
    private final Path baseDir;
    private final Diagnostics sink;
    private final String where;

    private DatasetChecker(Decl.Dataset decl, Path baseDir, Diagnostics sink) {
        this.decl = decl;
        this.baseDir = baseDir;
        this.sink = sink;
        this.where = "dataset `" + decl.name().name() + "`";
    }

    /** Data paths are resolved against {@code baseDir}, the folder of the `.dlx` file. */
    public static DatasetIR check(Decl.Dataset decl, Path baseDir, Diagnostics sink) {
        return new DatasetChecker(decl, baseDir, sink).run();
    }

    private DatasetIR run() {
        long errorsBefore = sink.errorCount();
        Map<String, List<Directive>> byWord = Statements.index(where, decl.body(), STATEMENTS, Set.of("augment"), sink);

        Directive sourceStmt = first(byWord, "source");
        Source source = source(sourceStmt);
        Shape shape = source == null ? Shape.UNKNOWN : source.sampleShape();
        Span shapeSpan = sourceStmt == null ? null : Statements.head(sourceStmt);

        List<FeatureStep> steps = new ArrayList<>();
        Directive featuresStmt = first(byWord, "features");
        if (featuresStmt != null) {
            Statements.noBlock(featuresStmt, sink);
            for (Group g : groups(featuresStmt)) {
                StepContext ctx = new StepContext(g.kind().name(), shape, g.span(), sink);
                FeatureStep step;
                Shape next;
                try {
                    step = FeatureSteps.KINDS.build(g.kind(), g.kind().name(), g.args(), g.span(), ctx, sink);
                    next = step == null ? Shape.UNKNOWN : step.apply(shape);
                } catch (ArithmeticException tooLarge) {
                    sink.report(Diagnostic.error(Code.SHAPE_TOO_LARGE, g.span(), "the samples have too many elements to count")
                        .label("over 2^63 elements"));
                    step = null;
                    next = Shape.UNKNOWN;
                }
                if (step == null) {
                    shape = Shape.UNKNOWN;
                    continue;
                }
                steps.add(step);
                if (!next.equals(shape)) shapeSpan = step.span();
                shape = next;
            }
        }

        LabelSpec labels = labels(first(byWord, "labels"), source, sourceStmt);

        Directive splitStmt = first(byWord, "split");
        Split split = null;
        if (splitStmt != null) {
            Statements.noBlock(splitStmt, sink);
            split = Split.bind(Statements.values(splitStmt, sink), Statements.head(splitStmt),
                source != null && source.hasTestFiles(), sink);
            if (split != null && split.stratify() && labels != null && labels.encoding() == LabelSpec.Encoding.SPARSE && labels.shape().rank() > 0) {
                sink.report(Diagnostic.error(Code.OUT_OF_RANGE, split.span(), "`stratify` needs one class per sample, but every step has a label")
                    .label("cannot stratify per-step labels")
                    .help("remove `stratify`"));
            }
        }
        Directive kfoldStmt = first(byWord, "kfold");
        KFold kfold = null;
        if (kfoldStmt != null) {
            Statements.noBlock(kfoldStmt, sink);
            kfold = KFold.bind(Statements.values(kfoldStmt, sink), Statements.head(kfoldStmt), sink);
        }

        Normalize normalize = normalize(first(byWord, "normalize"), splitStmt);
        List<AugmentBlock> augments = augments(byWord.getOrDefault("augment", List.of()), shape);

        int batch = DatasetIR.DEFAULT_BATCH;
        Span batchSpan = null;
        Directive batchStmt = first(byWord, "batch");
        if (batchStmt != null) {
            Statements.noBlock(batchStmt, sink);
            Attrs a = Statements.bind("batch", BatchSize.SCHEMA, Statements.values(batchStmt, sink), Statements.head(batchStmt), sink);
            if (a.complete()) {
                batch = a.integer("size");
                batchSpan = Statements.head(batchStmt);
                BatchSize.lint(batch, a.span("size"), sink);
            }
        }
        boolean shuffle = true;
        Directive shuffleStmt = first(byWord, "shuffle");
        if (shuffleStmt != null) {
            Statements.noBlock(shuffleStmt, sink);
            Attrs a = Statements.bind("shuffle", SHUFFLE, Statements.values(shuffleStmt, sink), Statements.head(shuffleStmt), sink);
            if (a.complete()) shuffle = a.flag("on");
        }

        boolean valid = sink.errorCount() == errorsBefore;
        return new DatasetIR(decl.name().name(), decl.span(), source, shape, shapeSpan, steps, labels, split, kfold,
            normalize, augments, batch, batchSpan, shuffle, valid);
    }

    private static Directive first(Map<String, List<Directive>> byWord, String word) {
        List<Directive> list = byWord.get(word);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    /** `dataset digits`: where a statement missing from the whole block is reported. */
    private Span header() {
        return Span.of(decl.span().file(), decl.span().start(), decl.name().span().end());
    }

    private Source source(Directive d) {
        if (d == null) {
            sink.report(Diagnostic.error(Code.MISSING_DIRECTIVE, header(), where + " has no `source`")
                .label("where do the samples come from?")
                .help("add a source, e.g. `source csv \"data/digits.csv.gz\" { features 0..63, label 64 }`"));
            return null;
        }
        Span head = Statements.head(d);
        return Sources.TABLE.choose("source", Statements.flat(d, sink), head, new SourceContext(baseDir, head, sink), sink);
    }

    /** One feature step as written: its kind, its arguments, its span. */
    private record Group(KindTable.Kind<StepContext, FeatureStep> kind, List<Value> args, Span span) {}

    /** `features reshape [8, 8, 1] scale 1/16`: the values split at step names. */
    private List<Group> groups(Directive d) {
        List<Value> values = Statements.values(d, sink);
        List<Group> out = new ArrayList<>();
        if (values.isEmpty()) {
            sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, d.word().span(), "`features` needs at least one step")
                .label("no steps")
                .help("the steps are " + dev.dlx.compiler.schema.Suggest.list(FeatureSteps.KINDS.names())
                    + ", e.g. `features reshape [8, 8, 1] scale 1/16`"));
            return out;
        }
        KindTable.Kind<StepContext, FeatureStep> kind = null;
        List<Value> args = new ArrayList<>();
        Span span = null;
        for (Value v : values) {
            var next = v instanceof Value.Word w ? FeatureSteps.KINDS.lookup(w.value()) : java.util.Optional.<KindTable.Kind<StepContext, FeatureStep>>empty();
            if (next.isPresent()) {
                if (kind != null) out.add(new Group(kind, List.copyOf(args), span));
                kind = next.get();
                args.clear();
                span = v.span();
            } else if (kind == null) {
                if (v instanceof Value.Word w) {
                    Statements.unknown("feature step", where, w.value(), v.span(), FeatureSteps.KINDS.names(), sink);
                } else {
                    sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, v.span(), "`features` starts with a step name, found " + v)
                        .label("expected a step")
                        .help("the steps are " + dev.dlx.compiler.schema.Suggest.list(FeatureSteps.KINDS.names())));
                }
                return out;
            } else {
                args.add(v);
                span = span.to(v.span());
            }
        }
        out.add(new Group(kind, List.copyOf(args), span));
        return out;
    }

    private LabelSpec labels(Directive d, Source source, Directive sourceStmt) {
        if (d == null) {
            if (source instanceof TextSource t && t.windows()) {
                return new LabelSpec(LabelSpec.Encoding.SPARSE, t.vocab(), 0, List.of(), t.labelShape(), Statements.head(sourceStmt));
            }
            return LabelSpec.none(sourceStmt == null ? header() : Statements.head(sourceStmt));
        }
        Statements.noBlock(d, sink);
        Span head = Statements.head(d);
        if (source != null && !source.hasLabels()) {
            sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, head, "`labels` describes labels, but the source provides none")
                .label("no labels to describe")
                .secondary(source.span(), "unlabelled source")
                .help(switch (source.kind()) {
                    case "idx" -> "name the labels file: `source idx \"images\" labels \"labels\"`";
                    case "text" -> "`window N` labels each window with the token that follows it";
                    case "images" -> "put the images in one subfolder per class";
                    default -> "name the label column in the source: `label N`";
                }));
            return null;
        }
        OptionalInt implied = source == null ? OptionalInt.empty()
            : source.classCount().isPresent() ? source.classCount() : source.vocabulary();
        if (source instanceof TextSource t && !t.windows()) implied = OptionalInt.empty();
        int labelColumns = source instanceof CsvSource c ? c.labelColumns().size() : -1;
        LabelSpec bound = LabelSpec.bind(Statements.values(d, sink), head, implied, labelColumns, sink);
        if (bound != null && source instanceof TextSource t && t.everyStep()) {
            if (bound.encoding() != LabelSpec.Encoding.SPARSE) {
                sink.report(Diagnostic.error(Code.LOSS_LABEL_MISMATCH, head,
                        "`targets all` labels every step with a token id, but `labels` asks for " + bound.encoding().name().toLowerCase())
                    .label("per-step labels are class indices")
                    .secondary(t.span(), "targets all")
                    .help("write `labels classes " + bound.classes() + " sparse` (or remove `labels`)"));
                return null;
            }
            return new LabelSpec(bound.encoding(), bound.classes(), 0, bound.names(), t.labelShape(), bound.span());
        }
        return bound;
    }

    private Normalize normalize(Directive d, Directive splitStmt) {
        if (d == null) return null;
        Statements.noBlock(d, sink);
        Span head = Statements.head(d);
        Attrs a = Statements.bind("normalize", Normalize.SCHEMA, Statements.values(d, sink), head, sink);
        if (!a.complete()) return null;
        Normalize.Mode mode = Normalize.Mode.valueOf(a.word("mode").toUpperCase());
        boolean before = splitStmt != null && d.span().start() < splitStmt.span().start();
        if (before && mode == Normalize.Mode.FEATUREWISE) {
            sink.report(Diagnostic.warning(Code.LINT_NORMALIZE_BEFORE_SPLIT, head,
                    "`normalize` is written before `split`, but its statistics come from the training split only")
                .label("reads as if fitted on the whole data set")
                .secondary(Statements.head(splitStmt), "the statistics come from this split's training part")
                .note("the order of the statements does not change this: statistics of the whole data set would leak "
                    + "validation and test data into training")
                .help("move `normalize` after `split`, so the dataset reads in the order it runs"));
        }
        return new Normalize(mode, before, head);
    }

    private List<AugmentBlock> augments(List<Directive> stmts, Shape shape) {
        List<AugmentBlock> out = new ArrayList<>();
        Map<String, Span> seen = new HashMap<>();
        for (Directive d : stmts) {
            Span head = Statements.head(d);
            Attrs a = Statements.bind("augment", AUGMENT, Statements.values(d, sink), head, sink);
            if (!a.complete()) continue;
            String splitName = a.word("split");
            if (seen.containsKey(splitName)) {
                Statements.duplicate("augment " + splitName, head, seen.get(splitName), sink);
                continue;
            }
            seen.put(splitName, head);
            if (!splitName.equals(DatasetIR.TRAIN)) {
                sink.report(Diagnostic.warning(Code.LINT_AUGMENT_EVAL, a.span("split"), "augmenting the `" + splitName + "` split")
                    .label("evaluation data")
                    .note("augmented " + (splitName.equals(DatasetIR.VAL) ? "validation" : "test") + " data make the measured scores noisy and biased")
                    .help("augment only `train`: write `augment train { ... }`"));
            }
            if (!d.hasBlock()) {
                sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, head, "`augment " + splitName + "` needs a block of augmentations")
                    .label("no augmentations")
                    .help("for example `augment " + splitName + " { flip horizontal p 0.5 }`"));
                continue;
            }
            List<Augmentation> steps = new ArrayList<>();
            for (Directive n : d.nested()) {
                String word = n.word().name();
                var kind = Augmentations.KINDS.lookup(word);
                if (kind.isEmpty()) {
                    Statements.unknown("augmentation", "`augment " + splitName + "`", word, n.word().span(),
                        Augmentations.KINDS.names(), sink);
                    continue;
                }
                Statements.noBlock(n, sink);
                Span stepHead = Statements.head(n);
                StepContext ctx = new StepContext(word, shape, stepHead, sink);
                Augmentation step = Augmentations.KINDS.build(kind.get(), word, Statements.values(n, sink), stepHead, ctx, sink);
                if (step != null) steps.add(step);
            }
            out.add(new AugmentBlock(splitName, steps, head));
        }
        return out;
    }
}
