package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * `source text "shakespeare.txt" tokens char vocab 100 window 100 stride 1 limit 500000`: a text
 * file (or its first `limit` tokens) turned into token ids 0..vocab-1 (0 `<pad>`, 1 `<unk>` for
 * tokens outside the vocabulary, the most frequent tokens take the rest).
 * <ul>
 *   <li>with `window N`: samples are windows of N consecutive tokens taken every `stride`
 *       tokens, and each window's label is the token that follows it (language modelling: sparse
 *       labels over the vocabulary); with `targets all` the label is the window shifted by one
 *       token, the next token at every step (N sparse labels per window, many-to-many);</li>
 *   <li>with `examples skipgram|cbow|cooccurrence`: the examples word embeddings train on
 *       ({@link WordExamples}), each a few named features of word ids, and no labels;</li>
 *   <li>otherwise: one sample per line, padded or cut to `length` tokens, without labels.</li>
 * </ul>
 * A word is a lower-cased run of letters, digits and apostrophes; with `punctuation true` (the
 * default) every other visible character is a token of its own, and with `lines true` every line
 * end is the token `<eol>`.
 */
public record TextSource(Path file, Tokens tokens, int vocab, int length, boolean windows, int stride, int limit,
                         boolean everyStep, boolean punctuation, boolean lines, WordExamples examples, Span span)
        implements Source {

    public enum Tokens { CHAR, WORD }

    static final KindTable.Kind<SourceContext, Source> KIND = new KindTable.Kind<>("text",
        "a text file as sequences of token ids",
        Schema.of(
            Attr.of("path", Type.STRING, "the text file, relative to the `.dlx` file").positional().required(),
            Attr.of("tokens", Type.choice("char", "word"), "what one token is: a character or a word").defaults("word"),
            Attr.of("vocab", Type.INT, "number of token ids, padding and out-of-vocabulary included").defaults(10000).atLeast(3),
            Attr.of("length", Type.INT, "tokens per line-sample (lines are padded or cut)").defaults(100).atLeast(1),
            Attr.of("window", Type.INT, "tokens per window; each window is labelled with the next token").atLeast(1),
            Attr.of("stride", Type.INT, "tokens between the starts of consecutive windows").atLeast(1),
            Attr.of("limit", Type.INT, "read only the first N tokens of the file (a prefix of a long text)").atLeast(2),
            Attr.of("targets", Type.choice("next", "all"),
                "what a window is labelled with: the token after it, or the next token at every step").defaults("next"),
            Attr.of("punctuation", Type.BOOL, "word tokens: every punctuation mark is a token of its own").defaults(true),
            Attr.of("lines", Type.BOOL, "word tokens: every line end is the token `<eol>`").defaults(false),
            Attr.of("examples", Type.choice(WordExamples.Kind.words()), "word-embedding examples drawn from the text"),
            Attr.of("negatives", Type.INT, "negative words drawn per example (skipgram, cbow)").atLeast(1),
            Attr.of("subsample", Type.FLOAT, "subsampling threshold t of frequent words (0: none)").atLeast(0),
            Attr.of("seed", Type.INT, "seed of the examples' draws (the run's seed when left out)")),
        TextSource::build);

    @Override public String kind() { return "text"; }
    @Override public List<Path> files() { return List.of(file); }
    @Override public Shape sampleShape() { return examples == null ? Shape.of(length) : sampleShape(featureNames().get(0)); }
    @Override public boolean hasLabels() { return windows; }
    @Override public List<String> featureNames() { return examples == null ? List.of(FeatureIR.DEFAULT) : examples.kind().features(); }
    @Override public boolean namesFeatures() { return examples != null; }
    @Override public Shape sampleShape(String feature) { return examples == null ? sampleShape() : examples.shape(feature); }
    @Override public OptionalInt vocabulary() { return OptionalInt.of(vocab); }

    /** The shape of one window's label: [] (the next token) or [length] (the next token at every step). */
    public Shape labelShape() { return everyStep ? Shape.of(length) : Shape.of(); }

    private static TextSource build(Attrs a, SourceContext ctx) {
        WordExamples examples = WordExamples.bind(a, ctx.sink());
        if (a.given("examples") && examples == null) return null;
        if (examples == null) {
            for (String only : List.of("negatives", "subsample", "seed")) {
                if (!a.given(only)) continue;
                ctx.sink().report(Diagnostic.error(Code.MISSING_ARGUMENT, a.span(only), "`" + only + "` needs `examples`")
                    .label("only word-embedding examples take it")
                    .help("add `examples skipgram` (or `cbow`, `cooccurrence`), or remove `" + only + "`"));
                return null;
            }
        }
        boolean windows = examples == null && a.given("window");
        if (windows && a.given("length") && a.integer("length") != a.integer("window")) {
            ctx.sink().report(Diagnostic.error(Code.OUT_OF_RANGE, a.span("length"),
                    "`length " + a.integer("length") + "` disagrees with `window " + a.integer("window") + "`")
                .label("a window sample is `window` tokens long")
                .secondary(a.span("window"), "window")
                .help("remove `length`"));
            return null;
        }
        if (a.given("stride") && !windows) {
            ctx.sink().report(Diagnostic.error(Code.MISSING_ARGUMENT, a.span("stride"), "`stride` needs `window`")
                .label("only windows have a stride")
                .help("add `window N`, or remove `stride`"));
            return null;
        }
        if (a.given("targets") && !windows) {
            ctx.sink().report(Diagnostic.error(Code.MISSING_ARGUMENT, a.span("targets"), "`targets` needs `window`")
                .label("only windows are labelled")
                .help("add `window N`, or remove `targets`"));
            return null;
        }
        String written = a.word("path");
        Path file = DataFiles.resolve(ctx, written, a.span("path"));
        if (file == null) return null;
        DataFiles.exists(file, written, a.span("path"), ctx.sink());
        int length = windows ? a.integer("window") : a.integer("length");
        int stride = a.given("stride") ? a.integer("stride") : 1;
        Tokens tokens = a.word("tokens").equals("char") ? Tokens.CHAR : Tokens.WORD;
        int limit = a.given("limit") ? a.integer("limit") : 0;
        boolean everyStep = a.word("targets").equals("all");
        return new TextSource(file, tokens, a.integer("vocab"), length, windows, stride, limit, everyStep, a.flag("punctuation"), a.flag("lines"),
            examples, ctx.span());
    }
}
