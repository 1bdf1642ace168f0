package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.ir.WeightRole;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Layer normalization over the last axis of each example (each step of a sequence):
 * `x <- γ (x - μ) / sqrt(σ² + ε) + β` with μ and σ² the mean and (biased) variance of that axis.
 * No moving statistics: training and evaluation compute the same thing. γ (`scale`) and β
 * (`center`) have the size of the last axis.
 */
public final class LayerNorm implements LayerKind<LayerNorm.Settings> {
    /** `layernorm [epsilon E] [scale B] [center B]`: `scale` learns γ, `center` learns β. */
    public record Settings(double epsilon, boolean scale, boolean center) implements LayerSettings {}

    private static final Schema SCHEMA = Schema.of(
        Attr.of("epsilon", Type.FLOAT, "added to the variance to avoid dividing by zero").defaults(1e-3).above(0),
        Attr.of("scale", Type.BOOL, "learn γ").defaults(true),
        Attr.of("center", Type.BOOL, "learn β").defaults(true));

    @Override public String name() { return "layernorm"; }
    @Override public List<String> aliases() { return List.of("layer_norm", "layernormalization"); }
    @Override public String doc() {
        return "normalizes the last axis of each example (each step of a sequence), then scales by γ and shifts by β";
    }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.NORMALIZATION; }

    @Override public Settings settings(Attrs a) { return new Settings(a.number("epsilon"), a.flag("scale"), a.flag("center")); }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        Shape in = ctx.input();
        if (in.rank() == 0 || !in.last().known()) {
            return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`layernorm` needs a known last axis, found " + in)
                .label("features unknown")
                .secondary(ctx.inputSpans().get(0), "this produces " + in));
        }
        return in;
    }

    @Override public List<ParamSpec> params(Settings s, List<Shape> inputs, Shape output) {
        long d = inputs.get(0).last().size();
        List<ParamSpec> ps = new ArrayList<>();
        if (s.scale()) ps.add(ParamSpec.of(WeightRole.SCALE, "gamma", d));
        if (s.center()) ps.add(ParamSpec.of(WeightRole.SHIFT, "beta", d));
        return ps;
    }
}
