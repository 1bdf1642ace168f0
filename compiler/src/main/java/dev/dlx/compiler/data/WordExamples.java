package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.shape.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * `source text ... examples skipgram window 5 negatives 5 subsample 1e-3`: the examples word
 * embeddings train on, drawn from the text's words (words outside the vocabulary are left out of
 * the text first, as word2vec does). In the cheatsheet's names, a context word c is looked at with
 * a target t near it:
 * <ul>
 *   <li>`skipgram`: features `context` [1] (a word), `target` [1] (a word at most `window` words
 *       from it, the reach drawn uniformly from 1..window for every context word, so near words
 *       count more) and `negatives` [k] (k words drawn from the unigram distribution raised to the
 *       power 3/4);</li>
 *   <li>`cbow`: features `context` [2·window] (the words around a target, `window` on each side),
 *       `target` [1] (the middle word) and `negatives` [k];</li>
 *   <li>`cooccurrence` (GloVe): one example per pair of words that occur within `window` words of
 *       each other, features `target` [1], `context` [1] and `count` [1], the co-occurrence count
 *       X_ij where each occurrence at distance d adds 1/d.</li>
 * </ul>
 * With `subsample t`, every epoch first drops each occurrence of a word of frequency f with
 * probability 1 - sqrt(t / f) (Mikolov et al. 2013); skip-gram and CBOW examples and negatives
 * are drawn anew every epoch from the seed, the epoch and nothing else.
 */
public record WordExamples(Kind kind, int window, int negatives, double subsample, OptionalInt seed, Span span) {

    public enum Kind {
        SKIPGRAM("skipgram", List.of("context", "target", "negatives")),
        CBOW("cbow", List.of("context", "target", "negatives")),
        COOCCURRENCE("cooccurrence", List.of("target", "context", "count"));

        private final String word;
        private final List<String> features;

        Kind(String word, List<String> features) {
            this.word = word;
            this.features = features;
        }

        public String word() { return word; }

        /** The features each example feeds, in order. */
        public List<String> features() { return features; }

        static String[] words() { return Arrays.stream(values()).map(Kind::word).toArray(String[]::new); }
    }

    public static final int DEFAULT_WINDOW = 5;
    public static final int DEFAULT_NEGATIVES = 5;
    public static final double DEFAULT_SUBSAMPLE = 1e-3;

    /** Whether examples are drawn anew every epoch (skip-gram and CBOW; co-occurrence counts are fixed). */
    public boolean redrawn() { return kind != Kind.COOCCURRENCE; }

    /** The shape of one example of {@code feature}. */
    public Shape shape(String feature) {
        return switch (feature) {
            case "negatives" -> Shape.of(negatives);
            case "context" -> kind == Kind.CBOW ? Shape.of(2L * window) : Shape.of(1);
            default -> Shape.of(1);
        };
    }

    /** The examples a `source text` asks for, or null (none asked for, or an error reported). */
    static WordExamples bind(Attrs a, Diagnostics sink) {
        if (!a.given("examples")) return null;
        String word = a.word("examples");
        Kind kind = Arrays.stream(Kind.values()).filter(k -> k.word().equals(word)).findFirst().orElseThrow();
        for (String other : List.of("stride", "targets", "length")) {
            if (!a.given(other)) continue;
            sink.report(Diagnostic.error(Code.OUT_OF_RANGE, a.span(other), "`" + other + "` does not go with `examples " + word + "`")
                .label("word-embedding examples are not windows of a language model")
                .secondary(a.span("examples"), "examples")
                .help("remove `" + other + "`; `window` is the number of words on each side"));
            return null;
        }
        if (kind == Kind.COOCCURRENCE) {
            for (String other : List.of("negatives", "subsample")) {
                if (!a.given(other)) continue;
                sink.report(Diagnostic.error(Code.OUT_OF_RANGE, a.span(other), "`" + other + "` does not go with `examples cooccurrence`")
                    .label("co-occurrence counts are not drawn")
                    .secondary(a.span("examples"), "examples")
                    .help("remove `" + other + "`, or use `examples skipgram`"));
                return null;
            }
        }
        int window = a.given("window") ? a.integer("window") : DEFAULT_WINDOW;
        int negatives = a.given("negatives") ? a.integer("negatives") : DEFAULT_NEGATIVES;
        double subsample = a.given("subsample") ? a.number("subsample") : kind == Kind.COOCCURRENCE ? 0 : DEFAULT_SUBSAMPLE;
        OptionalInt seed = a.given("seed") ? OptionalInt.of(a.integer("seed")) : OptionalInt.empty();
        return new WordExamples(kind, window, kind == Kind.COOCCURRENCE ? 0 : negatives, subsample, seed, a.span("examples"));
    }
}
