package dev.dlx.compiler.train;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.FeatureIR;
import dev.dlx.compiler.data.LabelIR;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import java.util.ArrayList;
import java.util.List;

/**
 * Which dataset feature feeds each model input and which label each model output trains on, by
 * name: the feature `image` feeds the input `image`, the label `digit` pairs with the output
 * named `digit` (`let digit = ... -> softmax`, `return digit, parity`). The classic dataset's one
 * unnamed feature feeds a model with one input, and its one unnamed label pairs with a model with
 * one output, whatever they are called. The checker reports what stays unpaired; the runtime
 * feeds by this pairing.
 *
 * @param inputs  one per model input, in the model's order; {@code feature} null when none feeds it
 * @param outputs one per model output, in the model's order; {@code label} null when none pairs
 * @param unusedFeatures named features no input takes
 * @param unusedLabels   named labels no output trains on
 */
public record Pairing(List<Input> inputs, List<Output> outputs, List<FeatureIR> unusedFeatures, List<LabelIR> unusedLabels) {

    public Pairing {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        unusedFeatures = List.copyOf(unusedFeatures);
        unusedLabels = List.copyOf(unusedLabels);
    }

    /** Model input {@code index} (node {@code node}) and the feature that feeds it. */
    public record Input(int index, Node node, FeatureIR feature) {}

    /** Model output {@code index} (node {@code node}) and the label it trains on. */
    public record Output(int index, Node node, LabelIR label) {}

    public static Pairing of(ModelIR model, DatasetIR data) {
        List<Input> inputs = new ArrayList<>();
        List<FeatureIR> features = data.features();
        boolean classicFeature = features.size() == 1 && !features.get(0).named();
        List<FeatureIR> usedFeatures = new ArrayList<>();
        List<Node> ins = model.inputs();
        for (int i = 0; i < ins.size(); i++) {
            Node n = ins.get(i);
            FeatureIR f = classicFeature ? (ins.size() == 1 ? features.get(0) : null) : data.feature(n.name()).orElse(null);
            if (f != null) usedFeatures.add(f);
            inputs.add(new Input(i, n, f));
        }
        List<Output> outputs = new ArrayList<>();
        List<LabelIR> labels = data.namedLabels();
        boolean classicLabel = labels.size() == 1 && !labels.get(0).named();
        List<LabelIR> usedLabels = new ArrayList<>();
        List<Node> outs = model.outputs();
        for (int i = 0; i < outs.size(); i++) {
            Node n = outs.get(i);
            LabelIR l = classicLabel ? (outs.size() == 1 ? labels.get(0) : null) : data.label(n.name()).orElse(null);
            if (l != null) usedLabels.add(l);
            outputs.add(new Output(i, n, l));
        }
        List<FeatureIR> unusedFeatures = classicFeature ? List.of() : features.stream().filter(f -> !usedFeatures.contains(f)).toList();
        List<LabelIR> unusedLabels = classicLabel ? List.of() : labels.stream().filter(l -> !usedLabels.contains(l)).toList();
        return new Pairing(inputs, outputs, unusedFeatures, unusedLabels);
    }

    /** Whether every input has its feature and every output its label. */
    public boolean complete() {
        return inputs.stream().allMatch(p -> p.feature() != null) && outputs.stream().allMatch(p -> p.label() != null);
    }

    /** Whether this is the classic case: one input fed by one feature, at most one output with one label. */
    public boolean single() {
        return inputs.size() == 1 && outputs.size() <= 1;
    }
}
