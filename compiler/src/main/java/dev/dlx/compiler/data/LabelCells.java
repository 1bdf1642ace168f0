package dev.dlx.compiler.data;

import dev.dlx.support.Lines;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The label cells of a csv or tsv source, read as `run` reads them ({@link LabelSpec#parseCell}):
 * a class name under a class-index encoding, a class outside the declared classes or a target that
 * is no number is reported at the `labels` statement, with the first bad cell's file:line:col. A
 * categorical label column without `names` may hold at most as many different words as there are
 * classes. Reads at most {@link #MAX_SCAN} characters of the file: in a larger file `run` finds the
 * cells beyond, and a report on the part read says that it is a part.
 */
final class LabelCells {
    private LabelCells() {}

    /** How much of a file the labels are checked in (characters, counted). */
    static final long MAX_SCAN = CsvSource.MAX_MISSING_SCAN;

    /** More different words than this in a categorical label column are not kept (an identifier column, not classes). */
    private static final int MAX_WORDS = 10_000;

    /** One label and the columns it is read from. */
    private record Read(LabelIR label, List<Integer> columns, boolean byWords) {}

    static void scan(CsvSource src, List<LabelIR> labels, Path baseDir, Diagnostics sink) {
        scan(src, labels, baseDir, MAX_SCAN, sink);
    }

    /** As {@link #scan(CsvSource, List, Path, Diagnostics)}, reading at most {@code limit} characters of data lines. */
    static void scan(CsvSource src, List<LabelIR> labels, Path baseDir, long limit, Diagnostics sink) {
        if (src.labelColumns().isEmpty() || !Files.isRegularFile(src.path())) return;
        List<Read> reads = new ArrayList<>();
        for (LabelIR l : labels) {
            LabelSpec spec = l.spec();
            if (spec == null || spec.encoding() == LabelSpec.Encoding.NONE) continue;
            List<Integer> columns = l.named() ? src.labelGroup(l.name()).columns() : src.labelColumns();
            if (columns.isEmpty()) continue;
            boolean byWords = spec.isClassification() && src.categorical().contains(columns.get(0)) && spec.names().isEmpty();
            reads.add(new Read(l, columns, byWords));
        }
        if (reads.isEmpty()) return;
        String written = shown(src.path(), baseDir);
        int n = reads.size();
        int[] bad = new int[n];
        long[] badLine = new long[n];
        int[] badColumn = new int[n], badAt = new int[n];
        LabelCell.Bad[] first = new LabelCell.Bad[n];
        List<TreeMap<String, Long>> words = new ArrayList<>();
        for (int i = 0; i < n; i++) words.add(new TreeMap<>());
        List<Integer> used = new ArrayList<>(src.featureColumns());
        used.addAll(src.labelColumns());
        int maxColumn = used.stream().mapToInt(Integer::intValue).max().orElse(0);
        boolean whole = true, headerPending = src.header();
        long lineNo = 0, read = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(DataFiles.open(src.path()), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = Lines.read(r, lineNo >= src.skip() - 1)) != null) {
                lineNo++;
                if (lineNo <= src.skip() || line.isBlank()) continue;
                if (headerPending) {
                    headerPending = false;
                    continue;
                }
                read += line.length() + 1;
                if (read > limit) {
                    whole = false;
                    break;
                }
                List<String> fields = CsvSource.split(line, src.delimiter());
                if (fields.size() <= maxColumn) continue; // a short line: the runtime's reader names it
                boolean dropped = false;
                for (int c : used) {
                    if (CsvSource.isMissing(fields.get(c).trim())) dropped = true;
                }
                for (int i = 0; i < n; i++) {
                    Read rd = reads.get(i);
                    if (rd.byWords()) { // the classes are the column's words, from every line, dropped or not
                        String cell = fields.get(rd.columns().get(0)).trim();
                        if (!CsvSource.isMissing(cell) && words.get(i).size() < MAX_WORDS) words.get(i).putIfAbsent(cell, lineNo);
                        continue;
                    }
                    if (dropped) continue; // dropped under `missing drop`, else reported as missing
                    for (int c : rd.columns()) {
                        if (rd.label().spec().parseCell(fields.get(c).trim()) instanceof LabelCell.Bad b) {
                            if (bad[i]++ == 0) {
                                first[i] = b;
                                badLine[i] = lineNo;
                                badColumn[i] = c;
                                badAt[i] = CsvSource.cellColumn(line, c, src.delimiter());
                            }
                            break;
                        }
                    }
                }
            }
        } catch (Lines.TooLong | IOException | RuntimeException e) {
            return; // the source's own look at the file has reported what is wrong with it
        }
        for (int i = 0; i < n; i++) {
            Read rd = reads.get(i);
            LabelSpec spec = rd.label().spec();
            Diagnostic.Builder b;
            if (rd.byWords()) {
                TreeMap<String, Long> seen = words.get(i);
                if (seen.size() <= spec.classes()) continue;
                String extra = new ArrayList<>(seen.keySet()).get(spec.classes());
                b = Diagnostic.error(Code.DATA_FILE, spec.span(), "the label " + src.columnName(rd.columns().get(0)) + " of `" + written
                        + "` holds " + (seen.size() >= MAX_WORDS ? "at least " : "") + seen.size() + " different names, but `labels` declares "
                        + spec.classes() + " classes (first extra: `" + extra + "` on line " + seen.get(extra) + ")")
                    .label(spec.classes() + " classes")
                    .secondary(rd.label().named() ? rd.label().span() : src.span(), rd.label().named() ? "label `" + rd.label().name() + "`" : "the source")
                    .help("declare `classes " + seen.size() + "`, or list the class names with `names` in class order");
            } else {
                if (bad[i] == 0) continue;
                b = Diagnostic.error(Code.DATA_FILE, spec.span(), first[i].message("in " + src.columnName(badColumn[i]) + " on line "
                        + badLine[i] + " of `" + written + "`"))
                    .label(bad[i] == 1 ? "`dlxc run` would refuse this cell" : bad[i] + " lines with such cells" + (whole ? "" : " in the part read"))
                    .secondary(rd.label().named() ? rd.label().span() : src.span(), rd.label().named() ? "label `" + rd.label().name() + "`" : "the source")
                    .note("at " + written + ":" + badLine[i] + ":" + badAt[i])
                    .help(first[i].help());
            }
            if (!whole) b.note("the checker read the first " + (limit >= 1 << 20 ? (limit >> 20) + " MB" : limit + " characters")
                + " of the file; `dlxc run` reads the rest");
            sink.report(b);
        }
    }

    /** The file as messages name it: relative to the `.dlx` file's folder, as paths are written. */
    private static String shown(Path file, Path baseDir) {
        if (baseDir == null) return file.toString();
        Path base = baseDir.toAbsolutePath().normalize();
        try {
            return base.relativize(file).toString();
        } catch (IllegalArgumentException otherRoot) {
            return file.toString();
        }
    }
}
