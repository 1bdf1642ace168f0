package dev.dlx.compiler.train;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.FeatureIR;
import dev.dlx.compiler.data.LabelIR;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.train.expr.ExpressionMetric;
import dev.dlx.compiler.train.expr.LossExpr;
import dev.dlx.compiler.train.expr.TensorEnv;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one training batch feeds a model with several inputs or outputs, or trained on a dataset
 * that names its features and labels: the feature of each model input (model order), the labels
 * the loss and metrics read (an expression's in dataset order; a one-word loss's in the order of the
 * outputs they train), and the loss terms reported per label.
 *
 * <p>A one-word loss reads every labelled output's label, and its terms are those of
 * {@link LossTerms#of}: their weighted sum is what trains. An expression reads the labels it names
 * (none at all for a triplet loss over three embeddings); its terms are the built-in losses it
 * applies to a model output and a label, each reported as `LABEL_loss` and `LABEL_accuracy` (or
 * the regression metrics), while the expression itself is what trains.
 *
 * @param inputs the feature feeding each model input a feature feeds (not the `noise` inputs), by name
 * @param labels the labels fed with each batch; the first rides with the first input
 * @param terms  the terms reported per label; with a one-word loss, also the sum that trains
 * @param heads  an expression's built-in loss of each term, the nodes of the objective itself (so
 *               that a term's reported loss is the value the objective computes); empty for a
 *               one-word loss
 */
public record TrainFeed(List<String> inputs, List<LabelIR> labels, List<LossTerms.Term> terms, List<LossExpr.Builtin> heads) {
    public TrainFeed {
        inputs = List.copyOf(inputs);
        labels = List.copyOf(labels);
        terms = List.copyOf(terms);
        heads = List.copyOf(heads);
    }

    public static TrainFeed of(ModelIR model, TrainIR train, DatasetIR data) {
        Pairing pairing = Pairing.of(model, data, train.noiseInputs());
        List<String> inputs = pairing.inputs().stream().map(p -> p.feature() == null ? FeatureIR.DEFAULT : p.feature().name()).toList();
        if (train.objective() == null) {
            List<LossTerms.Term> terms = LossTerms.of(train, pairing);
            return new TrainFeed(inputs, terms.stream().map(LossTerms.Term::label).toList(), terms, List.of());
        }
        Set<String> read = new LinkedHashSet<>(LossExpr.labelsRead(train.objective()));
        for (Step s : train.steps()) read.addAll(LossExpr.labelsRead(s.objective()));
        for (ExpressionMetric m : train.expressionMetrics()) read.addAll(LossExpr.labelsRead(m.expr()));
        List<LabelIR> labels = data.namedLabels().stream().filter(l -> read.contains(l.name())).toList();
        List<LossTerms.Term> terms = new ArrayList<>();
        List<LossExpr.Builtin> heads = new ArrayList<>();
        heads(model, train.objective(), labels, terms, heads);
        return new TrainFeed(inputs, labels, terms, heads);
    }

    /** The built-in losses of a model output against a label in {@code objective}, each pair once: a term and its node each. */
    private static void heads(ModelIR model, LossExpr objective, List<LabelIR> labels, List<LossTerms.Term> terms, List<LossExpr.Builtin> heads) {
        Set<String> seen = new LinkedHashSet<>();
        for (LossExpr e : LossExpr.nodes(objective)) {
            if (!(e instanceof LossExpr.Builtin b) || !(b.prediction() instanceof LossExpr.Ref p) || !(b.target() instanceof LossExpr.Ref t)
                || p.tensor().role() != TensorEnv.Role.OUTPUT || !t.tensor().isLabel()) continue;
            int output = model.outputIds().indexOf(p.tensor().node());
            LabelIR label = labels.stream().filter(l -> l.name().equals(t.tensor().name())).findFirst().orElse(null);
            if (output < 0 || label == null || !seen.add(output + "/" + label.name())) continue;
            terms.add(new LossTerms.Term(output, model.outputs().get(output).name(), label, b.spec(), 1.0));
            heads.add(b);
        }
    }

    /** The position of label {@code name} among the fed labels, or -1. */
    public int labelIndex(String name) {
        for (int k = 0; k < labels.size(); k++) if (labels.get(k).name().equals(name)) return k;
        return -1;
    }
}
