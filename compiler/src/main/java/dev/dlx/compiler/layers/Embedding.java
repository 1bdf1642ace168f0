package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.ir.WeightRole;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/** Embedding `e_w = E o_w`: token ids `[T]` to vectors `[T, dim]`, with a `vocab x dim` matrix E. */
public final class Embedding implements LayerKind<Embedding.Settings> {
    /**
     * `embedding VOCAB DIM [mask_zero B] [load "vectors.txt"] [unknown error|init]`; {@code load} is the
     * path as written (null when the table starts from the initializer).
     */
    public record Settings(int vocab, int dim, boolean maskZero, String load, boolean unknownInit) implements LayerSettings {}

    private static final Schema SCHEMA = Schema.of(
        Attr.of("vocab", Type.INT, "number of distinct token ids (ids are 0..vocab-1)").positional().required().atLeast(1),
        Attr.of("dim", Type.INT, "size of each embedding vector").positional().required().atLeast(1),
        Attr.of("mask_zero", Type.BOOL, "treat id 0 as padding: later layers ignore those steps").defaults(false),
        Attr.of("load", Type.STRING, "start from word vectors in the word2vec text format, relative to the `.dlx` file"),
        Attr.of("unknown", Type.choice("error", "init"), "a vocabulary word the loaded file lacks: an error, or its initial vector")
            .defaults("error"));

    @Override public String name() { return "embedding"; }
    @Override public String doc() { return "maps token ids [T] to learned vectors [T, dim]"; }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.EMBEDDING; }

    @Override public Settings settings(Attrs a) {
        return new Settings(a.integer("vocab"), a.integer("dim"), a.flag("mask_zero"), a.given("load") ? a.word("load") : null,
            "init".equals(a.word("unknown")));
    }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        Shape in = ctx.input();
        if (in.rank() != 1) {
            return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`embedding` expects a sequence of token ids [T], found " + in)
                .label("needs rank 1")
                .secondary(ctx.inputSpans().get(0), "this produces " + in)
                .help("the model's input for text is `[T]`: one id per step"));
        }
        if (ctx.settings().load() != null) checkVectors(ctx);
        return Shape.of(List.of(in.dim(0), Dim.of(ctx.settings().dim())));
    }

    /** The path of `load`, against the folder of the file the layer is written in. */
    public static java.nio.file.Path vectorsFile(String written, dev.dlx.compiler.diag.Span at) {
        java.nio.file.Path p = java.nio.file.Path.of(written);
        java.nio.file.Path file = at == null || at.file() == null ? null : at.file().path();
        if (p.isAbsolute() || file == null || file.getParent() == null) return p.normalize();
        return file.getParent().resolve(p).toAbsolutePath().normalize();
    }

    /** `load`: the file's header "V D" against the layer's `dim` (a missing file is a warning: it may be made before training). */
    private static void checkVectors(LayerContext<Settings> ctx) {
        Settings s = ctx.settings();
        String written = s.load();
        java.nio.file.Path file;
        try {
            file = vectorsFile(written, ctx.span());
        } catch (java.nio.file.InvalidPathException e) {
            ctx.sink().report(Diagnostic.error(Code.DATA_FILE, ctx.spanOf("load"), "`" + written.replace("\0", "\\0")
                    + "` is not a file path here: " + e.getReason())
                .label("not a path")
                .help("write the path of a word2vec text file, relative to the `.dlx` file"));
            return;
        }
        if (!java.nio.file.Files.isRegularFile(file)) {
            ctx.sink().report(Diagnostic.warning(Code.DATA_FILE, ctx.spanOf("load"), "word vectors `" + written + "` not found")
                .label("no such file")
                .help("`dlxc embed RUN --export " + written + "` writes the vectors of a trained run"));
            return;
        }
        String header;
        try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            header = r.readLine();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            ctx.sink().report(Diagnostic.error(Code.DATA_FILE, ctx.spanOf("load"), "word vectors `" + written + "` cannot be read")
                .label("not UTF-8 text")
                .help("`load` reads the word2vec text format: a line \"WORDS DIMENSIONS\", then a word and its numbers per line"));
            return;
        }
        String[] hd = header == null ? new String[0] : header.trim().split("\\s+");
        if (hd.length != 2 || !hd[0].matches("\\d+") || !hd[1].matches("\\d+")) {
            ctx.sink().report(Diagnostic.error(Code.DATA_FILE, ctx.spanOf("load"), "`" + written
                    + "` does not start as the word2vec text format does")
                .label("expected a first line \"WORDS DIMENSIONS\"")
                .help("`dlxc embed RUN --export FILE` writes the format; other tools' `.txt` vectors without a header need one added"));
            return;
        }
        long dim = Long.parseLong(hd[1]);
        if (dim != s.dim()) {
            ctx.sink().report(Diagnostic.error(Code.DATA_FILE, ctx.spanOf("load"), "the vectors in `" + written + "` have " + dim
                    + " dimensions, but the embedding's `dim` is " + s.dim())
                .label(dim + " numbers per word")
                .secondary(ctx.spanOf("dim"), "dim " + s.dim())
                .help("write `embedding " + s.vocab() + " " + dim + "`"));
        }
    }

    @Override public List<ParamSpec> params(Settings s, List<Shape> inputs, Shape output) {
        return List.of(ParamSpec.of(WeightRole.EMBEDDINGS, "embeddings", s.vocab(), s.dim()));
    }
}
