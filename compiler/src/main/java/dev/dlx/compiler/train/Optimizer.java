package dev.dlx.compiler.train;

import dev.dlx.compiler.diag.Span;

/**
 * `optimizer adam lr 1e-3 beta1 0.9`: the update rule and all of its hyperparameters, with Keras's
 * defaults for those not written. Schemas live in {@code Optimizers}.
 */
public sealed interface Optimizer {

    enum Kind {
        SGD("sgd"), MOMENTUM("momentum"), RMSPROP("rmsprop"), ADAM("adam"), ADAGRAD("adagrad"), ADADELTA("adadelta");

        private final String word;

        Kind(String word) { this.word = word; }

        public String word() { return word; }
    }

    Kind kind();

    /** The learning rate α. */
    double lr();

    Span span();

    /** w <- w - α dw */
    record Sgd(double lr, Span span) implements Optimizer {
        @Override public Kind kind() { return Kind.SGD; }
    }

    /** v = β v + (1-β) dw; w <- w - α v (Nesterov: the gradient is taken after the look-ahead step). */
    record Momentum(double lr, double beta, boolean nesterov, Span span) implements Optimizer {
        @Override public Kind kind() { return Kind.MOMENTUM; }
    }

    /** s = ρ s + (1-ρ) dw²; w <- w - α dw / (sqrt(s) + ε) */
    record RmsProp(double lr, double rho, double epsilon, Span span) implements Optimizer {
        @Override public Kind kind() { return Kind.RMSPROP; }
    }

    /** Momentum and RMSprop, bias-corrected: w <- w - α v̂ / (sqrt(ŝ) + ε) */
    record Adam(double lr, double beta1, double beta2, double epsilon, Span span) implements Optimizer {
        @Override public Kind kind() { return Kind.ADAM; }
    }

    /** s = s + dw², starting at {@code initial}; w <- w - α dw / (sqrt(s) + ε) */
    record Adagrad(double lr, double initial, double epsilon, Span span) implements Optimizer {
        @Override public Kind kind() { return Kind.ADAGRAD; }
    }

    /** Adadelta: steps scaled by running averages of squared updates and gradients (decay ρ). */
    record Adadelta(double lr, double rho, double epsilon, Span span) implements Optimizer {
        @Override public Kind kind() { return Kind.ADADELTA; }
    }
}
