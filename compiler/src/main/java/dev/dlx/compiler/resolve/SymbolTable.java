package dev.dlx.compiler.resolve;

import dev.dlx.compiler.syntax.Decl;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Models, blocks and datasets of a file and everything it imports, by name. A side table: the AST is untouched. */
public final class SymbolTable {
    private final Map<String, Decl.Model> models = new LinkedHashMap<>();
    private final Map<String, Decl.Block> blocks = new LinkedHashMap<>();
    private final Map<String, Decl.Dataset> datasets = new LinkedHashMap<>();

    /** Adds a declaration; returns the earlier one of the same name (of any kind), if any, and then keeps the first. */
    Optional<Decl> define(Decl d) {
        String name = d.name().name();
        Optional<Decl> existing = any(name);
        if (existing.isPresent()) return existing;
        if (d instanceof Decl.Model m) models.put(name, m);
        else if (d instanceof Decl.Block b) blocks.put(name, b);
        else if (d instanceof Decl.Dataset s) datasets.put(name, s);
        else throw new IllegalArgumentException("not a named declaration: " + d);
        return Optional.empty();
    }

    public Optional<Decl> any(String name) {
        if (models.containsKey(name)) return Optional.of(models.get(name));
        if (blocks.containsKey(name)) return Optional.of(blocks.get(name));
        return Optional.ofNullable(datasets.get(name));
    }

    public Optional<Decl.Model> model(String name) { return Optional.ofNullable(models.get(name)); }
    public Optional<Decl.Block> block(String name) { return Optional.ofNullable(blocks.get(name)); }
    public Optional<Decl.Dataset> dataset(String name) { return Optional.ofNullable(datasets.get(name)); }

    public Map<String, Decl.Model> models() { return Collections.unmodifiableMap(models); }
    public Map<String, Decl.Block> blocks() { return Collections.unmodifiableMap(blocks); }
    public Map<String, Decl.Dataset> datasets() { return Collections.unmodifiableMap(datasets); }

    public Set<String> names() {
        Set<String> all = new java.util.LinkedHashSet<>(models.keySet());
        all.addAll(blocks.keySet());
        all.addAll(datasets.keySet());
        return all;
    }
}
