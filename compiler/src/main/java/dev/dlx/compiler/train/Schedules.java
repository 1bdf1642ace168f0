package dev.dlx.compiler.train;

import dev.dlx.compiler.data.KindTable;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;

/** The learning-rate schedule kinds (Keras's defaults where Keras has them). */
public final class Schedules {
    private Schedules() {}

    public static final KindTable<RuleContext, Schedule> TABLE = new KindTable<>("schedule",
        new KindTable.Kind<>("step", "drop the learning rate by a factor every few epochs",
            Schema.of(Attr.of("every", Type.INT, "epochs between drops").required().atLeast(1),
                Attr.of("factor", Type.FLOAT, "multiplier at each drop").defaults(0.5).above(0).below(1)),
            (a, ctx) -> new Schedule.Step(a.integer("every"), a.number("factor"), ctx.span())),
        new KindTable.Kind<>("exponential", "decay the learning rate exponentially",
            Schema.of(Attr.of("rate", Type.FLOAT, "multiplier per `every` epochs").required().above(0).below(1),
                Attr.of("every", Type.INT, "epochs per multiplication").defaults(1).atLeast(1)),
            (a, ctx) -> new Schedule.Exponential(a.number("rate"), a.integer("every"), ctx.span())),
        new KindTable.Kind<>("cosine", "cosine decay over the training epochs",
            Schema.of(Attr.of("min", Type.FLOAT, "the final learning rate").defaults(0.0).atLeast(0)),
            (a, ctx) -> new Schedule.Cosine(a.number("min"), ctx.span())),
        new KindTable.Kind<>("plateau", "reduce the learning rate when a metric stops improving",
            Schema.of(Attr.of("factor", Type.FLOAT, "multiplier at each reduction").defaults(0.1).above(0).below(1),
                Attr.of("patience", Type.INT, "epochs without improvement before reducing").defaults(10).atLeast(0),
                Attr.of("min_lr", Type.FLOAT, "lower bound of the learning rate").defaults(0.0).atLeast(0),
                Attr.of("min_delta", Type.FLOAT, "smallest change that counts as improvement").defaults(1e-4).atLeast(0),
                Attr.of("monitor", Type.NAME, "the metric watched: `val_loss` (or `loss` without validation data)")),
            (a, ctx) -> new Schedule.Plateau(a.number("factor"), a.integer("patience"), a.number("min_lr"), a.number("min_delta"),
                a.given("monitor") ? a.word("monitor") : ctx.defaultMonitor(), a.given("monitor") ? a.span("monitor") : null,
                ctx.span())));
}
