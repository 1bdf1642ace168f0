package dev.dlx.compiler.layers;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.ir.WeightRole;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Shape;
import java.util.List;
import java.util.Locale;

/**
 * Adds a vector per position to a sequence [T, d]: step t gets `x_t + P_t`. `learned` trains the
 * table P [length, d] (an embedding of the position, BERT's and GPT's); `sinusoidal` uses the fixed
 * table of Vaswani et al., `P[t, 2i] = sin(t / 10000^(2i/d))`, `P[t, 2i+1] = cos(t / 10000^(2i/d))`,
 * and has no weights. The table has `length` rows (the input's T when left out); a shorter input
 * uses its first T rows.
 */
public final class Positional implements LayerKind<Positional.Settings> {
    /** The table: trained, or Vaswani's fixed sines and cosines. */
    public enum Encoding { LEARNED, SINUSOIDAL }

    /** `positional [learned|sinusoidal] [length N]`; {@code length} 0 means the input's T. */
    public record Settings(Encoding encoding, int length) implements LayerSettings {
        /** The table's rows for an input of {@code steps} (-1 when unknown). */
        public long rows(long steps) { return length > 0 ? length : steps; }
    }

    private static final Schema SCHEMA = Schema.of(
        Attr.of("encoding", Type.choice("learned", "sinusoidal"), "a trained table, or Vaswani's fixed sines and cosines")
            .positional().defaults("learned"),
        Attr.of("length", Type.INT, "rows of the table, the longest sequence it takes (the input's T when left out)").atLeast(1));

    @Override public String name() { return "positional"; }
    @Override public List<String> aliases() { return List.of("position_embedding"); }
    @Override public String doc() {
        return "adds a vector per position to a sequence [T, d]: a learned table [length, d], or `sinusoidal` (fixed, no weights)";
    }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.EMBEDDING; }

    @Override public Settings settings(Attrs a) {
        Object length = a.get("length");
        return new Settings(Encoding.valueOf(a.word("encoding").toUpperCase(Locale.ROOT)),
            length == null ? 0 : ((Number) length).intValue());
    }

    @Override public Shape infer(LayerContext<Settings> ctx) {
        Shape in = ctx.input();
        if (in.rank() != 2 || !in.last().known()) {
            return ctx.fail(ctx.error(Code.RANK_MISMATCH, "`positional` expects a sequence [T, d] with a known d, found " + in)
                .label(in.rank() != 2 ? "needs rank 2" : "feature size unknown")
                .secondary(ctx.inputSpans().get(0), "this produces " + in)
                .help("put it after an `embedding`: `embedding V D -> positional`"));
        }
        int length = ctx.settings().length();
        if (length == 0 && !in.dim(0).known()) {
            return ctx.fail(ctx.error(Code.MISSING_ARGUMENT, "`positional` on a sequence of unknown length needs `length`")
                .label("how many positions?")
                .secondary(ctx.inputSpans().get(0), "this produces " + in)
                .help("write `positional length 512`: the longest sequence it will see"));
        }
        if (length > 0 && in.dim(0).known() && in.dim(0).size() > length) {
            return ctx.fail(Diagnostic.error(Code.OUT_OF_RANGE, ctx.spanOf("length"),
                    "`positional` has " + length + " positions but the sequence has " + in.dim(0).size() + " steps")
                .label("table shorter than the input")
                .secondary(ctx.inputSpans().get(0), "this produces " + in)
                .help("write `length " + in.dim(0).size() + "` or more"));
        }
        return in;
    }

    @Override public List<ParamSpec> params(Settings s, List<Shape> inputs, Shape output) {
        if (s.encoding() == Encoding.SINUSOIDAL) return List.of();
        Shape in = inputs.get(0);
        return List.of(ParamSpec.of(WeightRole.EMBEDDINGS, "embeddings", s.rows(in.dim(0).size()), in.last().size()));
    }

    /** Vaswani's table [rows, d]: sin at even features, cos at odd ones, wavelengths from 2π to 10000·2π. */
    public static double[][] sinusoidal(int rows, int d) {
        double[][] p = new double[rows][d];
        for (int t = 0; t < rows; t++) {
            for (int j = 0; j < d; j++) {
                double angle = t / Math.pow(10000, (double) (j - j % 2) / d);
                p[t][j] = j % 2 == 0 ? Math.sin(angle) : Math.cos(angle);
            }
        }
        return p;
    }
}
