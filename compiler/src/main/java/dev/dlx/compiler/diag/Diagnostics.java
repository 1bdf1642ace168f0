package dev.dlx.compiler.diag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The sink every phase reports into. Duplicates (same code, place and message) are kept once. */
public final class Diagnostics {
    private final Set<Diagnostic> items = new LinkedHashSet<>();

    public void report(Diagnostic d) { items.add(d); }
    public void report(Diagnostic.Builder b) { items.add(b.build()); }

    public boolean hasErrors() { return items.stream().anyMatch(Diagnostic::isError); }
    public long errorCount() { return items.stream().filter(Diagnostic::isError).count(); }
    public long warningCount() { return items.size() - errorCount(); }
    public boolean isEmpty() { return items.isEmpty(); }

    /** All diagnostics in the order they were reported. */
    public List<Diagnostic> reported() { return List.copyOf(items); }

    /** All diagnostics, ordered by file, then position, then severity. */
    public List<Diagnostic> sorted() {
        List<Diagnostic> list = new ArrayList<>(items);
        list.sort(Comparator.comparing((Diagnostic d) -> d.span().file().displayName())
                .thenComparingInt(d -> d.span().start())
                .thenComparing(Diagnostic::severity)
                .thenComparing(d -> d.code().id()));
        return list;
    }

    public List<Diagnostic> forFile(SourceFile file) {
        return sorted().stream().filter(d -> d.span().file() == file).toList();
    }
}
