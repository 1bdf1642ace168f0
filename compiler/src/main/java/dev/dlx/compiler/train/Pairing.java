package dev.dlx.compiler.train;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.FeatureIR;
import dev.dlx.compiler.data.LabelIR;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

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

    public static Pairing of(ModelIR model, DatasetIR data) { return of(model, data, java.util.Set.of()); }

    /**
     * The pairing of the inputs a feature feeds: those not in {@code noise} (inputs the trainer fills
     * with random values), in the model's order, each with its index among the model's inputs.
     */
    public static Pairing of(ModelIR model, DatasetIR data, java.util.Set<String> noise) {
        List<FeatureIR> usedFeatures = new ArrayList<>();
        List<Node> fed = model.inputs().stream().filter(n -> !noise.contains(n.name())).toList();
        List<FeatureIR> features = pair(fed, data.features(), FeatureIR::name, FeatureIR::named, usedFeatures);
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) inputs.add(new Input(model.inputs().indexOf(fed.get(i)), fed.get(i), features.get(i)));
        List<LabelIR> usedLabels = new ArrayList<>();
        List<LabelIR> labels = pair(model.outputs(), data.namedLabels(), LabelIR::name, LabelIR::named, usedLabels);
        List<Output> outputs = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) outputs.add(new Output(i, model.outputs().get(i), labels.get(i)));
        return new Pairing(inputs, outputs, unused(data.features(), usedFeatures, FeatureIR::named),
            unused(data.namedLabels(), usedLabels, LabelIR::named));
    }

    /**
     * For each node, the tensor of the same name (null when none); the one unnamed tensor goes to
     * a lone node. The tensors given out are added to {@code used}.
     */
    private static <T> List<T> pair(List<Node> nodes, List<T> tensors, Function<T, String> name, Predicate<T> named, List<T> used) {
        boolean classic = tensors.size() == 1 && !named.test(tensors.get(0));
        List<T> out = new ArrayList<>();
        for (Node n : nodes) {
            T t = classic ? (nodes.size() == 1 ? tensors.get(0) : null)
                : tensors.stream().filter(x -> name.apply(x).equals(n.name())).findFirst().orElse(null);
            if (t != null) used.add(t);
            out.add(t);
        }
        return out;
    }

    /** The named tensors no node takes (none for the one unnamed tensor). */
    private static <T> List<T> unused(List<T> tensors, List<T> used, Predicate<T> named) {
        boolean classic = tensors.size() == 1 && !named.test(tensors.get(0));
        return classic ? List.of() : tensors.stream().filter(t -> !used.contains(t)).toList();
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
