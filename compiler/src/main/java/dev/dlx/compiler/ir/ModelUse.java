package dev.dlx.compiler.ir;

import dev.dlx.compiler.diag.Span;
import java.util.List;

/**
 * One use of another model inside a model (`let ea = Encoder(a)`): the callee's layers are
 * instantiated as nodes of the caller, each marked with {@link Node.Shared}, and every use of the
 * same callee computes with one set of weights.
 *
 * @param model   the callee's name
 * @param name    how the use is shown: the `let` name given to its output, else an instance name (`Encoder_1`)
 * @param inputs  ids of the caller's nodes fed to the callee's inputs, in its declaration order
 * @param outputs ids of the caller's nodes that are the callee's outputs, in order
 * @param span    the call
 */
public record ModelUse(String model, String name, List<Integer> inputs, List<Integer> outputs, Span span) {
    public ModelUse { inputs = List.copyOf(inputs); outputs = List.copyOf(outputs); }

    /** The same use with its span where {@code move} puts it. */
    public ModelUse relocated(java.util.function.UnaryOperator<Span> move) { return new ModelUse(model, name, inputs, outputs, move.apply(span)); }
}
