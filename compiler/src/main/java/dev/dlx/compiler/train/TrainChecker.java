package dev.dlx.compiler.train;

import dev.dlx.compiler.data.BatchSize;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.KindTable;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.data.Statements;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Directive;
import dev.dlx.compiler.train.expr.ExpressionMetric;
import dev.dlx.compiler.train.expr.LossExpr;
import dev.dlx.compiler.train.expr.TensorEnv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Checks a `train MODEL on DATASET { ... }` block and builds its {@link TrainIR}: every rule bound
 * to its schema, then the pairings of the seeds' workflow — model input against the data's
 * samples, loss against labels, output against labels, last activation against loss — and the
 * training tips as lints. The model or the dataset may be null when they failed to resolve; what
 * needs them is then skipped.
 */
public final class TrainChecker {
    /** The statements of a training block. */
    public static final List<String> STATEMENTS = List.of("loss", "optimizer", "schedule", "init", "regularize", "epochs",
        "batch", "early_stop", "clip", "metrics", "metric", "freeze", "load", "seed", "step", "alternate", "noise",
        "phase", "unfreeze", "precision");

    private static final Set<String> REPEATABLE = Set.of("regularize", "freeze", "metric", "step", "noise", "phase");

    /** The statements of a `phase` block. */
    public static final List<String> PHASE_STATEMENTS = List.of("epochs", "freeze", "unfreeze", "optimizer");

    /** What a training with `step` blocks does not take at its top level. */
    private static final List<String> NOT_WITH_STEPS = List.of("loss", "schedule", "early_stop", "clip", "regularize", "load");

    public static final Schema EPOCHS = Schema.of(
        Attr.of("count", Type.INT, "passes over the training data").positional().required().atLeast(1));
    public static final Schema SEED = Schema.of(
        Attr.of("value", Type.INT, "seed of every random draw (initialization, shuffling, dropout)").positional().required());
    public static final Schema LOAD = Schema.of(
        Attr.of("path", Type.STRING, "weights saved by an earlier run, relative to the `.dlx` file").positional().required());

    private final Decl.Train decl;
    private final ModelIR model;
    private final DatasetIR data;
    private final Diagnostics sink;
    private final Map<String, Span> spans = new LinkedHashMap<>();

    private TrainChecker(Decl.Train decl, ModelIR model, DatasetIR data, Diagnostics sink) {
        this.decl = decl;
        this.model = model;
        this.data = data;
        this.sink = sink;
    }

    public static TrainIR check(Decl.Train decl, ModelIR model, DatasetIR data, Diagnostics sink) {
        return new TrainChecker(decl, model, data, sink).run();
    }

    private TrainIR run() {
        long errorsBefore = sink.errorCount();
        Map<String, List<Directive>> byWord = Statements.index("training of `" + decl.model().name() + "`", decl.body(),
            STATEMENTS, REPEATABLE, sink);
        for (Map.Entry<String, List<Directive>> e : byWord.entrySet()) {
            spans.put(e.getKey(), Statements.head(e.getValue().get(0)));
            if (!e.getKey().equals("step") && !e.getKey().equals("phase")) e.getValue().forEach(d -> Statements.noBlock(d, sink));
        }
        List<Directive> stepStmts = byWord.getOrDefault("step", List.of());
        boolean stepped = !stepStmts.isEmpty();
        boolean validation = data == null || data.hasValidation();

        LossExprChecker exprs = new LossExprChecker(model, data, TensorEnv.of(model, data), validation, sink);
        Directive lossStmt = first(byWord, "loss");
        boolean oneWord = lossStmt != null && exprs.isSugar(lossStmt.args());
        LossSpec loss = null;
        LossExpr objective = null;
        if (stepped) {
            oneWord = false; // each step's loss is checked with its step
        } else if (lossStmt == null) {
            missing("loss", exampleLoss());
        } else if (oneWord) {
            loss = choose(LossSpec.TABLE, lossStmt, validation);
            objective = exprs.sugar(loss);
        } else {
            objective = exprs.root("loss", lossStmt.args(), Statements.head(lossStmt));
            loss = LossExprChecker.headLoss(objective);
        }
        Directive optStmt = first(byWord, "optimizer");
        Optimizer optimizer = optStmt == null ? (stepped ? null : missing("optimizer", "optimizer adam lr 1e-3"))
            : choose(Optimizers.TABLE, optStmt, validation);
        Schedule schedule = stepped ? null : choose(Schedules.TABLE, first(byWord, "schedule"), validation);
        Init init = choose(Init.TABLE, first(byWord, "init"), validation);
        if (init == null) init = Init.defaultFor(header());

        LayerNames names = model == null ? null : new LayerNames(model);
        List<Regularizer> regularizers = new ArrayList<>();
        for (Directive d : stepped ? List.<Directive>of() : byWord.getOrDefault("regularize", List.of())) {
            Regularizer r = choose(Regularizer.TABLE, d, validation);
            if (r != null) regularizers.add(resolve(r, names));
        }

        int epochs = TrainIR.DEFAULT_EPOCHS;
        Attrs epochsAttrs = bind("epochs", EPOCHS, first(byWord, "epochs"));
        if (epochsAttrs != null) epochs = epochsAttrs.integer("count");

        int batch = data == null ? DatasetIR.DEFAULT_BATCH : data.batchSize();
        Attrs batchAttrs = bind("batch", BatchSize.SCHEMA, first(byWord, "batch"));
        if (batchAttrs != null) {
            batch = batchAttrs.integer("size");
            BatchSize.lint(batch, batchAttrs.span("size"), sink);
        }

        boolean regression = Metrics.regression(loss, data);
        List<Metric> metrics = Metrics.defaults(regression);
        Directive metricsStmt = first(byWord, "metrics");
        if (metricsStmt != null) {
            metrics = Metrics.parse(Statements.values(metricsStmt, sink), Statements.head(metricsStmt), regression, loss, sink);
        }
        Set<String> metricNames = new LinkedHashSet<>(Metric.words());
        List<ExpressionMetric> expressionMetrics = new ArrayList<>();
        for (Directive d : byWord.getOrDefault("metric", List.of())) {
            ExpressionMetric m = exprs.metric(d, metricNames);
            if (m != null) expressionMetrics.add(m);
        }
        List<String> named = expressionMetrics.stream().map(ExpressionMetric::name).toList();

        EarlyStop earlyStop = stepped ? null : earlyStop(first(byWord, "early_stop"), metrics, named, validation);
        if (schedule instanceof Schedule.Plateau p && p.monitorSpan() != null) {
            Metrics.checkMonitor(p.monitor(), p.monitorSpan(), metrics, named, data, sink);
        }
        Clip clip = stepped ? null : choose(Clip.TABLE, first(byWord, "clip"), validation);
        Precision precision = precision(first(byWord, "precision"), stepped, validation);
        List<String> frozen = freeze(byWord.getOrDefault("freeze", List.of()), names);
        Directive unfreezeTop = first(byWord, "unfreeze");
        if (unfreezeTop != null) {
            sink.report(Diagnostic.error(Code.PHASE_STATEMENT, Statements.head(unfreezeTop), "`unfreeze` belongs in a `phase` block")
                .label("not inside a phase")
                .help("write it in a phase: `phase all { epochs 2 ; unfreeze " + "conv_1 }`, or leave the layer out of `freeze`"));
        }
        List<Phase> phases = phases(byWord.getOrDefault("phase", List.of()), frozen, optimizer, names, first(byWord, "epochs"), stepped, validation);
        if (!phases.isEmpty()) epochs = phases.stream().mapToInt(Phase::epochs).sum();

        Path load = null;
        Attrs loadAttrs = bind("load", LOAD, first(byWord, "load"));
        if (loadAttrs != null) load = resolvePath(loadAttrs.word("path"));
        OptionalInt seed = OptionalInt.empty();
        Attrs seedAttrs = bind("seed", SEED, first(byWord, "seed"));
        if (seedAttrs != null) seed = OptionalInt.of(seedAttrs.integer("value"));

        StepChecker stepChecker = new StepChecker(model, names, exprs, validation, sink);
        List<Noise> noise = new ArrayList<>();
        Set<String> noiseInputs = new LinkedHashSet<>();
        for (Directive d : byWord.getOrDefault("noise", List.of())) {
            Noise n = stepChecker.noise(d, noiseInputs);
            if (n != null) noise.add(n);
        }
        List<Step> steps = List.of();
        if (stepped) {
            for (String word : NOT_WITH_STEPS) {
                Directive d = first(byWord, word);
                if (d != null) stepChecker.outOfPlace(Statements.head(d), "`" + word + "` does not apply to a training with steps",
                    "not with `step`", word.equals("loss") ? "write each step's `loss` inside its `step` block"
                        : word.equals("load") ? "leave it out: a training with steps starts from its initialization"
                        : "leave it out: each step trains with its own optimizer at a constant learning rate");
            }
            steps = stepChecker.steps(stepStmts, first(byWord, "alternate"), optimizer);
            if (steps.size() == stepStmts.size() && !steps.isEmpty()) {
                objective = steps.get(0).objective();
                loss = LossExprChecker.headLoss(objective);
                if (optimizer == null) optimizer = steps.get(0).optimizer();
            }
            metrics = List.of();
        } else if (first(byWord, "alternate") != null) {
            stepChecker.outOfPlace(Statements.head(first(byWord, "alternate")), "`alternate` orders the `step` blocks, and this training has none",
                "no steps to alternate", "define the steps: `step D { loss ...; updates ...; optimizer ... }`, or leave `alternate` out");
        }
        if (stepped) {
            List<LossExpr> read = new ArrayList<>();
            steps.forEach(st -> read.add(st.objective()));
            if (!steps.isEmpty()) labelsNotRead(exprs.env(), read, expressionMetrics);
        } else if (objective != null && !oneWord) {
            labelsNotRead(exprs.env(), List.of(objective), expressionMetrics);
        }
        InputPairing.check(model, data, noiseInputs, decl.dataset().span(), sink);
        if (oneWord) LabelPairing.check(model, data, loss, decl.dataset().span(), sink);
        // word-embedding examples are drawn from a whole text, which is not split
        boolean wholeText = data != null && data.source() instanceof dev.dlx.compiler.data.TextSource text && text.examples() != null;
        if (data != null && !data.hasValidation() && !wholeText) {
            sink.report(Diagnostic.warning(Code.LINT_NO_VALIDATION, decl.dataset().span(),
                    "training on `" + data.name() + "` without a validation split")
                .label("no validation data")
                .secondary(data.split() == null ? null : data.split().span(), "no `val` share")
                .note("overfitting cannot be seen, and early stopping has nothing to watch")
                .help(data.source() instanceof dev.dlx.compiler.data.ParallelSource ? "give the source a file of validation pairs: `val \"FILE\"`"
                    : data.split() == null ? "add `split train 70%, val 15%, test 15%` to dataset `" + data.name() + "`, or `kfold 5` when data are scarce"
                    : "add a `val` share to the dataset's `split`, or `kfold 5` when data are scarce"));
        }

        boolean valid = sink.errorCount() == errorsBefore && phases.size() == byWord.getOrDefault("phase", List.of()).size() && (objective != null || loss != null) && optimizer != null
            && steps.size() == stepStmts.size();
        String dataset = data == null ? decl.dataset().name() : data.name();
        String modelName = model == null ? decl.model().name() : model.name();
        return new TrainIR(modelName, dataset, loss, objective, optimizer, schedule, init, regularizers, epochs, batch, earlyStop, clip,
            metrics, expressionMetrics, frozen, load, seed, spans, decl.span(), valid, steps, noise,
            StepChecker.generated(model, noiseInputs), phases, precision);
    }

    /**
     * `precision float32 | bf16` (float32 unless written). A training with `step` blocks computes in
     * float32 only: `bf16` there is an error.
     */
    private Precision precision(Directive d, boolean stepped, boolean validation) {
        Precision p = choose(Precision.TABLE, d, validation);
        if (p == null) return Precision.DEFAULT;
        if (stepped && p != Precision.FLOAT32) {
            sink.report(Diagnostic.error(Code.STEP_STATEMENT, Statements.head(d), "`precision " + p.word() + "` does not apply to a training with steps")
                .label("not with `step`")
                .note("the steps of a training with `step` blocks compute in float32")
                .help("leave `precision` out, or train one objective without `step` blocks"));
            return Precision.DEFAULT;
        }
        return p;
    }

    /**
     * The `phase NAME { ... }` blocks: unique names, each with its `epochs`, its frozen layers (the
     * block's {@code frozen}, the phase's `freeze`, less its `unfreeze`) and its optimizer (the block's
     * by default); a phase that freezes every weight is an error, and so are the block's own `epochs`
     * and `step` blocks beside phases.
     */
    private List<Phase> phases(List<Directive> stmts, List<String> frozen, Optimizer fallback, LayerNames names, Directive epochsTop,
                               boolean stepped, boolean validation) {
        if (stmts.isEmpty()) return List.of();
        if (epochsTop != null) {
            sink.report(Diagnostic.error(Code.PHASE_STATEMENT, Statements.head(epochsTop), "a training in phases has no `epochs` of its own")
                .label("the phases give the epochs")
                .secondary(Statements.head(stmts.get(0)), "the first phase")
                .help("write `epochs N` in each `phase`; the run trains for their sum"));
        }
        if (stepped) {
            sink.report(Diagnostic.error(Code.PHASE_STATEMENT, Statements.head(stmts.get(0)), "phases do not combine with `step` blocks")
                .label("a phase beside steps")
                .help("train in phases with one `loss`, or alternate steps without phases"));
        }
        List<Phase> out = new ArrayList<>();
        Map<String, Span> seen = new LinkedHashMap<>();
        for (Directive d : stmts) {
            boolean named = d.args().size() == 1 && d.args().get(0) instanceof dev.dlx.compiler.syntax.Expr.Name n && n.simple();
            if (!named || !d.hasBlock()) {
                sink.report(Diagnostic.error(Code.PHASE_STATEMENT, Statements.head(d), !named ? "`phase` takes a name and a block"
                        : "phase `" + ((dev.dlx.compiler.syntax.Expr.Name) d.args().get(0)).text() + "` has no block")
                    .label(!named ? "expected `phase NAME { ... }`" : "no `{ }`")
                    .help("for example `phase head { epochs 3 ; freeze until dense_1 }`"));
                continue;
            }
            String name = ((dev.dlx.compiler.syntax.Expr.Name) d.args().get(0)).text();
            Span nameSpan = d.args().get(0).span();
            if (seen.containsKey(name)) {
                sink.report(Diagnostic.error(Code.DUPLICATE_DEFINITION, nameSpan, "phase `" + name + "` is defined twice")
                    .label("second `" + name + "`")
                    .secondary(seen.get(name), "first defined here")
                    .help("give each phase its own name"));
                continue;
            }
            seen.put(name, nameSpan);
            long before = sink.errorCount();
            Map<String, List<Directive>> byWord = Statements.index("phase `" + name + "`", d.nested(), PHASE_STATEMENTS,
                Set.of("freeze", "unfreeze"), sink);
            byWord.values().forEach(list -> list.forEach(x -> Statements.noBlock(x, sink)));
            Attrs e = bind("epochs", EPOCHS, first(byWord, "epochs"));
            if (first(byWord, "epochs") == null) {
                sink.report(Diagnostic.error(Code.MISSING_DIRECTIVE, Statements.head(d), "phase `" + name + "` has no `epochs`")
                    .label("missing `epochs`")
                    .help("add a line such as `epochs 3` to the phase"));
            }
            Set<String> phaseFrozen = new LinkedHashSet<>(frozen);
            phaseFrozen.addAll(freeze(byWord.getOrDefault("freeze", List.of()), names));
            for (Directive u : byWord.getOrDefault("unfreeze", List.of())) phaseFrozen.removeAll(unfreeze(u, names));
            Directive optStmt = first(byWord, "optimizer");
            Optimizer optimizer = optStmt == null ? fallback : choose(Optimizers.TABLE, optStmt, validation);
            List<String> ordered = names == null ? List.copyOf(phaseFrozen) : names.inOrder(phaseFrozen);
            if (names != null && sink.errorCount() == before && names.trainsNothing(ordered)) {
                sink.report(Diagnostic.error(Code.PHASE_TRAINS_NOTHING, nameSpan, "phase `" + name + "` freezes every layer, so nothing trains")
                    .label("trains no weight")
                    .help("`unfreeze` the layers this phase should train, e.g. the head"));
            }
            if (sink.errorCount() != before || e == null || optimizer == null) continue;
            out.add(new Phase(name, e.integer("count"), ordered, optimizer, d.span()));
        }
        return List.copyOf(out);
    }

    /** `unfreeze a b`: the layers named, resolved as `freeze` resolves them. */
    private List<String> unfreeze(Directive d, LayerNames names) {
        List<String> out = new ArrayList<>();
        List<Value> values = Statements.values(d, sink);
        if (values.isEmpty()) {
            sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, Statements.head(d), "`unfreeze` needs layer names")
                .label("which layers?")
                .help("`unfreeze conv_3 dense_1` trains those layers in this phase"));
        }
        for (Value v : values) out.addAll(layers(v, "unfreeze", false, names));
        return out;
    }

    /**
     * The layers a `freeze` or `unfreeze` argument names (a block's use expands to its layers; with
     * {@code until}, every layer up to it); a value that is not a name, or names no layer, is reported.
     */
    private List<String> layers(Value v, String statement, boolean until, LayerNames names) {
        if (!(v instanceof Value.Word w)) {
            sink.report(Diagnostic.error(Code.WRONG_TYPE, v.span(), "`" + statement + "` takes layer names, found " + v)
                .label("not a layer name")
                .help("write the name without quotes, as `dlxc check` prints it"));
            return List.of();
        }
        if (names == null) return List.of(w.value());
        List<String> layers = until ? names.until(w.value()) : names.expand(w.value());
        if (layers.isEmpty()) names.reportUnknown(w.value(), v.span(), statement, sink);
        return layers;
    }

    private static Directive first(Map<String, List<Directive>> byWord, String word) {
        List<Directive> list = byWord.get(word);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    /** `train Net on digits`: where a statement missing from the whole block is reported. */
    private Span header() {
        return Span.of(decl.span().file(), decl.span().start(), decl.dataset().span().end());
    }

    private <T> T missing(String word, String example) {
        sink.report(Diagnostic.error(Code.MISSING_DIRECTIVE, header(), "training of `" + decl.model().name() + "` has no `" + word + "`")
            .label("missing `" + word + "`")
            .help("add a line such as `" + example + "`"));
        return null;
    }

    private String exampleLoss() {
        LabelSpec labels = data == null ? null : data.labels();
        if (labels == null || labels.encoding() == LabelSpec.Encoding.NONE) return "loss categorical_crossentropy";
        return "loss " + LabelPairing.lossFor(labels.encoding()).word();
    }

    private <T> T choose(KindTable<RuleContext, T> table, Directive d, boolean validation) {
        if (d == null) return null;
        Span head = Statements.head(d);
        List<Value> values = Statements.values(d, sink);
        Span kindSpan = values.isEmpty() ? head : values.get(0).span();
        return table.choose(d.word().name(), values, head, new RuleContext(head, kindSpan, sink, validation), sink);
    }

    private Attrs bind(String word, Schema schema, Directive d) {
        if (d == null) return null;
        Attrs a = Statements.bind(word, schema, Statements.values(d, sink), Statements.head(d), sink);
        return a.complete() ? a : null;
    }

    /** An expression loss trains on the labels it and the metrics read: a warning at each label neither reads. */
    private void labelsNotRead(TensorEnv env, List<LossExpr> objectives, List<ExpressionMetric> metrics) {
        LossExpr objective = objectives.get(0);
        Set<String> read = new LinkedHashSet<>();
        for (LossExpr o : objectives) read.addAll(LossExpr.labelsRead(o));
        for (ExpressionMetric m : metrics) read.addAll(LossExpr.labelsRead(m.expr()));
        for (TensorEnv.Entry label : env.labelEntries()) {
            if (read.contains(label.name())) continue;
            boolean shared = env.find(label.name()).ambiguous();
            sink.report(Diagnostic.warning(Code.LABEL_NOT_READ, label.span(), "label `" + label.name() + "` is loaded but no loss or metric reads it")
                .label("never read")
                .secondary(objective.span(), "the loss")
                .help("read it in the loss, e.g. `+ 0.5 * " + LabelPairing.lossFor(label.labels().encoding()).word() + "("
                    + (shared ? env.model() + "." + label.name() + ", " + TensorEnv.LABELS + "." : "OUTPUT, ") + label.name()
                    + ")`, or drop it from the dataset"));
        }
    }

    private Regularizer resolve(Regularizer r, LayerNames names) {
        if (names == null || r.layers().isEmpty()) return r;
        List<String> resolved = new ArrayList<>();
        for (String n : r.layers()) {
            List<String> layers = names.expand(n);
            if (layers.isEmpty()) names.reportUnknown(n, r.layersSpan(), "regularize ... on", sink);
            resolved.addAll(layers);
        }
        return r.withLayers(List.copyOf(new LinkedHashSet<>(resolved)));
    }

    private EarlyStop earlyStop(Directive d, List<Metric> metrics, List<String> named, boolean validation) {
        if (d == null) return null;
        Span head = Statements.head(d);
        Attrs a = Statements.bind("early_stop", EarlyStop.SCHEMA, Statements.values(d, sink), head, sink);
        if (!a.complete()) return null;
        String monitor = a.given("on") ? a.word("on") : validation ? "val_loss" : "loss";
        Span monitorSpan = a.given("on") ? a.span("on") : head;
        if (a.given("on") && !Metrics.checkMonitor(monitor, monitorSpan, metrics, named, data, sink)) return null;
        EarlyStop.Mode mode = switch (a.word("mode")) {
            case "min" -> EarlyStop.Mode.MIN;
            case "max" -> EarlyStop.Mode.MAX;
            default -> EarlyStop.modeFor(monitor);
        };
        return new EarlyStop(monitor, monitorSpan, a.integer("patience"), a.number("min_delta"), a.flag("restore_best"), mode, head);
    }

    /** `freeze a b` and `freeze until c`, resolved to layer names in model order. */
    private List<String> freeze(List<Directive> stmts, LayerNames names) {
        Set<String> out = new LinkedHashSet<>();
        for (Directive d : stmts) {
            List<Value> values = Statements.values(d, sink);
            boolean until = !values.isEmpty() && values.get(0) instanceof Value.Word w && w.value().equals("until");
            List<Value> targets = until ? values.subList(1, values.size()) : values;
            if (targets.isEmpty() || (until && targets.size() > 1)) {
                sink.report(Diagnostic.error(until && !targets.isEmpty() ? Code.TOO_MANY_ARGUMENTS : Code.MISSING_ARGUMENT,
                        until && !targets.isEmpty() ? Statements.spanOf(targets.subList(1, targets.size()), d.span()) : Statements.head(d),
                        until ? "`freeze until` takes one layer name" : "`freeze` needs layer names")
                    .label(until ? "one layer" : "which layers?")
                    .help("`freeze conv_1 conv_2` freezes those layers; `freeze until conv_2` freezes every layer up to it"));
                continue;
            }
            for (Value v : targets) {
                List<String> layers = layers(v, "freeze", until, names);
                if (until && names != null && !layers.isEmpty() && names.everyLayer(layers)) {
                    sink.report(Diagnostic.error(Code.OUT_OF_RANGE, v.span(), "`freeze until " + ((Value.Word) v).value()
                            + "` freezes every layer, so nothing trains")
                        .label("the last layer")
                        .help("freeze up to an earlier layer, leaving the head to train"));
                }
                out.addAll(layers);
            }
        }
        return List.copyOf(out);
    }

    private Path resolvePath(String written) {
        Path p = Path.of(written);
        Path file = decl.span().file().path();
        if (p.isAbsolute() || file == null || file.getParent() == null) return p.normalize();
        return file.getParent().resolve(p).toAbsolutePath().normalize();
    }
}
