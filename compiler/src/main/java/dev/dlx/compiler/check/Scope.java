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

    private record Binding(Tensor tensor, Span nameSpan, boolean isLet) {}

    private final Map<String, Binding> names = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();

    Optional<Span> bind(String name, Tensor t, Span nameSpan, boolean isLet) {
        Binding existing = names.get(name);
        if (existing != null) return Optional.of(existing.nameSpan);
        names.put(name, new Binding(t, nameSpan, isLet));
        return Optional.empty();
    }

    boolean has(String name) { return names.containsKey(name); }

    Tensor use(String name) {
        used.add(name);
        return names.get(name).tensor;
    }

    Set<String> names() { return names.keySet(); }

    /** `let` names never read, with the span of their definition. */
    Map<String, Span> unusedLets(Set<Integer> outputNodes) {
        Map<String, Span> out = new LinkedHashMap<>();
        names.forEach((n, b) -> {
            if (b.isLet && !used.contains(n) && !outputNodes.contains(b.tensor.node())) out.put(n, b.nameSpan);
        });
        return out;
    }
}
