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
 * Layer names as `freeze` and `regularize ... on` write them: a layer (`dense_1`, a `let` name) or
 * a block instance (`residual_1`), which stands for every layer inside it (`residual_1/conv_1`).
 */
final class LayerNames {
    private final ModelIR model;
    private final List<String> layers = new ArrayList<>();
    private final Set<String> instances = new LinkedHashSet<>();

    LayerNames(ModelIR model) {
        this.model = model;
        for (Node n : model.layers()) {
            layers.add(n.name());
            String name = n.name();
            for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) instances.add(name.substring(0, i));
        }
    }

    /** The layers a name stands for, in model order; empty when it names none. */
    List<String> expand(String name) {
        if (layers.contains(name)) return List.of(name);
        if (!instances.contains(name)) return List.of();
        return layers.stream().filter(l -> l.startsWith(name + "/")).toList();
    }

    /** Every layer up to and including those {@code name} stands for, in model order. */
    List<String> until(String name) {
        List<String> named = expand(name);
        if (named.isEmpty()) return List.of();
        int last = layers.indexOf(named.get(named.size() - 1));
        return List.copyOf(layers.subList(0, last + 1));
    }

    int layerCount() { return layers.size(); }

    /** Reports a name that is neither a layer nor a block instance of the model. */
    void reportUnknown(String name, Span span, String statement, Diagnostics sink) {
        List<String> candidates = new ArrayList<>(layers);
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
