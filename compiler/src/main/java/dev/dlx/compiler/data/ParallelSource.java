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
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * `source parallel "train.csv" val "val.csv" test "test.csv" tokens char vocab 48 length 32
 * target_vocab 16 target_length 12`: a parallel corpus for sequence-to-sequence training with
 * teacher forcing. Each line of a file is a pair `source,target` (a header line first); the
 * tokens are characters (or words) of each side, with a vocabulary of its own:
 * <ul>
 *   <li>the feature {@link #SOURCE} [length]: the source's token ids, `<pad>` (0) after its end
 *       (so an `embedding ... mask_zero` masks the padding), `<unk>` (1) for tokens outside the
 *       `vocab - 2` most frequent source tokens of the training file;</li>
 *   <li>the feature {@link #PREVIOUS} [target_length]: what the decoder reads at each step, the
 *       target shifted right behind `<start>`: y<0> = `<start>`, y<1>, ..., padded;</li>
 *   <li>the label {@link #TARGET} [target_length], sparse over target_vocab: the target followed by
 *       `<end>`, padded: the token the decoder must produce at each step.</li>
 * </ul>
 * Target ids: 0 `<pad>`, 1 `<unk>`, 2 `<start>`, 3 `<end>`, then the most frequent target tokens.
 * The training file's lines make the training split, the `val` and `test` files (when given) the
 * validation and test splits; `split` is then not written.
 */
public record ParallelSource(Path file, Path valFile, Path testFile, TextSource.Tokens tokens, int vocab, int length,
                             int targetVocab, int targetLength, Span span, Span vocabSpan, Span targetVocabSpan) implements Source {

    public static final String SOURCE = "source";
    public static final String PREVIOUS = "previous";
    public static final String TARGET = "target";
    /** The target ids of `<unk>` (a token outside the vocabulary) and of the special tokens, after `<pad>` (0). */
    public static final int UNKNOWN = 1, START = 2, END = 3;

    static final KindTable.Kind<SourceContext, Source> KIND = new KindTable.Kind<>("parallel",
        "pairs of token sequences (source,target lines) for sequence-to-sequence training",
        Schema.of(
            Attr.of("path", Type.STRING, "the training pairs: a csv file of `source,target` lines after a header, relative to the `.dlx` file")
                .positional().required(),
            Attr.of("val", Type.STRING, "the validation pairs, a file of the same form"),
            Attr.of("test", Type.STRING, "the test pairs, a file of the same form"),
            Attr.of("tokens", Type.choice("char", "word"), "what one token is: a character or a word").defaults("char"),
            Attr.of("vocab", Type.INT, "source token ids, `<pad>` and `<unk>` included").defaults(64).atLeast(3),
            Attr.of("length", Type.INT, "source tokens per sample (shorter sources are padded)").defaults(32).atLeast(1),
            Attr.of("target_vocab", Type.INT, "target token ids, `<pad>`, `<unk>`, `<start>` and `<end>` included").defaults(32).atLeast(5),
            Attr.of("target_length", Type.INT, "decoder steps per sample: the longest target and its `<end>`").defaults(32).atLeast(2)),
        ParallelSource::build);

    @Override public String kind() { return "parallel"; }

    @Override public List<Path> files() {
        List<Path> out = new ArrayList<>(List.of(file));
        if (valFile != null) out.add(valFile);
        if (testFile != null) out.add(testFile);
        return List.copyOf(out);
    }

    @Override public Shape sampleShape() { return Shape.of(length); }
    @Override public boolean hasLabels() { return true; }
    @Override public boolean hasTestFiles() { return testFile != null; }
    @Override public OptionalInt vocabulary() { return OptionalInt.of(vocab); }

    @Override public OptionalInt vocabulary(String feature) {
        return feature.equals(PREVIOUS) ? OptionalInt.of(targetVocab) : OptionalInt.of(vocab);
    }

    @Override public List<String> featureNames() { return List.of(SOURCE, PREVIOUS); }
    @Override public List<String> labelNames() { return List.of(TARGET); }
    @Override public boolean namesFeatures() { return true; }
    @Override public boolean namesLabels() { return true; }
    @Override public Shape sampleShape(String feature) { return feature.equals(PREVIOUS) ? Shape.of(targetLength) : Shape.of(length); }

    /** The label: a target token id per decoder step. */
    public LabelSpec targetLabels() {
        return new LabelSpec(LabelSpec.Encoding.SPARSE, targetVocab, 0, List.of(), Shape.of(targetLength), targetVocabSpan);
    }

    /** The split the files make: training, validation and test lines in file order (shares fixed when the data is read). */
    public boolean hasValFile() { return valFile != null; }

    /** The split of {@code train}, {@code val} and {@code test} lines read from the files, in that order, never shuffled. */
    public Split counted(int train, int val, int test) {
        double n = train + val + test;
        return new Split(train / n, val / n, test / n, false, OptionalInt.empty(), false, span);
    }

    private static ParallelSource build(Attrs a, SourceContext ctx) {
        Path file = file(a, "path", ctx);
        Path val = a.given("val") ? file(a, "val", ctx) : null;
        Path test = a.given("test") ? file(a, "test", ctx) : null;
        if (file == null || (a.given("val") && val == null) || (a.given("test") && test == null)) return null;
        TextSource.Tokens tokens = a.word("tokens").equals("char") ? TextSource.Tokens.CHAR : TextSource.Tokens.WORD;
        return new ParallelSource(file, val, test, tokens, a.integer("vocab"), a.integer("length"), a.integer("target_vocab"),
            a.integer("target_length"), ctx.span(), a.span("vocab"), a.span("target_vocab"));
    }

    private static Path file(Attrs a, String attr, SourceContext ctx) {
        String written = a.word(attr);
        Path p = DataFiles.resolve(ctx, written, a.span(attr));
        if (p != null) DataFiles.exists(p, written, a.span(attr), ctx.sink());
        return p;
    }

    /** `split` beside files that are the splits: an error at the statement. */
    static void splitGiven(ParallelSource p, Span split, dev.dlx.compiler.diag.Diagnostics sink) {
        sink.report(Diagnostic.error(Code.SPLIT_SIZES, split, "`source parallel` reads its splits from its files")
            .label("not needed")
            .secondary(p.span(), "training" + (p.valFile != null ? ", validation" : "") + (p.testFile != null ? " and test" : "") + " files")
            .help("remove `split`; give `val \"FILE\"` and `test \"FILE\"` in the source for held-out pairs"));
    }

    /** A `labels` statement over the fixed target label: an error at it. */
    static void labelsGiven(ParallelSource p, Span labels, dev.dlx.compiler.diag.Diagnostics sink) {
        sink.report(Diagnostic.error(Code.UNKNOWN_DIRECTIVE, labels, "the label of `source parallel` is the target, a token id per step")
            .label("not needed")
            .secondary(p.span(), "target_vocab " + p.targetVocab + ", target_length " + p.targetLength)
            .help("remove `labels`: `target_vocab` and `target_length` in the source describe the target"));
    }
}
