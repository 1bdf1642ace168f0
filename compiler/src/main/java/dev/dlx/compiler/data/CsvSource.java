package dev.dlx.compiler.data;

import dev.dlx.support.Lines;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Suggest;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * `source csv "data/digits.csv.gz" { features 0..63, label 64, skip 1 }`: one sample per line,
 * features and label(s) taken from numbered columns (0-based, ranges inclusive) or, with `header`,
 * from columns named in the header line (`features "sepal_length".."petal_width", label "species"`).
 * The checker reads the header and the first data line, to check that the named columns exist and
 * hold numbers, and scans categorical feature columns for their distinct values: each becomes a
 * one-hot group as wide as its category list, which fixes the sample width.
 *
 * @param featureColumns the feature columns in order; empty only when they were not given and
 *                       the file could not be read (the sample shape is then unknown)
 * @param labelColumns   the label column, several for multi-target regression, none for
 *                       unlabelled data
 * @param categorical    columns holding category words (or codes) rather than numbers: a feature
 *                       column becomes one-hot, a label column gives the class names
 * @param categories     for each categorical feature column, its distinct values in sorted order
 *                       (the one-hot positions); empty when the file could not be read
 * @param header         whether the first line after `skip` names the columns
 * @param columnNames    the header's names, or empty
 * @param missing        what to do with a missing cell (see {@link #isMissing})
 * @param featureGroups  the named features, each over its columns ({@code featureColumns} is their
 *                       concatenation, in order); one unnamed group in the classic form
 * @param labelGroups    the named labels, likewise ({@code labelColumns} is their concatenation);
 *                       none for unlabelled data
 */
public record CsvSource(Format format, Path path, List<Integer> featureColumns, List<Integer> labelColumns,
                        int skip, char delimiter, List<Integer> categorical, Map<Integer, List<String>> categories,
                        boolean header, List<String> columnNames, Missing missing, List<ColumnGroup> featureGroups,
                        List<ColumnGroup> labelGroups, Span span) implements Source {

    public enum Format { CSV, TSV }

    /** `missing drop|mean|zero|error`: what a missing cell does. */
    public enum Missing {
        /** a missing cell is an error naming file:line:col (the default) */
        ERROR,
        /** a line with a missing cell in a used column is left out */
        DROP,
        /** a missing feature is the mean of its column over the training split */
        MEAN,
        /** a missing feature is 0 */
        ZERO;

        public String word() { return name().toLowerCase(Locale.ROOT); }
    }

    /** More distinct values than this in a categorical column is an error (one-hot would be too wide to be meant). */
    public static final int MAX_CATEGORIES = 1000;

    public CsvSource {
        featureColumns = List.copyOf(featureColumns);
        labelColumns = List.copyOf(labelColumns);
        categorical = List.copyOf(categorical);
        Map<Integer, List<String>> copy = new LinkedHashMap<>();
        categories.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        categories = Collections.unmodifiableMap(copy);
        columnNames = List.copyOf(columnNames);
        featureGroups = List.copyOf(featureGroups);
        labelGroups = List.copyOf(labelGroups);
    }

    /** A plain layout: numbered columns, no categories, no header, missing cells are errors. */
    public CsvSource(Format format, Path path, List<Integer> featureColumns, List<Integer> labelColumns,
                     int skip, char delimiter, List<Integer> categorical, Span span) {
        this(format, path, featureColumns, labelColumns, skip, delimiter, categorical, Map.of(), false, List.of(), Missing.ERROR,
            unnamed(featureColumns, labelColumns, span).get(0), unnamed(featureColumns, labelColumns, span).get(1), span);
    }

    /** The one unnamed feature group and the unnamed label group (none without label columns) of the classic form. */
    private static List<List<ColumnGroup>> unnamed(List<Integer> features, List<Integer> labels, Span span) {
        List<ColumnGroup> f = List.of(new ColumnGroup(FeatureIR.DEFAULT, false, features, span));
        List<ColumnGroup> l = labels.isEmpty() ? List.of() : List.of(new ColumnGroup(LabelIR.DEFAULT, false, labels, span));
        return List.of(f, l);
    }

    /** This layout with other groups of the same columns: the one feature and label the runtime reads at a time. */
    public CsvSource withColumns(List<Integer> features, List<Integer> labels) {
        List<List<ColumnGroup>> g = unnamed(features, labels, span);
        return new CsvSource(format, path, features, labels, skip, delimiter, categorical, categories, header, columnNames, missing,
            g.get(0), g.get(1), span);
    }

    @Override public List<String> featureNames() { return featureGroups.stream().map(ColumnGroup::name).toList(); }

    @Override public List<String> labelNames() { return labelGroups.stream().map(ColumnGroup::name).toList(); }

    @Override public boolean namesFeatures() { return featureGroups.stream().anyMatch(ColumnGroup::named); }

    @Override public boolean namesLabels() { return labelGroups.stream().anyMatch(ColumnGroup::named); }

    @Override public Shape sampleShape(String feature) {
        if (!namesFeatures()) return sampleShape();
        for (ColumnGroup g : featureGroups) {
            if (!g.name().equals(feature)) continue;
            if (g.columns().isEmpty()) return Shape.UNKNOWN;
            int width = 0;
            for (int c : g.columns()) {
                if (categorical.contains(c) && categories.get(c) == null) return Shape.UNKNOWN;
                width += width(c);
            }
            return Shape.of(width);
        }
        return Shape.UNKNOWN;
    }

    /** The group a label is read from. */
    public ColumnGroup labelGroup(String label) {
        return labelGroups.stream().filter(g -> g.name().equals(label)).findFirst().orElseThrow();
    }

    @Override public Span labelSpan(String label) {
        return labelGroups.stream().filter(g -> g.name().equals(label)).map(ColumnGroup::span).findFirst().orElse(span);
    }

    @Override public String kind() { return format == Format.CSV ? "csv" : "tsv"; }
    @Override public List<Path> files() { return List.of(path); }
    @Override public boolean hasLabels() { return !labelColumns.isEmpty(); }

    @Override public Shape sampleShape() {
        if (featureColumns.isEmpty()) return Shape.UNKNOWN;
        int width = 0;
        for (int c : featureColumns) {
            if (categorical.contains(c)) {
                List<String> values = categories.get(c);
                if (values == null) return Shape.UNKNOWN;
                width += values.size();
            } else {
                width++;
            }
        }
        return Shape.of(width);
    }

    /** The number of values feature column {@code c} contributes to a sample: its category count when one-hot, else 1. */
    public int width(int c) {
        List<String> values = categories.get(c);
        return values == null ? 1 : values.size();
    }

    /** Whether a cell (trimmed) counts as missing: empty, `NA`, `N/A`, `NaN` or `?`, in any case. */
    public static boolean isMissing(String cell) {
        return dev.dlx.support.CsvFields.isMissing(cell);
    }

    /** How a column is named in messages: `"species"` (column 4) with a header, column 4 without. */
    public String columnName(int c) {
        return c < columnNames.size() ? "column " + c + " (`" + columnNames.get(c) + "`)" : "column " + c;
    }

    static Schema schema() {
        return Schema.of(
            Attr.of("path", Type.STRING, "the file, relative to the `.dlx` file; `.gz` files are decompressed").positional().required(),
            Attr.of("features", ListTypes.COLUMNS, "feature columns, 0-based numbers or header names, ranges inclusive: `0..63`, "
                + "`\"a\"..\"d\"`; all but the label when left out"),
            Attr.of("label", ListTypes.COLUMNS, "the label column (several for multi-target regression); none for unlabelled data"),
            Attr.of("skip", Type.INT, "lines to skip before the first sample (or before the header line)").defaults(0).atLeast(0),
            Attr.of("header", Type.BOOL, "the first line (after `skip`) names the columns; the names can stand for column numbers")
                .defaults(false),
            Attr.of("delimiter", Type.STRING, "the character between fields (`,` for csv, a tab for tsv)"),
            Attr.of("categorical", ListTypes.COLUMNS, "columns holding category names: a feature column becomes one-hot "
                + "(its distinct values, sorted), a label column names the classes"),
            Attr.of("missing", Type.choice("error", "drop", "mean", "zero"), "a missing cell (empty, `NA`, `N/A`, `NaN`, `?`): "
                + "an error, the line dropped, the training split's column mean, or 0").defaults("error"));
    }

    static KindTable.Kind<SourceContext, Source> kind(String name, Format format) {
        return new KindTable.Kind<>(name, "delimited text, one sample per line", schema(), (a, ctx) -> build(format, a, ctx));
    }

    /** What the checker read of the file: the header's names (or null), the first data line and its number. */
    private record Preamble(List<String> names, List<String> fields, int lineNo, String line) {}

    private static CsvSource build(Format format, Attrs a, SourceContext ctx) {
        Diagnostics sink = ctx.sink();
        String written = a.word("path");
        Path path = DataFiles.resolve(ctx, written, a.span("path"));
        if (path == null) return null;
        boolean header = a.flag("header");
        Missing missing = Missing.valueOf(a.word("missing").toUpperCase(Locale.ROOT));
        char delimiter = format == Format.CSV ? ',' : '\t';
        boolean ok = true;
        if (a.given("delimiter")) {
            String d = a.word("delimiter").equals("\\t") ? "\t" : a.word("delimiter");
            if (d.length() != 1) {
                sink.report(Diagnostic.error(Code.OUT_OF_RANGE, a.span("delimiter"), "the delimiter must be one character, found \""
                        + a.word("delimiter") + "\"")
                    .label("not a single character")
                    .help("for example `delimiter \";\"`"));
                ok = false;
            } else {
                delimiter = d.charAt(0);
            }
        }
        int skip = a.integer("skip");
        List<Object> featureRefs = ListTypes.columnRefs(a.get("features"));
        List<Object> labelRefs = ListTypes.columnRefs(a.get("label"));
        List<Object> categoricalRefs = ListTypes.columnRefs(a.get("categorical"));
        boolean named = hasNames(featureRefs) || hasNames(labelRefs) || hasNames(categoricalRefs);
        if (named && !header) {
            ColumnRef first = firstName(featureRefs, labelRefs, categoricalRefs);
            sink.report(Diagnostic.error(Code.OUT_OF_RANGE, first.span(), "columns are named, but the source has no header line")
                .label("a column name")
                .help("add `header` if the first line of `" + written + "` names the columns, or number the columns from 0"));
            return null;
        }
        Preamble pre = null;
        if (DataFiles.exists(path, written, a.span("path"), sink) && ok) {
            pre = preamble(path, written, skip, header, delimiter, a, sink);
            if (pre == null) ok = false;
        }
        List<String> names = pre == null || pre.names() == null ? List.of() : pre.names();
        List<Integer> features, labels, categorical;
        if (named) {
            if (pre == null) {
                // the names cannot be resolved without the file: the shape stays unknown
                List<ColumnGroup> fg = ctx.features().stream().map(n -> new ColumnGroup(n.name(), true, List.of(), n.span())).toList();
                List<ColumnGroup> lg = ctx.labels().stream().map(n -> new ColumnGroup(n.name(), true, List.of(), n.span())).toList();
                return new CsvSource(format, path, List.of(), List.of(), skip, delimiter, List.of(), Map.of(), header, List.of(), missing,
                    fg.isEmpty() ? unnamed(List.of(), List.of(), ctx.span()).get(0) : fg, lg, ctx.span());
            }
            features = resolve(featureRefs, names, written, sink);
            labels = resolve(labelRefs, names, written, sink);
            categorical = resolve(categoricalRefs, names, written, sink);
            if (features == null || labels == null || categorical == null) return null; // reported; no follow-on errors
        } else {
            features = ListTypes.columns(a.get("features"));
            labels = ListTypes.columns(a.get("label"));
            categorical = ListTypes.columns(a.get("categorical"));
        }
        ok &= distinct("features", features, a, sink) & distinct("label", labels, a, sink);
        List<Integer> overlap = labels.stream().filter(features::contains).toList();
        if (!overlap.isEmpty()) {
            String which = overlap.size() == 1 ? "column " + overlap.get(0) + " is" : "columns " + ranges(overlap) + " are";
            sink.report(Diagnostic.error(Code.OUT_OF_RANGE, a.span("label"), which + " both " + (overlap.size() == 1
                    ? "a feature and the label" : "features and labels"))
                .label("also among the features")
                .secondary(a.span("features"), "features")
                .help("a column is either a feature or a label: leave the label " + (overlap.size() == 1 ? "column" : "columns")
                    + " out of `features`"));
            ok = false;
        }
        for (int c : categorical) {
            if (!features.isEmpty() && !features.contains(c) && !labels.contains(c)) {
                sink.report(Diagnostic.error(Code.OUT_OF_RANGE, a.span("categorical"),
                        "categorical column " + c + " is neither a feature nor the label")
                    .label("column " + c + " is not used")
                    .help("name a column of `features` or `label`"));
                ok = false;
            }
        }
        Map<Integer, List<String>> categories = Map.of();
        if (ok && pre != null) {
            features = checkLine(pre, written, skip, header, delimiter, features, labels, categorical, names, a, sink);
            if (features != null) {
                categories = scanCategories(path, written, pre.lineNo(), delimiter, features, categorical, names, a, sink);
                if (categories == null) categories = Map.of();
                else scanMissing(path, written, pre.lineNo(), delimiter, features, labels, missing, names, a, sink);
            } else {
                features = List.of();
            }
        }
        List<ColumnGroup> featureGroups = groups(ctx.features(), FeatureIR.DEFAULT, features, a.span("features"), names, written, sink);
        List<ColumnGroup> labelGroups = groups(ctx.labels(), LabelIR.DEFAULT, labels, a.span("label"), names, written, sink);
        if (featureGroups == null || labelGroups == null) return null;
        if (!distinctNames(featureGroups, labelGroups, sink)) return null;
        return new CsvSource(format, path, features, labels, skip, delimiter, categorical, categories, header, names, missing,
            featureGroups, labelGroups, ctx.span());
    }

    /**
     * The named groups resolved to column numbers, in the order written; the one unnamed group over
     * {@code all} when none are named (none for labels without columns). Null after an error.
     */
    private static List<ColumnGroup> groups(List<SourceContext.NamedValues> named, String unnamedName, List<Integer> all, Span span,
                                            List<String> names, String written, Diagnostics sink) {
        if (named.isEmpty()) {
            if (unnamedName.equals(LabelIR.DEFAULT) && all.isEmpty()) return List.of();
            return List.of(new ColumnGroup(unnamedName, false, all, span));
        }
        List<ColumnGroup> out = new ArrayList<>();
        for (SourceContext.NamedValues n : named) {
            List<Object> refs = new ArrayList<>();
            for (dev.dlx.compiler.schema.Value v : n.values()) {
                Object c = ListTypes.COLUMNS.convert(v);
                if (c instanceof List<?> l) refs.addAll(l);
                else refs.add(c); // a name or a range of names: checked by the schema already
            }
            List<Integer> columns = resolve(refs, names, written, sink);
            if (columns == null) return null;
            out.add(new ColumnGroup(n.name(), true, columns, n.span()));
        }
        return out;
    }

    /** Every feature and label has its own name. */
    private static boolean distinctNames(List<ColumnGroup> features, List<ColumnGroup> labels, Diagnostics sink) {
        Map<String, ColumnGroup> seen = new LinkedHashMap<>();
        List<ColumnGroup> all = new ArrayList<>(features);
        all.addAll(labels);
        for (ColumnGroup g : all) {
            ColumnGroup first = seen.putIfAbsent(g.name(), g);
            if (first != null && g.named()) {
                sink.report(Diagnostic.error(Code.DUPLICATE_DEFINITION, g.span(), "`" + g.name() + "` names two groups of columns")
                    .label("second `" + g.name() + "`")
                    .secondary(first.span(), "first named here")
                    .help("give every feature and label its own name"));
                return false;
            }
        }
        return true;
    }

    private static boolean hasNames(List<Object> refs) {
        return refs.stream().anyMatch(o -> o instanceof ColumnRef);
    }

    @SafeVarargs
    private static ColumnRef firstName(List<Object>... lists) {
        for (List<Object> l : lists) for (Object o : l) if (o instanceof ColumnRef r) return r;
        throw new IllegalStateException("no name");
    }

    /** Numbers as they are, names by their place in the header; null after an error. */
    private static List<Integer> resolve(List<Object> refs, List<String> names, String written, Diagnostics sink) {
        List<Integer> out = new ArrayList<>();
        boolean ok = true;
        for (Object o : refs) {
            if (o instanceof Integer i) {
                out.add(i);
            } else if (o instanceof ColumnRef.Name n) {
                int c = find(n, names, written, sink);
                if (c < 0) ok = false;
                else out.add(c);
            } else if (o instanceof ColumnRef.NameRange r) {
                int from = find(r.from(), names, written, sink), to = find(r.to(), names, written, sink);
                if (from < 0 || to < 0) {
                    ok = false;
                } else if (from > to) {
                    sink.report(Diagnostic.error(Code.OUT_OF_RANGE, r.span(), "the range runs backwards: `" + r.from().name() + "` is column "
                            + from + ", `" + r.to().name() + "` is column " + to)
                        .label("first name after the last")
                        .help("write `\"" + r.to().name() + "\"..\"" + r.from().name() + "\"`"));
                    ok = false;
                } else {
                    for (int c = from; c <= to; c++) out.add(c);
                }
            }
        }
        return ok ? out : null;
    }

    private static int find(ColumnRef.Name n, List<String> names, String written, Diagnostics sink) {
        int at = names.indexOf(n.name());
        if (at >= 0) {
            if (names.lastIndexOf(n.name()) != at) {
                sink.report(Diagnostic.error(Code.OUT_OF_RANGE, n.span(), "the header of `" + written + "` names two columns `" + n.name()
                        + "` (" + at + " and " + names.lastIndexOf(n.name()) + ")")
                    .label("ambiguous column name")
                    .help("number the column instead: `" + at + "`"));
                return -1;
            }
            return at;
        }
        Diagnostic.Builder b = Diagnostic.error(Code.OUT_OF_RANGE, n.span(), "`" + written + "` has no column `" + n.name() + "`")
            .label("not in the header");
        var close = Suggest.closest(n.name(), names);
        if (close.isPresent()) {
            b.help("did you mean `" + close.get() + "`?");
        } else {
            b.note("the header names " + names.size() + " column" + (names.size() == 1 ? "" : "s") + ": "
                + String.join(", ", names.subList(0, Math.min(12, names.size()))) + (names.size() > 12 ? ", ..." : ""));
        }
        sink.report(b);
        return -1;
    }

    /** Column numbers as runs: [0, 1, 2, 3, 7] -> "0..3, 7". */
    static String ranges(List<Integer> columns) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < columns.size(); ) {
            int j = i;
            while (j + 1 < columns.size() && columns.get(j + 1) == columns.get(j) + 1) j++;
            if (out.length() > 0) out.append(", ");
            out.append(columns.get(i));
            if (j > i) out.append(j == i + 1 ? ", " : "..").append(columns.get(j));
            i = j + 1;
        }
        return out.toString();
    }

    private static boolean distinct(String attr, List<Integer> columns, Attrs a, Diagnostics sink) {
        Set<Integer> seen = new HashSet<>();
        for (int c : columns) {
            if (!seen.add(c)) {
                sink.report(Diagnostic.error(Code.OUT_OF_RANGE, a.span(attr), "column " + c + " is listed twice in `" + attr + "`")
                    .label("repeated column")
                    .help("name each column once"));
                return false;
            }
        }
        return true;
    }

    /** Reads up to the first data line (and the header line before it); null after an error. */
    private static Preamble preamble(Path path, String written, int skip, boolean header, char delimiter, Attrs a, Diagnostics sink) {
        String line = null;
        List<String> names = null;
        int lineNo = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(DataFiles.open(path), StandardCharsets.UTF_8))) {
            String l;
            while ((l = Lines.read(r, lineNo > skip - 1)) != null) {
                lineNo++;
                if (lineNo > skip && !l.isBlank()) {
                    if (header && names == null) {
                        names = split(l, delimiter).stream().map(String::trim).toList();
                        continue;
                    }
                    line = l;
                    break;
                }
            }
        } catch (Lines.TooLong e) {
            DataFiles.error(a.span("path"), written, "line " + (lineNo + 1) + " is longer than " + Lines.MAX + " characters",
                "is this a text file with one sample per line?", sink);
            return null;
        } catch (IOException | RuntimeException e) {
            DataFiles.error(a.span("path"), written, "cannot be read: " + e.getMessage(),
                path.toString().endsWith(".gz") ? "a `.gz` file must be gzip-compressed" : null, sink);
            return null;
        }
        if (line == null) {
            DataFiles.error(a.span("path"), written, "has no data line" + (skip > 0 ? " after skipping " + skip + " line(s)" : "")
                    + (header ? (names == null ? " (not even a header line)" : " after the header line") : ""),
                skip > 0 ? "lower `skip`" : "the file is empty", sink);
            return null;
        }
        if (names != null && names.size() != split(line, delimiter).size()) {
            DataFiles.error(a.span("path"), written, "the header line names " + names.size() + " column" + (names.size() == 1 ? "" : "s")
                    + ", but line " + lineNo + " has " + split(line, delimiter).size() + " fields",
                "is the first line really a header, and is the delimiter right?", sink);
            return null;
        }
        return new Preamble(names, split(line, delimiter), lineNo, line);
    }

    /**
     * Checks the first data line: every named column must exist and, unless categorical or
     * missing, hold a number. Returns the feature columns, filled in (all but the labels) when none
     * were given; null after an error.
     */
    private static List<Integer> checkLine(Preamble pre, String written, int skip, boolean header, char delimiter, List<Integer> features,
                                           List<Integer> labels, List<Integer> categorical, List<String> names, Attrs a,
                                           Diagnostics sink) {
        List<String> fields = pre.fields();
        int lineNo = pre.lineNo();
        String line = pre.line();
        int width = fields.size();
        Set<Integer> all = new LinkedHashSet<>(features);
        all.addAll(labels);
        all.addAll(categorical);
        for (int c : all) {
            if (c >= width) {
                String attr = labels.contains(c) ? "label" : categorical.contains(c) && !features.contains(c) ? "categorical" : "features";
                sink.report(Diagnostic.error(Code.DATA_FILE, a.span(attr),
                        "column " + c + " does not exist: line " + lineNo + " of `" + written + "` has " + width + " column"
                        + (width == 1 ? "" : "s") + " (0.." + (width - 1) + ")")
                    .label("past the last column")
                    .help(width == 1 && line.indexOf(delimiter == ',' ? '\t' : ',') >= 0
                        ? "the fields are not separated by `" + (delimiter == '\t' ? "\\t" : String.valueOf(delimiter)) + "`: set `delimiter`"
                        : "columns are numbered from 0"));
                return null;
            }
        }
        List<Integer> used = features;
        if (features.isEmpty()) {
            List<Integer> rest = new ArrayList<>();
            for (int c = 0; c < width; c++) if (!labels.contains(c)) rest.add(c);
            used = rest;
        }
        for (int c : used) {
            if (categorical.contains(c)) continue;
            String field = fields.get(c).trim();
            if (!isMissing(field) && !isNumber(field)) {
                String shown = c < names.size() ? "column " + c + " (`" + names.get(c) + "`)" : "column " + c;
                String ref = c < names.size() ? "\"" + names.get(c) + "\"" : Integer.toString(c);
                sink.report(Diagnostic.error(Code.DATA_FILE, a.span(a.given("features") ? "features" : "path"),
                        shown + " on line " + lineNo + " of `" + written + "` holds `" + field + "`, not a number")
                    .label("expects numeric features")
                    .help(lineNo == 1 && skip == 0 && !header ? "if the first line is a header, say `header` (or skip it with `skip 1`)"
                        : "mark text columns with `categorical " + ref + "`"));
                break;
            }
        }
        return used;
    }

    /**
     * Every distinct value (not missing) of the categorical feature columns, sorted: the one-hot
     * positions. Reads the data lines from {@code firstLine} on; null after an error.
     */
    private static Map<Integer, List<String>> scanCategories(Path path, String written, int firstLine, char delimiter,
                                                            List<Integer> features, List<Integer> categorical, List<String> names,
                                                            Attrs a, Diagnostics sink) {
        List<Integer> columns = features.stream().filter(categorical::contains).toList();
        if (columns.isEmpty()) return Map.of();
        Map<Integer, TreeSet<String>> seen = new LinkedHashMap<>();
        for (int c : columns) seen.put(c, new TreeSet<>());
        int lineNo = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(DataFiles.open(path), StandardCharsets.UTF_8), 1 << 16)) {
            String l;
            while ((l = Lines.read(r, lineNo >= firstLine - 1)) != null) {
                lineNo++;
                if (lineNo < firstLine || l.isBlank()) continue;
                List<String> fields = split(l, delimiter);
                for (int c : columns) {
                    if (c >= fields.size()) continue; // a short line: the runtime's reader names it
                    String cell = fields.get(c).trim();
                    if (isMissing(cell)) continue;
                    TreeSet<String> values = seen.get(c);
                    if (values.add(cell) && values.size() > MAX_CATEGORIES) {
                        String shown = c < names.size() ? "column " + c + " (`" + names.get(c) + "`)" : "column " + c;
                        sink.report(Diagnostic.error(Code.DATA_FILE, a.span("categorical"),
                                "categorical " + shown + " of `" + written + "` holds more than " + MAX_CATEGORIES
                                + " different values (the " + (MAX_CATEGORIES + 1) + "th, `" + cell + "`, on line " + lineNo + ")")
                            .label("too many categories for one-hot")
                            .help("is it an identifier or a number? leave it out of `features`, or out of `categorical` if it holds numbers"));
                        return null;
                    }
                }
            }
        } catch (Lines.TooLong e) {
            DataFiles.error(a.span("path"), written, "line " + (lineNo + 1) + " is longer than " + Lines.MAX + " characters",
                "is this a text file with one sample per line?", sink);
            return null;
        } catch (IOException | RuntimeException e) {
            DataFiles.error(a.span("path"), written, "cannot be read: " + e.getMessage(), null, sink);
            return null;
        }
        Map<Integer, List<String>> out = new LinkedHashMap<>();
        for (int c : columns) {
            if (seen.get(c).isEmpty()) {
                String shown = c < names.size() ? "column " + c + " (`" + names.get(c) + "`)" : "column " + c;
                sink.report(Diagnostic.error(Code.DATA_FILE, a.span("categorical"), "categorical " + shown + " of `" + written
                        + "` holds no value on any line")
                    .label("no categories")
                    .help("leave the column out of `features`"));
                return null;
            }
            out.put(c, new ArrayList<>(seen.get(c)));
        }
        return out;
    }


    /** How much of a file the checker reads to look for missing cells (characters, counted): larger files are checked by `run`. */
    static final long MAX_MISSING_SCAN = 64L << 20;

    /**
     * The missing cells that reading the data would refuse: a feature under `missing error` (the
     * default), a label under any policy but `drop` (labels are never filled in). Reported at the
     * source with the first one's file:line:col and the number of lines that have one, as `run`
     * would refuse them. Reads at most {@link #MAX_MISSING_SCAN} characters: in a larger file `run`
     * finds the cells beyond, and a report on the part read says that it is a part.
     */
    private static void scanMissing(Path path, String written, int firstLine, char delimiter, List<Integer> features,
                                    List<Integer> labels, Missing missing, List<String> names, Attrs a, Diagnostics sink) {
        List<Integer> columns = new ArrayList<>();
        if (missing == Missing.ERROR) columns.addAll(features);
        if (missing != Missing.DROP) columns.addAll(labels);
        if (columns.isEmpty()) return;
        int lineNo = 0, bad = 0, firstBad = 0, firstColumn = -1, firstCell = 0;
        String firstText = null;
        long read = 0;
        boolean whole = true;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(DataFiles.open(path), StandardCharsets.UTF_8), 1 << 16)) {
            String l;
            while ((l = Lines.read(r, lineNo >= firstLine - 1)) != null) {
                lineNo++;
                if (lineNo < firstLine || l.isBlank()) continue;
                read += l.length() + 1;
                if (read > MAX_MISSING_SCAN) {
                    whole = false;
                    break;
                }
                List<String> fields = split(l, delimiter);
                for (int c : columns) {
                    if (c >= fields.size() || !isMissing(fields.get(c).trim())) continue; // a short line: the runtime's reader names it
                    if (bad++ == 0) {
                        firstBad = lineNo;
                        firstColumn = c;
                        firstCell = cellColumn(l, c, delimiter);
                        firstText = fields.get(c).trim();
                    }
                    break;
                }
            }
        } catch (Lines.TooLong | IOException | RuntimeException e) {
            return; // the categories' scan of the same file has reported what is wrong with it
        }
        if (bad == 0) return;
        boolean label = labels.contains(firstColumn);
        String column = firstColumn < names.size() ? "column " + firstColumn + " (`" + names.get(firstColumn) + "`)" : "column " + firstColumn;
        Diagnostic.Builder b = Diagnostic.error(Code.DATA_FILE, a.span("path"), (label ? "the label " : "") + column + " on line " + firstBad
                + " of `" + written + "` " + (firstText.isEmpty() ? "is empty" : "holds `" + firstText + "`, a missing value"))
            .label(bad == 1 ? "a missing cell" : bad + " lines with missing cells" + (whole ? "" : " in the part read"))
            .note("at " + written + ":" + firstBad + ":" + firstCell);
        if (!whole) b.note("the checker read the first " + (MAX_MISSING_SCAN >> 20) + " MB of the file; `dlxc run` reads the rest");
        sink.report(b.help(label ? "a missing label cannot be filled in: fill it, drop the line, or declare `missing drop` in the source"
            : "fill in the value, or declare what missing cells mean: `missing drop`, `missing mean` or `missing zero` in the source"));
    }

    /** The 1-based character column of field {@code c}'s text in {@code line}, past leading blanks. */
    public static int cellColumn(String line, int c, char delimiter) {
        return dev.dlx.support.CsvFields.cellColumn(line, c, delimiter);
    }

    /** Fields of one line; double quotes protect delimiters, `""` is a quote. Shared with the runtime's reader. */
    public static List<String> split(String line, char delimiter) {
        return dev.dlx.support.CsvFields.split(line, delimiter);
    }

    /** The 1-based character column where each field of {@code line} starts, for messages that point at one cell. */
    public static int[] fieldColumns(String line, char delimiter) {
        return dev.dlx.support.CsvFields.fieldColumns(line, delimiter);
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) return false;
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return s.equalsIgnoreCase("nan");
        }
    }
}
