package dev.dlx.compiler.check;

import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import java.nio.file.Path;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.resolve.SymbolTable;
import dev.dlx.compiler.syntax.Decl;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checked models of a program, each checked once, on first request: a model that uses another
 * checks the callee first. A model requested while it is being checked uses itself. Each model's
 * check reports into a sink of its own, then into the program's; with a {@link ModelCache}, a model
 * whose check would read only what an earlier check read is taken from there instead.
 */
public final class Models {
    private final SymbolTable symbols;
    private final Diagnostics sink;
    private final dev.dlx.compiler.diag.Work work;
    /** By identity: a declaration's record hashes its whole syntax tree. */
    private final Map<Decl.Model, ModelIR> checked = new java.util.IdentityHashMap<>();
    private final LinkedHashSet<String> inProgress = new LinkedHashSet<>();

    private final ModelCache cache;
    private final SourceFile root;
    private final Map<Path, SourceFile> files;
    private final ModelCache.Keys keys;

    public Models(SymbolTable symbols, Diagnostics sink, dev.dlx.compiler.diag.Work work) {
        this(symbols, sink, work, null, null, Map.of());
    }

    /**
     * Models that come from {@code cache} where nothing their check reads changed; {@code root} is
     * the file being edited, {@code files} the program's other files by path.
     */
    public Models(SymbolTable symbols, Diagnostics sink, dev.dlx.compiler.diag.Work work, ModelCache cache,
                  SourceFile root, Map<Path, SourceFile> files) {
        this.symbols = symbols;
        this.sink = sink;
        this.work = work;
        this.cache = cache;
        this.root = root;
        this.files = Map.copyOf(files);
        this.keys = cache == null ? null : new ModelCache.Keys(symbols, root);
    }

    /** The checked IR of {@code model}, checking it now if needed; empty while it is being checked (recursion). */
    public Optional<ModelIR> get(Decl.Model model) {
        ModelIR done = checked.get(model);
        if (done != null) return Optional.of(done);
        String name = model.name().name();
        if (inProgress.contains(name)) return Optional.empty();
        inProgress.add(name);
        try {
            Optional<ModelCache.Key> key = cache == null ? Optional.empty() : keys.of(model);
            Optional<ModelCache.Reused> earlier = key.flatMap(k -> cache.reuse(k, root, files));
            if (earlier.isPresent()) {
                ModelCache.Reused r = earlier.get();
                r.diagnostics().forEach(sink::report);
                work.expanded(r.expanded());
                work.sizing(r.sizing());
                checked.put(model, r.ir());
                return Optional.of(r.ir());
            }
            Diagnostics own = new Diagnostics();
            dev.dlx.compiler.diag.Work counted = new dev.dlx.compiler.diag.Work();
            ModelIR ir = ModelChecker.check(model, symbols, this, own, counted);
            own.reported().forEach(sink::report);
            work.expanded(counted.expanded());
            work.sizing(counted.sizing());
            if (cache != null) {
                cache.countChecked();
                key.ifPresent(k -> cache.remember(k, ir, own.reported(), counted.expanded(), counted.sizing(), root, files));
            }
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
