package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;

/** Joins branches along one axis (the channels by default), as inception modules do. */
public final class Concat implements LayerKind<Concat.Settings> {
    /** `concat [axis A]`, the axis as written (-1 is the last). */
    public record Settings(int axis) implements LayerSettings {
        /** The axis as a non-negative index for inputs of rank {@code rank}. */
        public int axisFor(int rank) { return Concat.axis(axis, rank); }
    }

    private static final Schema SCHEMA = Schema.of(
        Attr.of("axis", Type.INT, "the axis to join along, counting from 0 without the batch; -1 is the last")
            .defaults(-1));

    @Override public String name() { return "concat"; }
    @Override public List<String> aliases() { return List.of("concatenate"); }
    @Override public String doc() { return "joins branches along `axis`; all other axes must agree"; }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.MERGE; }
    @Override public int minInputs() { return 2; }
    @Override public int maxInputs() { return Integer.MAX_VALUE; }

    /** The axis as a non-negative index for rank {@code rank}. */
    public static int axis(int written, int rank) { return written < 0 ? rank + written : written; }

    @Override public Settings settings(Attrs a) { return new Settings(a.integer("axis")); }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        Shape first = ctx.inputs().get(0);
        int written = ctx.settings().axis();
        int axis = axis(written, first.rank());
        if (axis < 0 || axis >= first.rank()) {
            return ctx.fail(Diagnostic.error(Code.OUT_OF_RANGE, ctx.spanOf("axis"),
                    "`concat` axis " + written + " is outside the rank-" + first.rank() + " inputs " + first)
                .label("no such axis")
                .help("axes count from 0 (or from -1 at the end), without the batch dimension"));
        }
        long total = 0;
        boolean known = true;
        for (int i = 0; i < ctx.inputs().size(); i++) {
            Shape s = ctx.inputs().get(i);
            boolean ok = s.rank() == first.rank();
            for (int d = 0; ok && d < s.rank(); d++) {
                if (d == axis) continue;
                Dim a = first.dim(d), b = s.dim(d);
                if (a.known() && b.known() && a.size() != b.size()) ok = false;
            }
            if (!ok) {
                return ctx.fail(ctx.error(Code.MERGE_SHAPE_MISMATCH, "`concat` along axis " + written
                        + " needs the other axes to agree, found " + first + " and " + s)
                    .label("shapes differ off the concat axis")
                    .secondary(ctx.inputSpans().get(0), "this branch is " + first)
                    .secondary(ctx.inputSpans().get(i), "this branch is " + s)
                    .help("give every branch the same spatial size (same strides, `padding same`)"));
            }
            Dim d = s.dim(axis);
            if (d.known()) total += d.size();
            else known = false;
        }
        List<Dim> out = new ArrayList<>(first.dims());
        out.set(axis, known ? Dim.of(total) : Dim.UNKNOWN);
        return Shape.of(out);
    }
}
