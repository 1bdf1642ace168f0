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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * `source tagged "segments.csv" { tokens 0, tags 1, length 64, vocab 80 }`: per-step labels from a
 * table (a tagger). Each data line is one sample: a cell of tokens separated by spaces and a cell
 * of as many tags, the tag of each token ({@link TaggedRows}). The tokens become ids as a text
 * source's do (0 `<pad>`, 1 `<unk>`, the `vocab - 2` most frequent tokens of the file 2.. by
 * frequency); each row is padded with 0 or cut to `length` steps, and its tags are class indices
 * over the tag vocabulary (the file's distinct tags in sorted order, or the `names` of `labels`),
 * with {@link #PADDED} at padded steps, which no loss, metric or class count includes.
 *
 * <p>The checker reads the file (up to 64 MB) for its tags, its longest row (the default `length`)
 * and the first row whose tokens and tags are not aligned.
 *
 * @param length the steps of every sample; -1 when not given and the file could not be read
 * @param tags   the file's distinct tags, sorted; empty when the file could not be read
 * @param whole  whether the checker read the whole file
 */
public record TaggedSource(Path file, int tokenColumn, int tagColumn, int length, int vocab, boolean header, char delimiter,
                           List<String> tags, boolean whole, Span span) implements Source {

    /** The class index of a padded step. */
    public static final int PADDED = -1;

    /** More distinct tags than this is an error: a tag column is a small vocabulary. */
    public static final int MAX_TAGS = 1000;

    public TaggedSource { tags = List.copyOf(tags); }

    static final KindTable.Kind<SourceContext, Source> KIND = new KindTable.Kind<>("tagged",
        "a table of token sequences with a tag per token (per-step labels)",
        Schema.of(
            Attr.of("path", Type.STRING, "the csv file, relative to the `.dlx` file; `.gz` files are decompressed").positional().required(),
            Attr.of("tokens", Type.INT, "the column (from 0) of the tokens, separated by spaces").required().atLeast(0),
            Attr.of("tags", Type.INT, "the column (from 0) of the tags, one per token, separated by spaces").required().atLeast(0),
            Attr.of("length", Type.INT, "steps per sample: shorter rows are padded, longer ones cut (the longest row when left out)").atLeast(1),
            Attr.of("vocab", Type.INT, "number of token ids, padding and out-of-vocabulary included").defaults(10000).atLeast(3),
            Attr.of("header", Type.BOOL, "the first line names the columns and is skipped").defaults(false),
            Attr.of("delimiter", Type.STRING, "the character between fields (`,` unless given; `\\t` for a tab)")),
        TaggedSource::build);

    @Override public String kind() { return "tagged"; }
    @Override public List<Path> files() { return List.of(file); }
    @Override public Shape sampleShape() { return length < 0 ? Shape.UNKNOWN : Shape.of(length); }
    @Override public boolean hasLabels() { return true; }
    @Override public OptionalInt vocabulary() { return OptionalInt.of(vocab); }
    @Override public OptionalInt classCount() { return tags.isEmpty() ? OptionalInt.empty() : OptionalInt.of(tags.size()); }

    /** The labels without a `labels` statement: a tag index at every step, over the file's tags. */
    LabelSpec defaultLabels(Span at) {
        return new LabelSpec(LabelSpec.Encoding.SPARSE, tags.size(), 0, tags, sampleShape(), at);
    }

    /**
     * The labels as `labels classes N sparse [names ...]` describes them: class indices at every step;
     * without `names` the classes are the file's tags (as many), with them every tag of the file
     * must be one of the names. Null after an error.
     */
    LabelSpec labels(LabelSpec bound, Diagnostics sink) {
        if (bound.encoding() != LabelSpec.Encoding.SPARSE) {
            sink.report(Diagnostic.error(Code.LOSS_LABEL_MISMATCH, bound.span(),
                    "`source tagged` labels every step with a tag index, but `labels` asks for " + bound.encoding().name().toLowerCase(java.util.Locale.ROOT))
                .label("per-step labels are class indices")
                .secondary(span, "source tagged")
                .help("write `labels classes " + Math.max(bound.classes(), tags.size()) + " sparse` (or remove `labels`)"));
            return null;
        }
        if (bound.names().isEmpty()) {
            if (!tags.isEmpty() && bound.classes() != tags.size()) {
                sink.report(Diagnostic.error(Code.DATA_FILE, bound.span(), "`labels` declares " + bound.classes() + " classes, but the tags of `"
                        + file.getFileName() + "` are " + tags.size() + (whole ? "" : " or more") + ": " + shown(tags))
                    .label(bound.classes() + " classes")
                    .secondary(span, tags.size() + " different tags")
                    .help("declare `classes " + tags.size() + "`, or list the tags with `names` in class order"));
                return null;
            }
            return new LabelSpec(bound.encoding(), bound.classes(), 0, tags, sampleShape(), bound.span());
        }
        List<String> unknown = tags.stream().filter(t -> !bound.names().contains(t)).toList();
        if (!unknown.isEmpty()) {
            sink.report(Diagnostic.error(Code.DATA_FILE, bound.span(), "the tags of `" + file.getFileName() + "` include "
                    + shown(unknown) + ", which `names` does not list")
                .label("names " + shown(bound.names()))
                .secondary(span, "the tags")
                .help("add " + (unknown.size() == 1 ? "it" : "them") + " to `names` (and to `classes`), in class order"));
            return null;
        }
        return new LabelSpec(bound.encoding(), bound.classes(), 0, bound.names(), sampleShape(), bound.span());
    }

    /** "`B` and `I`", the first 12 of many and how many more. */
    private static String shown(List<String> words) {
        String first = Suggest.listAll(words.subList(0, Math.min(words.size(), 12)));
        return words.size() > 12 ? first + " (and " + (words.size() - 12) + " more)" : first;
    }

    private static TaggedSource build(Attrs a, SourceContext ctx) {
        String written = a.word("path");
        Path file = DataFiles.resolve(ctx, written, a.span("path"));
        if (file == null) return null;
        int tokens = a.integer("tokens"), tagColumn = a.integer("tags");
        if (tokens == tagColumn) {
            ctx.sink().report(Diagnostic.error(Code.OUT_OF_RANGE, a.span("tags"), "the tokens and the tags are both column " + tokens)
                .label("the same column")
                .secondary(a.span("tokens"), "tokens")
                .help("the tags are a column of their own, e.g. `tokens 0, tags 1`"));
            return null;
        }
        char delimiter = ',';
        if (a.given("delimiter")) {
            String d = a.word("delimiter").equals("\\t") ? "\t" : a.word("delimiter");
            if (d.length() != 1 || d.charAt(0) == '"' || d.charAt(0) == ' ') {
                ctx.sink().report(Diagnostic.error(Code.OUT_OF_RANGE, a.span("delimiter"), "the delimiter must be one character other than a space or a quote, found \""
                        + a.word("delimiter") + "\"")
                    .label("not a delimiter")
                    .help("for example `delimiter \"\\t\"`: the spaces separate the tokens within a cell"));
                return null;
            }
            delimiter = d.charAt(0);
        }
        int length = a.given("length") ? a.integer("length") : -1;
        TaggedSource source = new TaggedSource(file, tokens, tagColumn, length, a.integer("vocab"), a.flag("header"), delimiter,
            List.of(), false, ctx.span());
        if (!DataFiles.exists(file, written, a.span("path"), ctx.sink())) return source;
        return source.scanned(written, a.span("path"), a.given("length"), ctx.sink());
    }

    /** This source with what the checker reads in the file: its tags, its longest row; a misaligned row is an error. */
    private TaggedSource scanned(String written, Span at, boolean lengthGiven, Diagnostics sink) {
        Map<String, Long> seen = new TreeMap<>();
        int[] longest = {0};
        boolean all;
        try {
            all = TaggedRows.read(this, CsvSource.MAX_MISSING_SCAN, row -> {
                longest[0] = Math.max(longest[0], row.tokens().length);
                for (String t : row.tags()) {
                    if (seen.size() >= MAX_TAGS && !seen.containsKey(t)) {
                        throw new TaggedRows.Bad(row.line(), 1, "the tags column holds more than " + MAX_TAGS + " different tags",
                            "the tags are a small vocabulary (B/I, parts of speech); is `tags` the right column?");
                    }
                    seen.putIfAbsent(t, row.line());
                }
            });
        } catch (TaggedRows.Bad bad) {
            sink.report(Diagnostic.error(Code.DATA_FILE, at, "`" + written + "`: " + bad.getMessage())
                .label("`dlxc run` would refuse this line")
                .note("at " + written + ":" + bad.line() + ":" + bad.column())
                .help(bad.help()));
            return null;
        } catch (IOException | Lines.TooLong e) {
            DataFiles.error(at, written, "cannot be read (" + e.getMessage() + ")", null, sink);
            return null;
        }
        if (seen.isEmpty()) {
            DataFiles.error(at, written, "has no data lines", "one line per sample: its tokens, then their tags", sink);
            return null;
        }
        int steps = lengthGiven ? length : longest[0];
        return new TaggedSource(file, tokenColumn, tagColumn, steps, vocab, header, delimiter, new ArrayList<>(seen.keySet()), all, span);
    }
}
