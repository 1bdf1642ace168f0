package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
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
import java.util.List;
import java.util.Set;

/**
 * `source csv "data/digits.csv.gz" { features 0..63, label 64, skip 1 }`: one sample per line,
 * features and label(s) taken from numbered columns (0-based, ranges inclusive). Only the first
 * data line is read, to check that the named columns exist and hold numbers.
 *
 * @param featureColumns the feature columns in order; empty only when they were not given and
 *                       the file could not be read (the sample shape is then unknown)
 * @param labelColumns   the label column, several for multi-target regression, none for
 *                       unlabelled data
 * @param categorical    columns holding category words (or codes) rather than numbers; each
 *                       becomes one integer index, so the shape does not change
 */
public record CsvSource(Format format, Path path, List<Integer> featureColumns, List<Integer> labelColumns,
                        int skip, char delimiter, List<Integer> categorical, Span span) implements Source {

    public enum Format { CSV, TSV }

    public CsvSource {
        featureColumns = List.copyOf(featureColumns);
        labelColumns = List.copyOf(labelColumns);
        categorical = List.copyOf(categorical);
    }

    @Override public String kind() { return format == Format.CSV ? "csv" : "tsv"; }
    @Override public List<Path> files() { return List.of(path); }
    @Override public boolean hasLabels() { return !labelColumns.isEmpty(); }

    @Override public Shape sampleShape() {
        return featureColumns.isEmpty() ? Shape.UNKNOWN : Shape.of(featureColumns.size());
    }

    static Schema schema() {
        return Schema.of(
            Attr.of("path", Type.STRING, "the file, relative to the `.dlx` file; `.gz` files are decompressed").positional().required(),
            Attr.of("features", ListTypes.COLUMNS, "feature columns, 0-based, ranges inclusive: `0..63`; all but the label when left out"),
            Attr.of("label", ListTypes.COLUMNS, "the label column (several for multi-target regression); none for unlabelled data"),
            Attr.of("skip", Type.INT, "header lines to skip before the first sample").defaults(0).atLeast(0),
            Attr.of("delimiter", Type.STRING, "the character between fields (`,` for csv, a tab for tsv)"),
            Attr.of("categorical", ListTypes.COLUMNS, "columns holding category names, mapped to integer indices"));
    }

    static KindTable.Kind<SourceContext, Source> kind(String name, Format format) {
        return new KindTable.Kind<>(name, "delimited text, one sample per line", schema(), (a, ctx) -> build(format, a, ctx));
    }

    private static CsvSource build(Format format, Attrs a, SourceContext ctx) {
        Diagnostics sink = ctx.sink();
        String written = a.word("path");
        Path path = DataFiles.resolve(ctx.baseDir(), written, a.span("path"), sink);
        if (path == null) return null;
        List<Integer> features = ListTypes.columns(a.get("features"));
        List<Integer> labels = ListTypes.columns(a.get("label"));
        List<Integer> categorical = ListTypes.columns(a.get("categorical"));
        boolean ok = distinct("features", features, a, sink) & distinct("label", labels, a, sink);
        for (int c : labels) {
            if (features.contains(c)) {
                sink.report(Diagnostic.error(Code.OUT_OF_RANGE, a.span("label"), "column " + c + " is both a feature and the label")
                    .label("also among the features")
                    .secondary(a.span("features"), "features")
                    .help("leave the label column out of `features`"));
                ok = false;
            }
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
        char delimiter = format == Format.CSV ? ',' : '\t';
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
        if (ok && DataFiles.exists(path, written, a.span("path"), sink)) {
            features = peek(path, written, skip, delimiter, features, labels, categorical, a, sink);
        }
        return new CsvSource(format, path, features, labels, skip, delimiter, categorical, ctx.span());
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

    /**
     * Reads the first data line: every named column must exist and, unless categorical, hold a
     * number. Returns the feature columns, filled in (all but the labels) when none were given.
     */
    private static List<Integer> peek(Path path, String written, int skip, char delimiter, List<Integer> features,
                                      List<Integer> labels, List<Integer> categorical, Attrs a, Diagnostics sink) {
        String line = null;
        int lineNo = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(DataFiles.open(path), StandardCharsets.UTF_8))) {
            String l;
            while ((l = readLine(r, lineNo > skip - 1)) != null) {
                lineNo++;
                if (lineNo > skip && !l.isBlank()) {
                    line = l;
                    break;
                }
            }
        } catch (LineTooLong e) {
            DataFiles.error(a.span("path"), written, "line " + (lineNo + 1) + " is longer than " + MAX_LINE + " characters",
                "is this a text file with one sample per line?", sink);
            return features;
        } catch (IOException | RuntimeException e) {
            DataFiles.error(a.span("path"), written, "cannot be read: " + e.getMessage(),
                path.toString().endsWith(".gz") ? "a `.gz` file must be gzip-compressed" : null, sink);
            return features;
        }
        if (line == null) {
            DataFiles.error(a.span("path"), written, "has no data line" + (skip > 0 ? " after skipping " + skip + " line(s)" : ""),
                skip > 0 ? "lower `skip`" : "the file is empty", sink);
            return features;
        }
        List<String> fields = split(line, delimiter);
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
                return features;
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
            if (!isNumber(field)) {
                sink.report(Diagnostic.error(Code.DATA_FILE, a.span(a.given("features") ? "features" : "path"),
                        "column " + c + " on line " + lineNo + " of `" + written + "` holds `" + field + "`, not a number")
                    .label("expects numeric features")
                    .help(lineNo == 1 && skip == 0 ? "if the first line is a header, skip it with `skip 1`"
                        : "mark text columns with `categorical " + c + "`"));
                break;
            }
        }
        return used;
    }

    /** Lines longer than this are not read (a binary file has none). */
    static final int MAX_LINE = 1 << 22;

    private static final class LineTooLong extends Exception {
        private static final long serialVersionUID = 1L;

        LineTooLong() { super(null, null, false, false); }
    }

    /**
     * The next line without its line break, or null at the end; skipped lines ({@code keep}
     * false) are not stored, so a long header costs no memory.
     */
    private static String readLine(BufferedReader r, boolean keep) throws IOException, LineTooLong {
        StringBuilder out = new StringBuilder();
        long length = 0;
        int c;
        boolean any = false;
        while ((c = r.read()) >= 0) {
            any = true;
            if (c == '\n') break;
            if (++length > MAX_LINE) throw new LineTooLong();
            if (keep) out.append((char) c);
        }
        if (!any) return null;
        int n = out.length();
        if (n > 0 && out.charAt(n - 1) == '\r') out.setLength(n - 1);
        return out.toString();
    }

    /** Fields of one line; double quotes protect delimiters, `""` is a quote. Shared with the runtime's reader. */
    public static List<String> split(String line, char delimiter) {
        List<String> out = new ArrayList<>();
        if (line.indexOf('"') < 0) {
            int start = 0;
            for (int i = 0; i < line.length(); i++) {
                if (line.charAt(i) == delimiter) {
                    out.add(line.substring(start, i));
                    start = i + 1;
                }
            }
            out.add(line.substring(start));
            return out;
        }
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (ch == delimiter && !quoted) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        out.add(field.toString());
        return Collections.unmodifiableList(out);
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
