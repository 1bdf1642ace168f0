package dev.dlx.compiler.train;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.schema.Suggest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Layer names as `freeze` and `regularize ... on` write them: a layer (`dense_1`, a `let` name), a
 * block instance (`residual_1`), which stands for every layer inside it (`residual_1/conv_1`), or,
 * for a model used inside the model, a use (its `let` name, else `Encoder_1`), the used model (`Encoder`: every use) or
 * one of its layers by its weights' name (`Encoder/dense_1`, written `Encoder.dense_1`; a dot
 * stands for the `/` of every nested name). Since every use of a model computes
 * with the same weights, naming a layer of one use names that layer in every use. A name resolves
 * to the layers' names and, for layers of used models, their weights' names (see
 * {@link Node#weightOwner()}), in model order.
 */
final class LayerNames {
    private final ModelIR model;
    private final List<Node> layers;
    private final Set<String> instances = new LinkedHashSet<>();

    LayerNames(ModelIR model) {
        this.model = model;
        this.layers = model.layers();
        for (Node n : layers) {
            for (String name : aliases(n)) {
                for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) instances.add(name.substring(0, i));
            }
        }
    }

    private static List<String> aliases(Node n) { return n.shared() == null ? List.of(n.name()) : List.of(n.name(), n.weightOwner()); }

    /** The layers a name stands for, in model order; empty when it names none. */
    List<String> expand(String written) {
        String name = written.replace('.', '/');
        for (int u = 0; u < model.uses().size(); u++) {
            if (!model.uses().get(u).name().equals(name)) continue;
            int use = u;
            return namesOf(layers.stream().filter(n -> n.shared() != null && n.shared().use() == use).toList());
        }
        List<Node> exact = layers.stream().filter(n -> aliases(n).contains(name)).toList();
        if (!exact.isEmpty()) return namesOf(exact);
        if (!instances.contains(name)) return List.of();
        return namesOf(layers.stream().filter(n -> aliases(n).stream().anyMatch(a -> a.startsWith(name + "/"))).toList());
    }

    /** Every layer up to and including those {@code name} stands for, in model order. */
    List<String> until(String name) {
        List<String> named = expand(name);
        if (named.isEmpty()) return List.of();
        int last = 0;
        for (int i = 0; i < layers.size(); i++) if (named.contains(layers.get(i).name())) last = i;
        return namesOf(layers.subList(0, last + 1));
    }

    /** Whether {@code names} include every layer of the model. */
    boolean everyLayer(List<String> names) { return layers.stream().allMatch(n -> names.contains(n.name())); }

    /** {@code names} in model order (layers' names first, as {@link #expand} gives them). */
    List<String> inOrder(java.util.Collection<String> names) {
        List<String> out = new ArrayList<>();
        for (Node n : layers) for (String a : aliases(n)) if (names.contains(a) && !out.contains(a)) out.add(a);
        for (String n : names) if (!out.contains(n)) out.add(n);
        return out;
    }

    /** Whether {@code frozen} holds every layer with trainable weights, so that nothing would train. */
    boolean trainsNothing(List<String> frozen) {
        List<Node> weighted = layers.stream().filter(n -> n.params().stream().anyMatch(p -> p.trainable())).toList();
        return !weighted.isEmpty() && weighted.stream().allMatch(n -> frozen.contains(n.name()));
    }

    /** The names of {@code nodes} and of every layer sharing their weights, with the weights' names, in model order. */
    private List<String> namesOf(List<Node> nodes) {
        Set<String> owners = new LinkedHashSet<>();
        nodes.forEach(n -> owners.add(n.weightOwner()));
        Set<String> out = new LinkedHashSet<>();
        for (Node n : layers) if (owners.contains(n.weightOwner())) out.addAll(aliases(n));
        return List.copyOf(out);
    }

    /** Reports a name that is neither a layer nor a block instance of the model. */
    void reportUnknown(String name, Span span, String statement, Diagnostics sink) {
        List<String> candidates = new ArrayList<>();
        layers.forEach(n -> candidates.addAll(aliases(n)));
        candidates.addAll(instances);
        Optional<String> close = Suggest.closest(name, candidates);
        Diagnostic.Builder b = Diagnostic.error(Code.UNKNOWN_LAYER_NAME, span,
                "model `" + model.name() + "` has no layer `" + name + "`")
            .label("not a layer of `" + model.name() + "`");
        if (close.isPresent()) b.help("did you mean `" + close.get() + "`?");
        else b.help("`" + statement + "` takes layer names as `dlxc check` prints them, or names given with `let`");
        sink.report(b);
    }
}
