package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
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
    /** `embedding VOCAB DIM [mask_zero B]`. */
    public record Settings(int vocab, int dim, boolean maskZero) implements LayerSettings {}

    private static final Schema SCHEMA = Schema.of(
        Attr.of("vocab", Type.INT, "number of distinct token ids (ids are 0..vocab-1)").positional().required().atLeast(1),
        Attr.of("dim", Type.INT, "size of each embedding vector").positional().required().atLeast(1),
        Attr.of("mask_zero", Type.BOOL, "treat id 0 as padding: later layers ignore those steps").defaults(false));

    @Override public String name() { return "embedding"; }
    @Override public String doc() { return "maps token ids [T] to learned vectors [T, dim]"; }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.EMBEDDING; }

    @Override public Settings settings(Attrs a) {
        return new Settings(a.integer("vocab"), a.integer("dim"), a.flag("mask_zero"));
    }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        Shape in = ctx.input();
        if (in.rank() != 1) {
            return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`embedding` expects a sequence of token ids [T], found " + in)
                .label("needs rank 1")
                .secondary(ctx.inputSpans().get(0), "this produces " + in)
                .help("the model's input for text is `[T]`: one id per step"));
        }
        return Shape.of(List.of(in.dim(0), Dim.of(ctx.settings().dim())));
    }

    @Override public List<ParamSpec> params(Settings s, List<Shape> inputs, Shape output) {
        return List.of(ParamSpec.of(WeightRole.EMBEDDINGS, "embeddings", s.vocab(), s.dim()));
    }
}
