package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.ir.WeightRole;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Fully connected layer: `[N_in]` to `[units]` with `(N_in + 1) * units` weights. On a sequence
 * `[T, N_in]` it applies to every step (time-distributed), giving `[T, units]`.
 */
public final class Dense implements LayerKind<Dense.Settings> {
    /** `dense UNITS [bias B]`. */
    public record Settings(int units, boolean bias) implements Biased {}

    private static final Schema SCHEMA = Schema.of(
        Attr.of("units", Type.INT, "number of outputs").positional().required().atLeast(1),
        Attr.of("bias", Type.BOOL, "add a learned bias per unit").defaults(true));

    @Override public String name() { return "dense"; }
    @Override public List<String> aliases() { return List.of("fc", "linear_layer"); }
    @Override public String doc() {
        return "fully connected layer: [N] to [units]; on a sequence [T, N] it applies to every step";
    }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.DENSE; }

    @Override public Settings settings(Attrs a) { return new Settings(a.integer("units"), a.flag("bias")); }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        Shape in = ctx.input();
        if (in.rank() > 2 || in.rank() == 0) {
            return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`dense` expects a rank-1 input, found " + in)
                .label("needs a vector")
                .secondary(ctx.inputSpans().get(0), "this produces " + in)
                .help(in.rank() == 0 ? "a scalar input needs `reshape [1]`" : "insert `flatten` before this layer"));
        }
        if (!in.last().known()) {
            return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`dense` needs a known input size, found " + in)
                .label("input size unknown")
                .help("give the input's last dimension a size"));
        }
        return in.withLast(Dim.of(ctx.settings().units()));
    }

    @Override public List<ParamSpec> params(Settings s, List<Shape> inputs, Shape output) {
        List<ParamSpec> ps = new ArrayList<>();
        ps.add(ParamSpec.of(WeightRole.KERNEL, "kernel", inputs.get(0).last().size(), s.units()));
        if (s.bias()) ps.add(ParamSpec.of(WeightRole.BIAS, "bias", s.units()));
        return ps;
    }

    @Override public ReceptiveField receptiveField(Settings s, List<ReceptiveField> in, List<Shape> shapes) {
        return shapes.get(0).rank() == 2 ? in.get(0) : ReceptiveField.WHOLE;
    }
}
