package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.shape.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several `source` statements in one dataset, zipped by row: line i of every file is sample i.
 * Each source is a csv or tsv file that names its features and labels (`features image 0..783`,
 * `labels digit 0`), or gives only labels; the names are distinct across the sources. Lines are
 * never dropped or filled from the training split (`missing drop` and `missing mean` would cut
 * or fill the files apart), so `run` requires the files to hold the same number of data lines.
 *
 * @param parts the sources in the order written
 * @param span  the first `source` statement
 */
public record ZippedSource(List<CsvSource> parts, Span span) implements Source {
    public ZippedSource { parts = List.copyOf(parts); }

    @Override public String kind() { return String.join(" + ", parts.stream().map(CsvSource::kind).toList()); }

    @Override public List<Path> files() { return parts.stream().flatMap(p -> p.files().stream()).toList(); }

    @Override public Shape sampleShape() {
        List<String> f = featureNames();
        return f.isEmpty() ? Shape.UNKNOWN : sampleShape(f.get(0));
    }

    @Override public boolean hasLabels() { return parts.stream().anyMatch(CsvSource::hasLabels); }

    @Override public List<String> featureNames() {
        List<String> out = new ArrayList<>();
        for (CsvSource p : parts) if (p.namesFeatures()) out.addAll(p.featureNames());
        return out;
    }

    @Override public List<String> labelNames() {
        List<String> out = new ArrayList<>();
        for (CsvSource p : parts) if (p.namesLabels()) out.addAll(p.labelNames());
        return out;
    }

    @Override public boolean namesFeatures() { return true; }

    @Override public boolean namesLabels() { return !labelNames().isEmpty(); }

    @Override public Shape sampleShape(String feature) {
        CsvSource p = featurePart(feature);
        return p == null ? Shape.UNKNOWN : p.sampleShape(feature);
    }

    @Override public Span labelSpan(String label) {
        CsvSource p = labelPart(label);
        return p == null ? span : p.labelSpan(label);
    }

    /** The source that delivers feature {@code feature}, or null. */
    public CsvSource featurePart(String feature) {
        for (CsvSource p : parts) if (p.namesFeatures() && p.featureNames().contains(feature)) return p;
        return null;
    }

    /** The source that delivers label {@code label}, or null. */
    public CsvSource labelPart(String label) {
        for (CsvSource p : parts) if (p.namesLabels() && p.labelNames().contains(label)) return p;
        return null;
    }

    /**
     * The sources of one dataset zipped by row, each checked to name its groups, with names
     * distinct across them and no `missing drop` or `mean`; null after an error.
     */
    static ZippedSource of(List<Source> sources, List<Span> heads, Diagnostics sink) {
        List<CsvSource> parts = new ArrayList<>();
        Map<String, Span> seen = new LinkedHashMap<>();
        boolean ok = true;
        for (int i = 0; i < sources.size(); i++) {
            Source s = sources.get(i);
            Span head = heads.get(i);
            if (!(s instanceof CsvSource c)) {
                sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, head, "several sources are zipped by row from csv or tsv files, not `"
                        + s.kind() + "`")
                    .label("not a delimited file")
                    .help("give this dataset one `source " + s.kind() + "`, or convert the file to csv"));
                ok = false;
                continue;
            }
            if (!c.namesFeatures() && !c.featureColumns().isEmpty()) {
                sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, head, "each of several sources names its features")
                    .label("unnamed features")
                    .help("name them, e.g. `features image 0..783`; a source of labels only names no features"));
                ok = false;
            }
            if (c.hasLabels() && !c.namesLabels()) {
                sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, head, "each of several sources names its labels")
                    .label("an unnamed label")
                    .help("name it, e.g. `labels digit 64`"));
                ok = false;
            }
            if (c.missing() == CsvSource.Missing.DROP || c.missing() == CsvSource.Missing.MEAN) {
                sink.report(Diagnostic.error(Code.OUT_OF_RANGE, head, "`missing " + c.missing().word() + "` cannot be used when sources are zipped by row")
                    .label("would " + (c.missing() == CsvSource.Missing.DROP ? "drop lines of one file only" : "fill one file on its own"))
                    .help("use `missing zero` or `missing error`, or fill the files in before"));
                ok = false;
            }
            List<ColumnGroup> groups = new ArrayList<>();
            if (c.namesFeatures()) groups.addAll(c.featureGroups());
            if (c.namesLabels()) groups.addAll(c.labelGroups());
            for (ColumnGroup g : groups) {
                Span first = seen.putIfAbsent(g.name(), g.span());
                if (first != null) {
                    sink.report(Diagnostic.error(Code.DUPLICATE_DEFINITION, g.span(), "`" + g.name() + "` is named by two sources")
                        .label("second `" + g.name() + "`")
                        .secondary(first, "first named here")
                        .help("give every feature and label of the dataset its own name"));
                    ok = false;
                }
            }
            parts.add(c);
        }
        return ok ? new ZippedSource(parts, heads.get(0)) : null;
    }
}
