package dev.dlx.compiler.check;

import dev.dlx.compiler.diag.Span;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Named tensors of one model or block body: inputs and `let` names, with which were used. */
final class Scope {
    /** A tensor: the node that produces it (-1 when unknown after an error) and the text that made it. */
    record Tensor(int node, Span origin) {
        static Tensor poison(Span origin) { return new Tensor(-1, origin); }
        boolean poisoned() { return node < 0; }
    }

    /** {@code since}: for a `let`, how many nodes the model had when it was bound; -1 for an input. */
    private record Binding(Tensor tensor, Span nameSpan, int since) {
        boolean isLet() { return since >= 0; }
    }

    /** Reads node {@code id} from a node made at or after index {@code since}. */
    interface Consumed {
        boolean since(int id, int since);
    }

    private final Map<String, Binding> names = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();

    /** An input of a model or block. */
    Optional<Span> bind(String name, Tensor t, Span nameSpan) { return put(name, new Binding(t, nameSpan, -1)); }

    /** A `let` name, bound when the model has {@code nodes} nodes. */
    Optional<Span> bind(String name, Tensor t, Span nameSpan, int nodes) { return put(name, new Binding(t, nameSpan, nodes)); }

    private Optional<Span> put(String name, Binding b) {
        Binding existing = names.get(name);
        if (existing != null) return Optional.of(existing.nameSpan);
        names.put(name, b);
        return Optional.empty();
    }

    boolean has(String name) { return names.containsKey(name); }

    Tensor use(String name) {
        used.add(name);
        return names.get(name).tensor;
    }

    Set<String> names() { return names.keySet(); }

    /**
     * `let` names never read, with the span of their definition: not named again, not an output, and
     * not taken by a later layer (the next statement's chain starts from the previous tensor). A
     * tensor unknown after an error is left out.
     */
    Map<String, Span> unusedLets(Set<Integer> outputNodes, Consumed consumed) {
        Map<String, Span> out = new LinkedHashMap<>();
        names.forEach((n, b) -> {
            if (b.isLet() && !b.tensor.poisoned() && !used.contains(n) && !outputNodes.contains(b.tensor.node())
                    && !consumed.since(b.tensor.node(), b.since)) {
                out.put(n, b.nameSpan);
            }
        });
        return out;
    }
}
