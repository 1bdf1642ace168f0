package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.resolve.FileAccess;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Suggest;
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
        List.of("source", "features", "labels", "split", "kfold", "normalize", "augment", "batch", "shuffle", "pairs", "triplets");

    public static final Schema AUGMENT = Schema.of(
        Attr.of("split", Type.choice(DatasetIR.TRAIN, DatasetIR.VAL, DatasetIR.TEST), "the split whose batches are augmented")
            .positional().required());

    public static final Schema SHUFFLE = Schema.of(
        Attr.of("on", Type.BOOL, "shuffle the training samples every epoch").positional().defaults(true));

    private final Decl.Dataset decl;
    private final Path baseDir;
    private final FileAccess access;
    private final Diagnostics sink;
    private final String where;

    private DatasetChecker(Decl.Dataset decl, Path baseDir, FileAccess access, Diagnostics sink) {
        this.decl = decl;
        this.baseDir = baseDir;
        this.access = access;
        this.sink = sink;
        this.where = "dataset `" + decl.name().name() + "`";
    }

    /** Data paths are resolved against {@code baseDir}, the folder of the `.dlx` file. */
    public static DatasetIR check(Decl.Dataset decl, Path baseDir, Diagnostics sink) {
        return check(decl, baseDir, FileAccess.ANY, sink);
    }

    /** As {@link #check(Decl.Dataset, Path, Diagnostics)}, reading only the data files {@code access} allows. */
    public static DatasetIR check(Decl.Dataset decl, Path baseDir, FileAccess access, Diagnostics sink) {
        return new DatasetChecker(decl, baseDir, access, sink).run();
    }

    private DatasetIR run() {
        long errorsBefore = sink.errorCount();
        Map<String, List<Directive>> byWord = Statements.index(where, decl.body(), STATEMENTS, Set.of("augment", "source"), sink);

        Directive sourceStmt = first(byWord, "source");
        Source source = sources(byWord.getOrDefault("source", List.of()), sourceStmt);
        Span shapeSpan = sourceStmt == null ? null : Statements.head(sourceStmt);

        Directive featuresStmt = first(byWord, "features");
        List<String> featureNames = source == null ? List.of(FeatureIR.DEFAULT) : source.featureNames();
        Map<String, List<Group>> stepGroups = featuresStmt == null ? Map.of() : stepGroups(featuresStmt, featureNames);
        List<FeatureIR> features = new ArrayList<>();
        for (String name : featureNames) {
            Shape start = source == null ? Shape.UNKNOWN : source.sampleShape(name);
            boolean named = source != null && source.namesFeatures();
            features.add(feature(name, named, start, named ? featureSpan(source, name) : shapeSpan,
                stepGroups.getOrDefault(name, List.of()), featureSpan(source, name)));
        }
        FeatureIR firstFeature = features.get(0);
        Shape shape = firstFeature.shape();
        Span featureShapeSpan = firstFeature.shapeSpan();
        List<FeatureStep> steps = firstFeature.steps();

        List<LabelIR> namedLabels = source instanceof ParallelSource p ? ParallelSplits.labels(p, first(byWord, "labels"), sink)
            : source != null && source.namesLabels() ? namedLabels(first(byWord, "labels"), source) : null;
        LabelSpec labels = namedLabels != null
            ? (namedLabels.isEmpty() || namedLabels.get(0).spec() == null ? null : namedLabels.get(0).spec())
            : labels(first(byWord, "labels"), source, sourceStmt);
        if (namedLabels == null) {
            namedLabels = labels == null || labels.encoding() == LabelSpec.Encoding.NONE ? List.of()
                : List.of(new LabelIR(LabelIR.DEFAULT, false, labels, labels.span()));
        }
        for (Source part : source instanceof ZippedSource z ? List.<Source>copyOf(z.parts()) : source == null ? List.<Source>of() : List.of(source)) {
            if (part instanceof CsvSource csv) {
                LabelCells.scan(csv, namedLabels.stream().filter(l -> !l.named() || csv.labelNames().contains(l.name())).toList(), baseDir, sink);
            }
        }

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
        if (split != null && (split.hasVal() || split.hasTest()) && source instanceof TextSource t && t.examples() != null) {
            sink.report(Diagnostic.error(Code.SAMPLING, split.span(), "`examples " + t.examples().kind().word()
                    + "` are drawn from the whole text, which is not split")
                .label("no validation or test examples to hold out")
                .secondary(t.examples().span(), "examples")
                .help("remove `split`: word embeddings are judged by their neighbours and analogies (`dlxc embed`)"));
        }
        if (source instanceof ParallelSource p) split = ParallelSplits.split(p, split, sink);
        Directive kfoldStmt = first(byWord, "kfold");
        KFold kfold = null;
        if (kfoldStmt != null) {
            Statements.noBlock(kfoldStmt, sink);
            kfold = KFold.bind(Statements.values(kfoldStmt, sink), Statements.head(kfoldStmt), sink);
        }

        Normalize normalize = normalize(first(byWord, "normalize"), splitStmt);
        List<AugmentBlock> augments = augments(byWord.getOrDefault("augment", List.of()), features);

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

        Sampling sampling = sampling(byWord, source, labels);
        if (sampling != null) {
            List<FeatureIR> drawn = new ArrayList<>();
            for (String name : sampling.kind().features()) {
                drawn.add(new FeatureIR(name, true, shape, featureShapeSpan, steps, sampling.span()));
            }
            features = drawn;
            namedLabels = sampling.kind() == Sampling.Kind.PAIRS
                ? List.of(new LabelIR(Sampling.SAME, true, LabelSpec.of(LabelSpec.Encoding.BINARY, 2, 0, List.of("different", "same"),
                    sampling.span()), sampling.span()))
                : List.of();
        }

        boolean valid = sink.errorCount() == errorsBefore;
        return new DatasetIR(decl.name().name(), decl.span(), source, shape, featureShapeSpan, steps, labels, split, kfold,
            normalize, augments, batch, batchSpan, shuffle, features, namedLabels, sampling, valid);
    }

    /** `pairs ...` or `triplets ...`: at most one, over a source's one unnamed feature and its class labels. */
    private Sampling sampling(Map<String, List<Directive>> byWord, Source source, LabelSpec labels) {
        Directive pairs = first(byWord, "pairs"), triplets = first(byWord, "triplets");
        if (pairs == null && triplets == null) return null;
        if (pairs != null && triplets != null) {
            Directive later = pairs.span().start() > triplets.span().start() ? pairs : triplets;
            sink.report(Diagnostic.error(Code.SAMPLING, Statements.head(later), "a dataset draws either `pairs` or `triplets`, not both")
                .label("second drawing")
                .help("keep one; a second dataset over the same source can draw the other"));
            return null;
        }
        Directive d = pairs != null ? pairs : triplets;
        Statements.noBlock(d, sink);
        Sampling s = Sampling.bind(pairs != null ? Sampling.Kind.PAIRS : Sampling.Kind.TRIPLETS, Statements.values(d, sink), Statements.head(d), sink);
        if (s == null || source == null) return null;
        String word = s.kind().word();
        if (source.namesFeatures() || source.namesLabels()) {
            sink.report(Diagnostic.error(Code.SAMPLING, s.span(), "`" + word + "` are drawn from a source with one feature and one label")
                .label("the source names its columns")
                .secondary(Statements.head(first(byWord, "source")), "named features or labels")
                .help("write the source as `{ features 0..63, label 64 }`: `" + word + "` names the drawn features `"
                    + String.join("`, `", s.kind().features()) + "`"));
            return null;
        }
        boolean classes = labels != null && (labels.encoding() == LabelSpec.Encoding.ONEHOT || labels.encoding() == LabelSpec.Encoding.SPARSE
            || labels.encoding() == LabelSpec.Encoding.BINARY) && labels.classes() >= 2 && (labels.shape().isUnknown() || labels.shape().rank() <= 1)
            && !(labels.encoding() == LabelSpec.Encoding.SPARSE && labels.shape().rank() == 1);
        if (labels == null) return null; // the `labels` statement was wrong, and reported
        if (!classes) {
            sink.report(Diagnostic.error(Code.SAMPLING, s.span(), "`" + word + "` are drawn by class, but the labels are "
                    + (labels.encoding() == LabelSpec.Encoding.NONE ? "missing" : labels.encoding().name().toLowerCase(java.util.Locale.ROOT)
                        + (labels.encoding() == LabelSpec.Encoding.SPARSE ? " per step" : "")))
                .label("needs one class per sample")
                .secondary(labels.span(), "the labels")
                .help("describe the labels as classes, e.g. `labels classes 10 sparse`"));
            return null;
        }
        for (int c : s.holdout()) {
            if (c < 0 || c >= labels.classes()) {
                sink.report(Diagnostic.error(Code.OUT_OF_RANGE, s.span(), "`holdout` names class " + c + ", but the classes are 0 to "
                        + (labels.classes() - 1))
                    .label("no such class")
                    .help("hold out classes between 0 and " + (labels.classes() - 1)));
                return null;
            }
        }
        if (labels.classes() - new java.util.HashSet<>(s.holdout()).size() < 2) {
            sink.report(Diagnostic.error(Code.OUT_OF_RANGE, s.span(), "`holdout` leaves fewer than two classes to train on")
                .label("too many held out")
                .help("a negative needs another class: hold out at most " + (labels.classes() - 2) + " of " + labels.classes()));
            return null;
        }
        return s;
    }

    private static Directive first(Map<String, List<Directive>> byWord, String word) {
        List<Directive> list = byWord.get(word);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    /** `dataset digits`: where a statement missing from the whole block is reported. */
    private Span header() {
        return Span.of(decl.span().file(), decl.span().start(), decl.name().span().end());
    }

    /** One source, or several zipped by row; null after an error. */
    private Source sources(List<Directive> stmts, Directive first) {
        if (stmts.size() <= 1) return source(first);
        List<Source> parts = new ArrayList<>();
        for (Directive d : stmts) parts.add(source(d));
        if (parts.contains(null)) return null;
        return ZippedSource.of(parts, stmts.stream().map(Statements::head).toList(), sink);
    }

    private Source source(Directive d) {
        if (d == null) {
            sink.report(Diagnostic.error(Code.MISSING_DIRECTIVE, header(), where + " has no `source`")
                .label("where do the samples come from?")
                .help("add a source, e.g. `source csv \"data/digits.csv.gz\" { features 0..63, label 64 }`"));
            return null;
        }
        Span head = Statements.head(d);
        List<SourceContext.NamedValues> features = new ArrayList<>(), labels = new ArrayList<>();
        List<Value> flat = Statements.flat(d, sink);
        boolean delimited = !flat.isEmpty() && flat.get(0) instanceof Value.Word k && (k.value().equals("csv") || k.value().equals("tsv"));
        if (!delimited) {
            if (!flat.isEmpty() && flat.get(0) instanceof Value.Word k && k.value().equals("idx")) {
                flat = IdxSource.namedLabels(flat, labels, sink); // `labels digit "train-labels", parity "parity-labels"`
                if (flat == null) return null;
            }
            return Sources.TABLE.choose("source", flat, head, new SourceContext(baseDir, access, head, sink, List.of(), labels), sink);
        }
        // `features image 0..783, labels digit 784, parity 785`: the names are taken out for the schema,
        // which sees the columns only; `labels` is `label` in the plural
        Set<String> attributes = new java.util.HashSet<>(CsvSource.schema().attrs().stream().map(Attr::name).toList());
        attributes.add("labels");
        List<Value> out = new ArrayList<>();
        String attr = null;
        List<Value> segment = new ArrayList<>();
        for (Value v : flat) {
            if (v instanceof Value.Word w && attributes.contains(w.value())) {
                if (!columnSegment(attr, segment, features, labels, out)) return null;
                attr = w.value();
                segment = new ArrayList<>();
                out.add(attr.equals("labels") ? new Value.Word("label", w.span()) : v);
            } else if (attr != null && (attr.equals("features") || attr.startsWith("label"))) {
                segment.add(v);
            } else {
                out.add(v);
            }
        }
        if (!columnSegment(attr, segment, features, labels, out)) return null;
        flat = out;
        return Sources.TABLE.choose("source", flat, head, new SourceContext(baseDir, access, head, sink, features, labels), sink);
    }

    /**
     * `features image 0..783, extra 784..790`: the groups of columns that a name (a bare word)
     * starts. Without names nothing is collected; columns before the first name are an error.
     */
    private boolean columnSegment(String attr, List<Value> values, List<SourceContext.NamedValues> features,
                                  List<SourceContext.NamedValues> labels, List<Value> out) {
        if (attr == null || !(attr.equals("features") || attr.startsWith("label"))) return true;
        if (!named(values, attr.equals("features") ? features : labels, attr)) return false;
        for (Value v : values) if (!(v instanceof Value.Word)) out.add(v);
        return true;
    }

    private boolean named(List<Value> values, List<SourceContext.NamedValues> into, String attr) {
        if (values.stream().noneMatch(v -> v instanceof Value.Word)) return true;
        String name = null;
        Span span = null;
        List<Value> cols = new ArrayList<>();
        for (Value v : values) {
            if (v instanceof Value.Word w) {
                if (name != null) into.add(new SourceContext.NamedValues(name, span, cols));
                name = w.value();
                span = w.span();
                cols = new ArrayList<>();
            } else if (name == null) {
                sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, v.span(), "columns before the first name in `" + attr + "`")
                    .label("whose columns?")
                    .help("name every group, e.g. `" + attr + (attr.equals("features") ? " image 0..783" : " digit 784")
                        + "`, or name none"));
                return false;
            } else {
                cols.add(v);
            }
        }
        into.add(new SourceContext.NamedValues(name, span, cols));
        for (SourceContext.NamedValues g : into) {
            if (g.values().isEmpty()) {
                sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, g.span(), "`" + g.name() + "` names no columns")
                    .label("no columns")
                    .help("write its columns after the name: `" + attr + " " + g.name() + " 0..63`"));
                return false;
            }
        }
        return true;
    }

    /** Where a feature is named: its name in a csv source, else the source (or the dataset's header without one). */
    private Span featureSpan(Source source, String name) {
        if (source instanceof CsvSource c && c.namesFeatures()) {
            return c.featureGroups().stream().filter(g -> g.name().equals(name)).findFirst().map(ColumnGroup::span).orElse(c.span());
        }
        return source == null ? header() : source.span();
    }

    /** A feature through its steps: the shape after each, and the step that last changed it. */
    private FeatureIR feature(String name, boolean named, Shape start, Span startSpan, List<Group> groups, Span span) {
        Shape shape = start;
        Span shapeSpan = startSpan;
        List<FeatureStep> steps = new ArrayList<>();
        for (Group g : groups) {
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
        return new FeatureIR(name, named, shape, shapeSpan, steps, span);
    }

    /**
     * `features image reshape [8, 8, 1] scale 1/16, extra scale 0.5`: the steps of each feature. A
     * feature's name starts its steps; steps before any name apply to every feature.
     */
    private Map<String, List<Group>> stepGroups(Directive d, List<String> featureNames) {
        Statements.noBlock(d, sink);
        Map<String, List<Group>> out = new java.util.LinkedHashMap<>();
        for (String n : featureNames) out.put(n, new ArrayList<>());
        List<Value> values = Statements.values(d, sink);
        List<Value> common = new ArrayList<>();
        List<Value> current = common;
        Map<String, List<Value>> own = new java.util.LinkedHashMap<>();
        boolean named = featureNames.size() > 1 || !featureNames.get(0).equals(FeatureIR.DEFAULT);
        for (Value v : values) {
            if (named && v instanceof Value.Word w && featureNames.contains(w.value())) {
                if (own.containsKey(w.value())) {
                    Statements.duplicate("features " + w.value(), w.span(), own.get(w.value()).isEmpty() ? w.span()
                        : own.get(w.value()).get(0).span(), sink);
                }
                current = own.computeIfAbsent(w.value(), k -> new ArrayList<>());
                continue;
            }
            current.add(v);
        }
        List<Group> shared = common.isEmpty() && !own.isEmpty() ? List.of() : groups(d, common);
        for (String n : featureNames) {
            out.get(n).addAll(shared);
            if (own.containsKey(n)) {
                List<Value> vs = own.get(n);
                if (vs.isEmpty()) {
                    sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, d.word().span(), "`features " + n + "` names no steps")
                        .label("no steps for `" + n + "`")
                        .help("write its steps after the name, e.g. `features " + n + " scale 1/16`"));
                } else {
                    out.get(n).addAll(groups(d, vs));
                }
            }
        }
        return out;
    }

    /** One feature step as written: its kind, its arguments, its span. */
    private record Group(KindTable.Kind<StepContext, FeatureStep> kind, List<Value> args, Span span) {}

    /** `features reshape [8, 8, 1] scale 1/16`: the values split at step names. */
    private List<Group> groups(Directive d, List<Value> values) {
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
        if (source instanceof BoxSource boxes) {
            if (d != null) {
                sink.report(Diagnostic.error(Code.UNKNOWN_DIRECTIVE, Statements.head(d), "the labels of `source " + boxes.kind() + "` are its boxes")
                    .label("not needed")
                    .secondary(boxes.span(), "boxes and classes from the file")
                    .help("remove `labels`: the classes and their names come from the annotation file"));
                return null;
            }
            return boxes.labels();
        }
        if (d == null) {
            if (source instanceof TaggedSource tagged) return tagged.defaultLabels(Statements.head(sourceStmt));
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
        if (source instanceof TextSource t && !t.windows() || source instanceof TaggedSource) implied = OptionalInt.empty();
        int labelColumns = source instanceof CsvSource c ? c.labelColumns().size() : -1;
        LabelSpec bound = LabelSpec.bind(Statements.values(d, sink), head, implied, labelColumns, sink);
        if (bound != null && source instanceof TaggedSource tagged) return tagged.labels(bound, sink);
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

    /**
     * `labels digit classes 10 onehot, parity classes 2 binary`: each named label of the source with
     * its encoding; a label's name starts its attributes. A label the statement does not describe
     * (or every label, without the statement) has no encoding, which training reports.
     */
    private List<LabelIR> namedLabels(Directive d, Source source) {
        List<String> names = source.labelNames();
        Map<String, List<Value>> own = new java.util.LinkedHashMap<>();
        Map<String, Span> spans = new HashMap<>();
        if (d != null) {
            Statements.noBlock(d, sink);
            List<Value> current = null;
            for (Value v : Statements.values(d, sink)) {
                if (v instanceof Value.Word w && names.contains(w.value())) {
                    if (own.containsKey(w.value())) Statements.duplicate("labels " + w.value(), w.span(), spans.get(w.value()), sink);
                    current = new ArrayList<>();
                    own.put(w.value(), current);
                    spans.put(w.value(), w.span());
                } else if (current == null) {
                    sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, v.span(), "`labels` describes several labels: name each first")
                        .label("which label?")
                        .help("the labels are " + Suggest.list(names) + ", e.g. `labels " + names.get(0) + " classes 10 onehot`"));
                    return names.stream().map(n -> new LabelIR(n, true, null, source.span())).toList();
                } else {
                    current.add(v);
                }
            }
        }
        List<LabelIR> out = new ArrayList<>();
        for (String n : names) {
            CsvSource csv = source instanceof CsvSource c ? c : source instanceof ZippedSource z ? z.labelPart(n) : null;
            Span at = source.labelSpan(n);
            if (!own.containsKey(n)) {
                if (d != null) {
                    sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, Statements.head(d), "`labels` does not say how label `" + n + "` is encoded")
                        .label("no `" + n + "` here")
                        .secondary(at, "label `" + n + "`")
                        .help("add `, " + n + " classes N onehot` (or `sparse`, `binary`, `regression`)"));
                }
                out.add(new LabelIR(n, true, LabelSpec.none(d == null ? at : Statements.head(d)), at));
                continue;
            }
            List<Value> vs = own.get(n);
            Span head = Statements.spanOf(vs, spans.get(n)).to(spans.get(n));
            int columns = csv == null ? -1 : csv.labelGroup(n).columns().size();
            LabelSpec spec = LabelSpec.bind(vs, head, OptionalInt.empty(), columns, sink);
            out.add(new LabelIR(n, true, spec, at));
        }
        return out;
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

    private List<AugmentBlock> augments(List<Directive> stmts, List<FeatureIR> features) {
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
                // every feature is augmented: the step is checked against each distinct shape
                Augmentation step = null;
                boolean ok = true;
                for (Shape shape : features.stream().map(FeatureIR::shape).distinct().toList()) {
                    StepContext ctx = new StepContext(word, shape, stepHead, sink);
                    step = Augmentations.KINDS.build(kind.get(), word, Statements.values(n, sink), stepHead, ctx, sink);
                    ok &= step != null;
                }
                if (ok && step != null) steps.add(step);
            }
            out.add(new AugmentBlock(splitName, steps, head));
        }
        return out;
    }
}
