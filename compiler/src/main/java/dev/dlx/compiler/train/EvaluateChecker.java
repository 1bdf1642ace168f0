package dev.dlx.compiler.train;

import dev.dlx.compiler.data.BatchSize;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.data.Statements;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Suggest;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Directive;
import dev.dlx.compiler.syntax.Ident;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks `evaluate MODEL on DATASET[.SPLIT] { metrics ... batch N }`: the split must be one the
 * dataset declares; without `metrics` it reports those of the model's training (as the `test`
 * line of `dlxc run` does), so the IR's list is then empty. A model with several inputs or outputs
 * is evaluated by name, each feature feeding its input and each label scoring its output.
 */
public final class EvaluateChecker {
    public static final List<String> STATEMENTS = List.of("metrics", "batch");

    private EvaluateChecker() {}

    public static EvaluateIR check(Decl.Evaluate decl, ModelIR model, DatasetIR data, Diagnostics sink) {
        return check(decl, model, data, null, sink);
    }

    /**
     * {@code train} is the model's training block (null when the program has none): an evaluation on
     * another dataset than the training's pairs that dataset's features and labels with the model's
     * inputs and outputs as training does (DLX0520, DLX0521).
     */
    public static EvaluateIR check(Decl.Evaluate decl, ModelIR model, DatasetIR data, TrainIR train, Diagnostics sink) {
        long errorsBefore = sink.errorCount();
        List<Ident> parts = decl.data().parts();
        String datasetName = data != null ? data.name() : parts.get(0).name();
        String split = null;
        if (parts.size() > 2) {
            Span extra = parts.get(2).span().to(parts.get(parts.size() - 1).span());
            sink.report(Diagnostic.error(Code.UNKNOWN_NAME, extra, "`" + decl.data().text() + "` names more than a dataset and a split")
                .label("unexpected")
                .help("write `" + parts.get(0).name() + "." + parts.get(1).name() + "`"));
        }
        if (parts.size() >= 2) {
            Ident s = parts.get(1);
            split = s.name();
            if (data != null && !data.hasSplit(split)) {
                List<String> declared = data.splitNames();
                Diagnostic.Builder b = Diagnostic.error(Code.UNKNOWN_NAME, s.span(),
                        "dataset `" + data.name() + "` has no `" + split + "` split")
                    .label("no such split")
                    .secondary(data.split() == null ? null : data.split().span(), "the splits are declared here");
                Optional<String> close = Suggest.closest(split, declared);
                if (close.isPresent()) b.help("did you mean `" + close.get() + "`?");
                else if (split.equals(DatasetIR.TEST) || split.equals(DatasetIR.VAL)) {
                    b.help("add a `" + split + "` share to the dataset's `split`, e.g. `split train 70%, val 15%, test 15%`");
                } else {
                    b.help("its splits are " + Suggest.list(declared));
                }
                sink.report(b);
            }
        }

        if (model != null && data != null && (data.multiTensor() || model.inputs().size() != 1 || model.outputs().size() != 1)
                && (train == null || !train.dataset().equals(data.name()))) {
            // another dataset than the training's: it must feed each input and label each trained output by name
            Span at = parts.get(0).span();
            InputPairing.check(model, data, at, sink);
            if (train != null && train.objective() == null && train.loss() != null) LabelPairing.check(model, data, train.loss(), at, sink);
        }
        Map<String, List<Directive>> byWord = Statements.index("`evaluate`", decl.body(), STATEMENTS, Set.of(), sink);
        LabelSpec labels = data == null ? null : data.labels();
        boolean regression = labels != null && labels.isRegression();
        List<Metric> metrics = List.of();
        List<Directive> m = byWord.get("metrics");
        if (m != null) {
            Statements.noBlock(m.get(0), sink);
            metrics = Metrics.parse(Statements.values(m.get(0), sink), Statements.head(m.get(0)), regression, null, sink);
        }
        int batch = data == null ? DatasetIR.DEFAULT_BATCH : data.batchSize();
        List<Directive> b = byWord.get("batch");
        if (b != null) {
            Statements.noBlock(b.get(0), sink);
            Attrs a = Statements.bind("batch", BatchSize.SCHEMA, Statements.values(b.get(0), sink), Statements.head(b.get(0)), sink);
            if (a.complete()) batch = a.integer("size");
        }
        String modelName = model == null ? decl.model().name() : model.name();
        return new EvaluateIR(modelName, datasetName, split, metrics, batch, decl.span(), sink.errorCount() == errorsBefore);
    }
}
