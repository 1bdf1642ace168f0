package dev.dlx.lsp.service;

import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.schema.Attr;
import java.util.ArrayList;
import java.util.List;

/**
 * Markdown for the words of the language (hover text and completion details), from the compiler's
 * {@link dev.dlx.compiler.catalog.Catalog}: layer kinds, attributes and their values.
 */
public final class Vocabulary {
    private Vocabulary() {}

    /** Markdown for one attribute: name, type, default, range, meaning. */
    public static String attrDoc(Attr a) {
        StringBuilder s = new StringBuilder("`").append(a.name()).append("`: ").append(a.doc());
        List<String> facts = new ArrayList<>();
        facts.add(a.type().description());
        if (a.isRequired()) facts.add("required");
        else if (a.defaultValue() != null) facts.add("default `" + show(a.defaultValue()) + "`");
        if (a.min() != null || a.max() != null) facts.add("range " + a.rangeText());
        if (a.isPositional()) facts.add("positional");
        s.append(" (").append(String.join("; ", facts)).append(")");
        return s.toString();
    }

    static String show(Object value) {
        if (value instanceof List<?> l && l.size() == 1) return String.valueOf(l.get(0));
        if (value instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object o : l) parts.add(String.valueOf(o));
            return String.join("x", parts);
        }
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) return String.valueOf(d.longValue());
        return String.valueOf(value).toLowerCase(java.util.Locale.ROOT);
    }

    /** Markdown for a layer kind: what it does, its usage line and its attributes. */
    public static String layerDoc(LayerKind<?> kind, String spelling) {
        StringBuilder s = new StringBuilder();
        s.append("**").append(spelling).append("**");
        if (!spelling.equals(kind.name())) s.append(" (layer kind `").append(kind.name()).append("`)");
        s.append(" — ").append(kind.doc()).append("\n\n");
        s.append("```dlx\n").append(kind.schema().usage(spelling)).append("\n```\n");
        if (!kind.schema().attrs().isEmpty()) {
            s.append('\n');
            for (Attr a : kind.schema().attrs()) s.append("- ").append(attrDoc(a)).append('\n');
        }
        if (!kind.aliases().isEmpty()) {
            s.append("\nAlso written ").append(String.join(", ", kind.aliases().stream().map(a -> "`" + a + "`").toList())).append('\n');
        }
        return s.toString();
    }
}
