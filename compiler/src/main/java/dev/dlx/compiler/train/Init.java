package dev.dlx.compiler.train;

import dev.dlx.compiler.data.KindTable;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * `init xavier`, `init he_normal seed 1`, `init constant 0.1`, `init normal std 0.02`: how weight
 * kernels start (biases start at zero). Xavier is Glorot uniform, `he` is He normal.
 *
 * @param spelling the name as written (`xavier` for GLOROT_UNIFORM)
 * @param value    for CONSTANT
 * @param mean     for NORMAL
 * @param std      for NORMAL
 * @param limit    for UNIFORM: values are drawn from [-limit, limit]
 */
public record Init(Kind kind, String spelling, double value, double mean, double std, double limit, OptionalInt seed, Span span) {

    public enum Kind { GLOROT_UNIFORM, GLOROT_NORMAL, HE_UNIFORM, HE_NORMAL, ZEROS, CONSTANT, NORMAL, UNIFORM }

    /** Keras's default kernel initializer. */
    static Init defaultFor(Span span) {
        return new Init(Kind.GLOROT_UNIFORM, "glorot_uniform", 0, 0, 0, 0, OptionalInt.empty(), span);
    }

    private static Attr seedAttr() { return Attr.of("seed", Type.INT, "seed of the random draw"); }

    private static KindTable.Kind<RuleContext, Init> random(String word, Kind kind, String doc) {
        return new KindTable.Kind<>(word, doc, Schema.of(seedAttr()), (a, ctx) -> make(kind, word, a, ctx));
    }

    private static Init make(Kind kind, String word, Attrs a, RuleContext ctx) {
        OptionalInt seed = a.given("seed") ? OptionalInt.of(a.integer("seed")) : OptionalInt.empty();
        return new Init(kind, word,
            a.get("value") == null ? 0 : a.number("value"),
            a.get("mean") == null ? 0 : a.number("mean"),
            a.get("std") == null ? 0 : a.number("std"),
            a.get("limit") == null ? 0 : a.number("limit"),
            seed, ctx.span());
    }

    public static final KindTable<RuleContext, Init> TABLE = table();

    private static KindTable<RuleContext, Init> table() {
        List<KindTable.Kind<RuleContext, Init>> kinds = new ArrayList<>(List.of(
            random("xavier", Kind.GLOROT_UNIFORM, "Glorot/Xavier uniform: limit sqrt(6 / (fan_in + fan_out))"),
            random("glorot_uniform", Kind.GLOROT_UNIFORM, "limit sqrt(6 / (fan_in + fan_out))"),
            random("glorot_normal", Kind.GLOROT_NORMAL, "std sqrt(2 / (fan_in + fan_out)), truncated normal"),
            random("he", Kind.HE_NORMAL, "He normal: std sqrt(2 / fan_in), for relu layers"),
            random("he_uniform", Kind.HE_UNIFORM, "limit sqrt(6 / fan_in)"),
            random("he_normal", Kind.HE_NORMAL, "std sqrt(2 / fan_in), truncated normal"),
            new KindTable.Kind<>("zeros", "all zeros", Schema.of(), (a, ctx) -> make(Kind.ZEROS, "zeros", a, ctx)),
            new KindTable.Kind<>("constant", "one value everywhere",
                Schema.of(Attr.of("value", Type.FLOAT, "the value").positional().required()),
                (a, ctx) -> make(Kind.CONSTANT, "constant", a, ctx)),
            new KindTable.Kind<>("normal", "normal distribution",
                Schema.of(Attr.of("mean", Type.FLOAT, "mean").defaults(0.0),
                    Attr.of("std", Type.FLOAT, "standard deviation").defaults(0.05).above(0), seedAttr()),
                (a, ctx) -> make(Kind.NORMAL, "normal", a, ctx)),
            new KindTable.Kind<>("uniform", "uniform distribution on [-limit, limit]",
                Schema.of(Attr.of("limit", Type.FLOAT, "half-width of the interval").defaults(0.05).above(0), seedAttr()),
                (a, ctx) -> make(Kind.UNIFORM, "uniform", a, ctx))));
        return new KindTable<>("initializer", kinds);
    }
}
