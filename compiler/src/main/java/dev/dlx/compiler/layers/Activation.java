package dev.dlx.compiler.layers;

import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/**
 * An element-wise activation (or softmax over the last axis). One kind per function; they share
 * this class. The runtime lowers each by {@link #function()}.
 */
public final class Activation implements LayerKind<Activation.Settings> {
    public enum Function {
        RELU("relu", "max(0, z)"),
        RELU6("relu6", "min(max(0, z), 6)"),
        LEAKY_RELU("leaky_relu", "max(alpha z, z), alpha << 1"),
        ELU("elu", "z if z > 0 else alpha (e^z - 1)"),
        SIGMOID("sigmoid", "1 / (1 + e^-z)"),
        TANH("tanh", "(e^z - e^-z) / (e^z + e^-z)"),
        SOFTMAX("softmax", "e^z_i / sum_j e^z_j over the last axis"),
        SOFTPLUS("softplus", "log(1 + e^z)"),
        GELU("gelu", "z Φ(z) = z (1 + erf(z / sqrt 2)) / 2; with `approximate`, z (1 + tanh(sqrt(2/π) (z + 0.044715 z³))) / 2"),
        SWISH("swish", "z sigmoid(z) (also written `silu`)"),
        LINEAR("linear", "z (no activation)");

        private final String word;
        private final String formula;

        Function(String word, String formula) {
            this.word = word;
            this.formula = formula;
        }

        public String word() { return word; }
    }

    /**
     * The function, its `alpha` (leaky_relu's slope, elu's scale; 0 for the functions without one)
     * and whether gelu uses the tanh approximation (false for the others).
     */
    public record Settings(Function function, double alpha, boolean approximate) implements LayerSettings {}

    private final Function function;
    private final Schema schema;

    public Activation(Function function) {
        this.function = function;
        this.schema = switch (function) {
            case LEAKY_RELU -> Schema.of(Attr.of("alpha", Type.FLOAT, "slope for negative inputs").positional()
                    .defaults(0.01).atLeast(0).below(1));
            case ELU -> Schema.of(Attr.of("alpha", Type.FLOAT, "scale of the negative part").positional()
                    .defaults(1.0).above(0));
            case GELU -> Schema.of(Attr.of("approximate", Type.BOOL,
                    "the tanh approximation of BERT and GPT-2 instead of the exact erf form").defaults(false));
            default -> Schema.of();
        };
    }

    public Function function() { return function; }

    @Override public String name() { return function.word; }
    @Override public List<String> aliases() { return function == Function.SWISH ? List.of("silu") : List.of(); }
    @Override public String doc() { return "activation " + function.word + ": " + function.formula; }
    @Override public Schema schema() { return schema; }
    @Override public Role role() { return Role.ACTIVATION; }

    @Override public Settings settings(Attrs a) {
        return new Settings(function, schema.has("alpha") ? a.number("alpha") : 0,
            schema.has("approximate") && a.flag("approximate"));
    }

    @Override public Shape infer(LayerContext<Settings> ctx) { return ctx.input(); }
}
