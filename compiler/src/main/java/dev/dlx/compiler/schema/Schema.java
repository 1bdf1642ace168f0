package dev.dlx.compiler.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The attributes of one layer kind, data step or training rule, in positional order. */
public final class Schema {
    private final Map<String, Attr> byName = new LinkedHashMap<>();

    public Schema(List<Attr> attrs) {
        for (Attr a : attrs) byName.put(a.name(), a);
    }

    public static Schema of(Attr... attrs) { return new Schema(List.of(attrs)); }

    public List<Attr> attrs() { return List.copyOf(byName.values()); }
    public Optional<Attr> attr(String name) { return Optional.ofNullable(byName.get(name)); }
    public boolean has(String name) { return byName.containsKey(name); }
    public List<Attr> positional() { return byName.values().stream().filter(Attr::isPositional).toList(); }

    /** `conv FILTERS KERNEL [stride S] ...`, for hover text and help lines. */
    public String usage(String owner) {
        StringBuilder s = new StringBuilder(owner);
        for (Attr a : byName.values()) {
            if (a.isPositional()) {
                s.append(a.isRequired() ? " " + a.name().toUpperCase() : " [" + a.name().toUpperCase() + "]");
            }
        }
        for (Attr a : byName.values()) {
            if (!a.isPositional()) s.append(" [").append(a.name()).append(a.type().isFlag() ? "" : " ...").append(']');
        }
        return s.toString();
    }
}
