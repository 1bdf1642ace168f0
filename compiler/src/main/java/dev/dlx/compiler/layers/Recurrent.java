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
import java.util.ArrayList;
import java.util.List;

/**
 * Recurrent layers by the cheatsheet's equations: simple RNN (1 gate block), GRU (update and
 * relevance gates plus the candidate, 3 blocks) and LSTM (update, forget, output gates plus the
 * candidate, 4 blocks). Each block has W [F, U], U [U, U] and b [U]: `blocks * U * (F + U + 1)`
 * weights per direction (Keras's `GRU(reset_after=False)` counts the same).
 */
public final class Recurrent implements LayerKind<Recurrent.Settings> {
    public enum Cell {
        RNN("rnn", 1), GRU("gru", 3), LSTM("lstm", 4);

        private final String word;
        private final int blocks;

        Cell(String word, int blocks) {
            this.word = word;
            this.blocks = blocks;
        }

        public int blocks() { return blocks; }
    }

    /** How a bidirectional layer combines its two directions. */
    public enum Combine { CONCAT, SUM, MUL, AVERAGE }

    /**
     * `rnn|gru|lstm UNITS [return_sequences] [bidirectional] [merge M] [activation g1] [reset_after]`;
     * {@code resetAfter} is false for the cells without it.
     */
    public record Settings(Cell cell, int units, boolean returnSequences, boolean bidirectional, Combine merge,
                           Activation.Function activation, boolean resetAfter) implements LayerSettings {
        /** The output size per step: both directions side by side when they are concatenated. */
        public int outputUnits() { return bidirectional && merge == Combine.CONCAT ? 2 * units : units; }
    }

    private static final List<Attr> COMMON = List.of(
        Attr.of("units", Type.INT, "size of the hidden state a<t>").positional().required().atLeast(1),
        Attr.of("return_sequences", Type.BOOL, "output a<t> for every step [T, U] instead of the last one [U]")
            .defaults(false),
        Attr.of("bidirectional", Type.BOOL, "run a second layer backwards in time and combine both").defaults(false),
        Attr.of("merge", Type.choice("concat", "sum", "mul", "average"), "how a bidirectional layer combines directions")
            .defaults("concat"),
        Attr.of("activation", Type.choice("tanh", "relu", "sigmoid", "linear"), "g1, the state activation")
            .defaults("tanh"));

    private static final Schema SCHEMA = new Schema(COMMON);

    /** GRU alone has `reset_after`. */
    private static final Schema GRU_SCHEMA = new Schema(java.util.stream.Stream.concat(COMMON.stream(), java.util.stream.Stream.of(
        Attr.of("reset_after", Type.BOOL, "apply the relevance gate after the recurrent product, with a second bias "
            + "(Keras's default since TF 2); the cheatsheet's equations apply it before").defaults(false))).toList());

    private final Cell cell;

    public Recurrent(Cell cell) { this.cell = cell; }

    public Cell cell() { return cell; }

    @Override public String name() { return cell.word; }
    @Override public List<String> aliases() { return cell == Cell.RNN ? List.of("simple_rnn") : List.of(); }
    @Override public String doc() {
        return switch (cell) {
            case RNN -> "simple recurrent layer: a<t> = g(Waa a<t-1> + Wax x<t> + ba)";
            case GRU -> "gated recurrent unit: update and relevance gates, c<t> = Γu c~<t> + (1 - Γu) c<t-1>";
            case LSTM -> "long short-term memory: update, forget and output gates, c<t> = Γu c~<t> + Γf c<t-1>";
        };
    }
    @Override public Schema schema() { return cell == Cell.GRU ? GRU_SCHEMA : SCHEMA; }
    @Override public Role role() { return Role.RECURRENT; }

    @Override public Settings settings(Attrs a) {
        return new Settings(cell, a.integer("units"), a.flag("return_sequences"), a.flag("bidirectional"),
            Combine.valueOf(a.word("merge").toUpperCase(java.util.Locale.ROOT)),
            Activation.Function.valueOf(a.word("activation").toUpperCase(java.util.Locale.ROOT)),
            cell == Cell.GRU && a.flag("reset_after"));
    }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        Shape in = ctx.input();
        if (in.rank() != 2) {
            return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`" + name() + "` expects a sequence [T, features], found " + in)
                .label("needs rank 2")
                .secondary(ctx.inputSpans().get(0), "this produces " + in)
                .help(in.rank() == 1 ? "after another recurrent layer, give that layer `return_sequences`; token ids need an "
                        + "`embedding` first; a series of numbers needs `reshape [" + in.dim(0) + ", 1]`"
                        : "a recurrent layer reads a sequence of feature vectors [T, features]"));
        }
        if (!in.last().known()) {
            return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`" + name() + "` needs a known feature size, found " + in)
                .label("features unknown"));
        }
        Settings s = ctx.settings();
        long out = s.outputUnits();
        return s.returnSequences() ? Shape.of(List.of(in.dim(0), Dim.of(out))) : Shape.of(out);
    }

    /** A recurrent state depends on every earlier step. */
    @Override public dev.dlx.compiler.shape.ReceptiveField receptiveField(Settings s, List<dev.dlx.compiler.shape.ReceptiveField> in,
                                                                         List<Shape> shapes) {
        return dev.dlx.compiler.shape.ReceptiveField.WHOLE;
    }

    @Override public List<ParamSpec> params(Settings s, List<Shape> inputs, Shape output) {
        long f = inputs.get(0).last().size();
        long u = s.units();
        List<ParamSpec> ps = new ArrayList<>();
        for (String dir : s.bidirectional() ? List.of("forward_", "backward_") : List.of("")) {
            ps.add(ParamSpec.of(WeightRole.KERNEL, dir + "kernel", f, cell.blocks * u));
            ps.add(ParamSpec.of(WeightRole.KERNEL, dir + "recurrent_kernel", u, cell.blocks * u));
            if (s.resetAfter()) ps.add(ParamSpec.of(WeightRole.BIAS, dir + "bias", 2, cell.blocks * u));
            else ps.add(ParamSpec.of(WeightRole.BIAS, dir + "bias", cell.blocks * u));
        }
        return ps;
    }
}
