package dev.dlx.compiler.train;

import dev.dlx.compiler.data.KindTable;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import java.util.List;
import java.util.OptionalInt;

/**
 * `noise z normal [mean 0] [std 1] [seed 3]`, `noise z uniform [low -1] [high 1]`: a model input
 * that no dataset feature feeds; the trainer fills it with fresh random values for every batch and
 * step (a generator's latent code). The draws come from the run's seed (or the statement's own),
 * the epoch, the batch and the step, so a run repeats them exactly.
 *
 * @param input the model input it feeds
 * @param low   for UNIFORM, the lower end; for NORMAL, the mean
 * @param high  for UNIFORM, the upper end; for NORMAL, the standard deviation
 */
public record Noise(String input, Kind kind, double low, double high, OptionalInt seed, Span span) {

    public enum Kind { NORMAL, UNIFORM }

    /** The normal distribution's mean. */
    public double mean() { return low; }

    /** The normal distribution's standard deviation. */
    public double std() { return high; }

    private static Attr seedAttr() { return Attr.of("seed", Type.INT, "seed of the draws (default: the run's seed)"); }

    public static final KindTable<RuleContext, Noise> TABLE = new KindTable<>("noise", List.of(
        new KindTable.Kind<>("normal", "Gaussian values, N(mean, std^2)",
            Schema.of(Attr.of("mean", Type.FLOAT, "mean").defaults(0.0),
                Attr.of("std", Type.FLOAT, "standard deviation").defaults(1.0).above(0), seedAttr()),
            (a, ctx) -> new Noise(null, Kind.NORMAL, a.number("mean"), a.number("std"), seed(a), ctx.span())),
        new KindTable.Kind<>("uniform", "values uniform on [low, high)",
            Schema.of(Attr.of("low", Type.FLOAT, "lower end").defaults(-1.0),
                Attr.of("high", Type.FLOAT, "upper end").defaults(1.0), seedAttr()),
            (a, ctx) -> new Noise(null, Kind.UNIFORM, a.number("low"), a.number("high"), seed(a), ctx.span()))));

    private static OptionalInt seed(Attrs a) { return a.given("seed") ? OptionalInt.of(a.integer("seed")) : OptionalInt.empty(); }

    Noise withInput(String name, Span statement) { return new Noise(name, kind, low, high, seed, statement); }
}
