package dev.dlx.compiler.train;

import dev.dlx.compiler.data.KindTable;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;

/** The optimizer kinds, each with every hyperparameter and Keras's default for it. */
public final class Optimizers {
    private Optimizers() {}

    /** Adaptive optimizers above this learning rate usually diverge (lint). */
    static final double LARGE_ADAPTIVE_LR = 0.01;
    /** Plain and momentum gradient descent above this learning rate usually diverge (lint). */
    static final double LARGE_DESCENT_LR = 1;

    private static Attr lr(double byDefault) {
        return Attr.of("lr", Type.FLOAT, "learning rate α").defaults(byDefault).above(0);
    }

    private static Attr decay(String name, double byDefault, String doc) {
        return Attr.of(name, Type.FLOAT, doc).defaults(byDefault).atLeast(0).below(1);
    }

    private static Attr epsilon() {
        return Attr.of("epsilon", Type.FLOAT, "ε added to the denominator for numerical stability").defaults(1e-7).above(0);
    }

    public static final KindTable<RuleContext, Optimizer> TABLE = new KindTable<>("optimizer",
        new KindTable.Kind<>("sgd", "plain (mini-batch) gradient descent", Schema.of(lr(0.01)),
            (a, ctx) -> lint(a, ctx, new Optimizer.Sgd(a.number("lr"), ctx.span()))),
        new KindTable.Kind<>("momentum", "gradient descent with momentum; dampens oscillations",
            Schema.of(lr(0.01), decay("beta", 0.9, "momentum β: decay of the velocity"),
                Attr.of("nesterov", Type.BOOL, "Nesterov's look-ahead gradient").defaults(false)),
            (a, ctx) -> lint(a, ctx, new Optimizer.Momentum(a.number("lr"), a.number("beta"), a.flag("nesterov"), ctx.span()))),
        new KindTable.Kind<>("rmsprop", "root mean square propagation",
            Schema.of(lr(0.001), decay("rho", 0.9, "decay ρ of the squared-gradient average"), epsilon()),
            (a, ctx) -> lint(a, ctx, new Optimizer.RmsProp(a.number("lr"), a.number("rho"), a.number("epsilon"), ctx.span()))),
        new KindTable.Kind<>("adam", "adaptive moment estimation",
            Schema.of(lr(0.001), decay("beta1", 0.9, "decay β1 of the gradient average"),
                decay("beta2", 0.999, "decay β2 of the squared-gradient average"), epsilon()),
            (a, ctx) -> lint(a, ctx, new Optimizer.Adam(a.number("lr"), a.number("beta1"), a.number("beta2"),
                a.number("epsilon"), ctx.span()))),
        new KindTable.Kind<>("adagrad", "per-parameter rates from the sum of squared gradients",
            Schema.of(lr(0.01), Attr.of("initial", Type.FLOAT, "starting value of the accumulators").defaults(0.1).atLeast(0), epsilon()),
            (a, ctx) -> lint(a, ctx, new Optimizer.Adagrad(a.number("lr"), a.number("initial"), a.number("epsilon"), ctx.span()))),
        new KindTable.Kind<>("adadelta", "Adagrad with decaying averages instead of sums",
            Schema.of(lr(1.0), decay("rho", 0.95, "decay ρ of the running averages"), epsilon()),
            (a, ctx) -> new Optimizer.Adadelta(a.number("lr"), a.number("rho"), a.number("epsilon"), ctx.span())));

    /** Adam, RMSprop and Adagrad with a learning rate above 0.01, SGD and momentum above 1: a warning. */
    private static Optimizer lint(Attrs a, RuleContext ctx, Optimizer o) {
        boolean descent = o instanceof Optimizer.Sgd || o instanceof Optimizer.Momentum;
        double limit = descent ? LARGE_DESCENT_LR : LARGE_ADAPTIVE_LR;
        if (o.lr() > limit) {
            String above = descent ? "1" : "0.01";
            ctx.sink().report(Diagnostic.warning(Code.LINT_LARGE_LEARNING_RATE, a.span("lr"),
                    "learning rate " + a.span("lr").text() + " is large for `" + o.kind().word() + "`")
                .label("above " + above)
                .note((descent ? "gradient descent usually diverges" : "adaptive optimizers usually diverge") + " above " + above)
                .help(descent ? "try `lr 0.01`" : "try `lr 1e-3`"));
        }
        return o;
    }
}
