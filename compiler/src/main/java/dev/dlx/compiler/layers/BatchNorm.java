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
 * Batch normalization over the last axis: `x <- γ (x - μ_B) / sqrt(σ_B² + ε) + β`. γ (`scale`) and
 * β (`center`) are trained; the moving mean and variance are not (Keras's convention).
 */
public final class BatchNorm implements LayerKind<BatchNorm.Settings> {
    /** `batchnorm [momentum M] [epsilon E] [scale B] [center B]`: `scale` learns γ, `center` learns β. */
    public record Settings(double momentum, double epsilon, boolean scale, boolean center) implements LayerSettings {}

    private static final Schema SCHEMA = Schema.of(
        Attr.of("momentum", Type.FLOAT, "decay of the moving mean and variance").defaults(0.99).atLeast(0).below(1),
        Attr.of("epsilon", Type.FLOAT, "added to the variance to avoid dividing by zero").defaults(1e-3).above(0),
        Attr.of("scale", Type.BOOL, "learn γ").defaults(true),
        Attr.of("center", Type.BOOL, "learn β").defaults(true));

    @Override public String name() { return "batchnorm"; }
    @Override public List<String> aliases() { return List.of("batch_norm", "batchnormalization"); }
    @Override public String doc() { return "normalizes each channel over the batch, then scales by γ and shifts by β"; }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.NORMALIZATION; }

    @Override public Settings settings(Attrs a) {
        return new Settings(a.number("momentum"), a.number("epsilon"), a.flag("scale"), a.flag("center"));
    }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        Shape in = ctx.input();
        if (in.rank() == 0 || !in.last().known()) {
            return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`batchnorm` needs a known last axis, found " + in)
                .label("channels unknown"));
        }
        return in;
    }

    @Override public List<ParamSpec> params(Settings s, List<Shape> inputs, Shape output) {
        long c = inputs.get(0).last().size();
        List<ParamSpec> ps = new ArrayList<>();
        if (s.scale()) ps.add(ParamSpec.of(WeightRole.SCALE, "gamma", c));
        if (s.center()) ps.add(ParamSpec.of(WeightRole.SHIFT, "beta", c));
        ps.add(ParamSpec.of(WeightRole.MOVING_MEAN, "moving_mean", c));
        ps.add(ParamSpec.of(WeightRole.MOVING_VARIANCE, "moving_variance", c));
        return ps;
    }
}
