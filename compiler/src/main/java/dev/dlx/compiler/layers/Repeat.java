package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * `repeat T`: a vector [d] repeated as T steps, [T, d] (Keras's RepeatVector): the start of a
 * one-to-many model, a recurrent layer with `return_sequences` reading the same vector at every
 * step. No weights.
 */
public final class Repeat implements LayerKind<Repeat.Settings> {
    /** `repeat STEPS`. */
    public record Settings(int steps) implements LayerSettings {}

    private static final Schema SCHEMA = Schema.of(
        Attr.of("steps", Type.INT, "the number of steps T of the output [T, d]").positional().required().atLeast(1));

    @Override public String name() { return "repeat"; }
    @Override public List<String> aliases() { return List.of("repeat_vector"); }
    @Override public String doc() { return "repeats a vector [d] as a sequence of `steps` equal steps [T, d] (one-to-many models)"; }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.RESHAPE; }

    @Override public Settings settings(Attrs a) { return new Settings(a.integer("steps")); }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        Shape in = ctx.input();
        if (in.rank() != 1) {
            return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`" + ctx.spelling() + "` repeats a vector [d], found " + in)
                .label("needs a vector")
                .secondary(ctx.inputSpans().get(0), "this produces " + in)
                .help(in.rank() == 0 ? "a scalar input needs `reshape [1]` first" : "insert `flatten` (or an `lstm` without `return_sequences`) before this layer"));
        }
        List<Dim> out = new ArrayList<>();
        out.add(Dim.of(ctx.settings().steps()));
        out.add(in.dim(0));
        return Shape.of(out);
    }
}
