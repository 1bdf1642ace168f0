package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.shape.Shape;

/**
 * Element-wise merges of branches with equal shapes: `add` (the residual connection
 * `a[l+2] = g(a[l] + z[l+2])`), `multiply`, `average`, `maximum`, `subtract` (two inputs).
 */
public final class Merge implements LayerKind<Merge.Settings> {
    public enum Op { ADD, MULTIPLY, AVERAGE, MAXIMUM, SUBTRACT }

    /** No attributes: the operation is the kind's. */
    public record Settings(Op op) implements LayerSettings {}

    private final Op op;

    public Merge(Op op) { this.op = op; }

    public Op op() { return op; }

    @Override public String name() { return op.name().toLowerCase(); }
    @Override public String doc() { return "element-wise " + name() + " of branches with equal shapes"; }
    @Override public Schema schema() { return Schema.of(); }
    @Override public Role role() { return Role.MERGE; }
    @Override public int minInputs() { return 2; }
    @Override public int maxInputs() { return op == Op.SUBTRACT ? 2 : Integer.MAX_VALUE; }

    @Override public Settings settings(Attrs a) { return new Settings(op); }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        Shape first = ctx.inputs().get(0);
        for (int i = 1; i < ctx.inputs().size(); i++) {
            Shape other = ctx.inputs().get(i);
            if (!first.compatible(other)) {
                Diagnostic.Builder b = ctx.error(Code.MERGE_SHAPE_MISMATCH,
                        "`" + name() + "` needs branches of equal shape, found " + first + " and " + other)
                    .label("shapes differ")
                    .secondary(ctx.inputSpans().get(0), "this branch is " + first)
                    .secondary(ctx.inputSpans().get(i), "this branch is " + other);
                if (first.rank() == other.rank() && first.rank() > 1 && first.last().equals(other.last()) == false
                        && first.without(first.rank() - 1).compatible(other.without(other.rank() - 1))) {
                    long wider = Math.max(first.last().size(), other.last().size());
                    b.help("the channel counts differ: project the shortcut with a 1x1 `conv " + wider + " 1`");
                } else if (first.rank() == other.rank() && first.rank() > 1) {
                    b.help("the spatial sizes differ: give the shortcut the same stride as the main branch");
                } else if (first.rank() == 1 && other.rank() == 1) {
                    b.help("project one branch to the other's size, e.g. with `dense " + first.last() + "`");
                }
                return ctx.fail(b);
            }
        }
        return first;
    }
}
