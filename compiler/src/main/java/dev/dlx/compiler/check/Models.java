package dev.dlx.compiler.check;

import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.resolve.SymbolTable;
import dev.dlx.compiler.syntax.Decl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checked models of a program, each checked once, on first request: a model that uses another
 * checks the callee first. A model requested while it is being checked uses itself.
 */
public final class Models {
    private final SymbolTable symbols;
    private final Diagnostics sink;
    private final dev.dlx.compiler.diag.Work work;
    private final Map<Decl.Model, ModelIR> checked = new HashMap<>();
    private final LinkedHashSet<String> inProgress = new LinkedHashSet<>();

    public Models(SymbolTable symbols, Diagnostics sink, dev.dlx.compiler.diag.Work work) {
        this.symbols = symbols;
        this.sink = sink;
        this.work = work;
    }

    /** The checked IR of {@code model}, checking it now if needed; empty while it is being checked (recursion). */
    public Optional<ModelIR> get(Decl.Model model) {
        ModelIR done = checked.get(model);
        if (done != null) return Optional.of(done);
        String name = model.name().name();
        if (inProgress.contains(name)) return Optional.empty();
        inProgress.add(name);
        try {
            ModelIR ir = ModelChecker.check(model, symbols, this, sink, work);
            checked.put(model, ir);
            return Optional.of(ir);
        } finally {
            inProgress.remove(name);
        }
    }

    /** The models being checked, outermost first, from {@code name} on: the cycle a recursive use closes. */
    List<String> cycleFrom(String name) {
        List<String> all = new ArrayList<>(inProgress);
        int at = all.indexOf(name);
        List<String> cycle = new ArrayList<>(at < 0 ? all : all.subList(at, all.size()));
        cycle.add(name);
        return cycle;
    }
}
