package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/** Embedding `e_w = E o_w`: token ids `[T]` to vectors `[T, dim]`, with a `vocab x dim` matrix E. */
public final class Embedding implements LayerKind {
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

    @Override public Shape infer(LayerContext ctx) {
        Shape in = ctx.input();
        if (in.rank() != 1) {
            return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`embedding` expects a sequence of token ids [T], found " + in)
                .label("needs rank 1")
                .secondary(ctx.inputSpans().get(0), "this produces " + in)
                .help("the model's input for text is `[T]`: one id per step"));
        }
        if (ctx.attrs().given("load")) checkVectors(ctx);
        return Shape.of(List.of(in.dim(0), Dim.of(ctx.attrs().integer("dim"))));
    }

    /** The path of `load`, against the folder of the file the layer is written in. */
    public static java.nio.file.Path vectorsFile(String written, dev.dlx.compiler.diag.Span at) {
        java.nio.file.Path p = java.nio.file.Path.of(written);
        java.nio.file.Path file = at == null || at.file() == null ? null : at.file().path();
        if (p.isAbsolute() || file == null || file.getParent() == null) return p.normalize();
        return file.getParent().resolve(p).toAbsolutePath().normalize();
    }

    /** `load`: the file's header "V D" against the layer's `dim` (a missing file is a warning: it may be made before training). */
    private static void checkVectors(LayerContext ctx) {
        String written = ctx.attrs().word("load");
        java.nio.file.Path file;
        try {
            file = vectorsFile(written, ctx.span());
        } catch (java.nio.file.InvalidPathException e) {
            ctx.sink().report(Diagnostic.error(Code.DATA_FILE, ctx.attrs().span("load"), "`" + written.replace("\0", "\\0")
                    + "` is not a file path here: " + e.getReason())
                .label("not a path")
                .help("write the path of a word2vec text file, relative to the `.dlx` file"));
            return;
        }
        if (!java.nio.file.Files.isRegularFile(file)) {
            ctx.sink().report(Diagnostic.warning(Code.DATA_FILE, ctx.attrs().span("load"), "word vectors `" + written + "` not found")
                .label("no such file")
                .help("`dlxc embed RUN --export " + written + "` writes the vectors of a trained run"));
            return;
        }
        String header;
        try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            header = r.readLine();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            ctx.sink().report(Diagnostic.error(Code.DATA_FILE, ctx.attrs().span("load"), "word vectors `" + written + "` cannot be read")
                .label("not UTF-8 text")
                .help("`load` reads the word2vec text format: a line \"WORDS DIMENSIONS\", then a word and its numbers per line"));
            return;
        }
        String[] hd = header == null ? new String[0] : header.trim().split("\\s+");
        if (hd.length != 2 || !hd[0].matches("\\d+") || !hd[1].matches("\\d+")) {
            ctx.sink().report(Diagnostic.error(Code.DATA_FILE, ctx.attrs().span("load"), "`" + written
                    + "` does not start as the word2vec text format does")
                .label("expected a first line \"WORDS DIMENSIONS\"")
                .help("`dlxc embed RUN --export FILE` writes the format; other tools' `.txt` vectors without a header need one added"));
            return;
        }
        long dim = Long.parseLong(hd[1]);
        if (dim != ctx.attrs().integer("dim")) {
            ctx.sink().report(Diagnostic.error(Code.DATA_FILE, ctx.attrs().span("load"), "the vectors in `" + written + "` have " + dim
                    + " dimensions, but the embedding's `dim` is " + ctx.attrs().integer("dim"))
                .label(dim + " numbers per word")
                .secondary(ctx.attrs().span("dim"), "dim " + ctx.attrs().integer("dim"))
                .help("write `embedding " + ctx.attrs().integer("vocab") + " " + dim + "`"));
        }
    }

    @Override public List<ParamSpec> params(Attrs a, List<Shape> inputs, Shape output) {
        return List.of(ParamSpec.trainable("embeddings", a.integer("vocab"), a.integer("dim")));
    }
}
