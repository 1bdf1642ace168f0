package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/** Global max or average pooling: `[spatial..., C]` to `[C]`. No weights. */
public final class GlobalPool implements LayerKind<GlobalPool.Settings> {
    /** No attributes: the operation is the kind's. */
    public record Settings(Pool.Op op) implements LayerSettings {}

    private final Pool.Op op;

    public GlobalPool(Pool.Op op) { this.op = op; }

    public Pool.Op op() { return op; }

    @Override public String name() { return op == Pool.Op.MAX ? "global_maxpool" : "global_avgpool"; }
    @Override public String doc() {
        return (op == Pool.Op.MAX ? "maximum" : "average") + " over all spatial positions, per channel: [..., C] to [C]";
    }
    @Override public Schema schema() { return Schema.of(); }
    @Override public Role role() { return Role.POOL; }

    @Override public Settings settings(Attrs a) { return new Settings(op); }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        Shape in = ctx.input();
        if (in.rank() < 2) {
            return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`" + name() + "` expects a feature map with channels last, found " + in)
                .label("nothing to pool over")
                .secondary(ctx.inputSpans().get(0), "this produces " + in)
                .help("global pooling comes after convolutions; a vector needs no pooling"));
        }
        return Shape.of(List.of(in.last()));
    }

    @Override public ReceptiveField receptiveField(Settings s, List<ReceptiveField> in, List<Shape> shapes) {
        return ReceptiveField.WHOLE;
    }
}
