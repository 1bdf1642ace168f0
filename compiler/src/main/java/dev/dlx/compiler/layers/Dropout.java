package dev.dlx.compiler.layers;

import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Shape;

/** Inverted dropout: during training, zeroes each input with probability `rate` and scales the rest by 1/(1-rate). */
public final class Dropout implements LayerKind<Dropout.Settings> {
    /** `dropout RATE`. */
    public record Settings(double rate) implements LayerSettings {}

    private static final Schema SCHEMA = Schema.of(
        Attr.of("rate", Type.FLOAT, "probability of dropping an input (keep probability is 1 - rate)")
            .positional().required().atLeast(0).below(1));

    @Override public String name() { return "dropout"; }
    @Override public String doc() { return "drops inputs with probability `rate` during training; identity at evaluation"; }
    @Override public Schema schema() { return SCHEMA; }
    @Override public Role role() { return Role.DROPOUT; }

    @Override public Settings settings(Attrs a) { return new Settings(a.number("rate")); }

    @Override public Shape infer(LayerContext<Settings> ctx) { return ctx.input(); }
}
