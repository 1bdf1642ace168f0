package dev.dlx.compiler.train;

import dev.dlx.compiler.diag.Span;
import java.util.List;

/**
 * One `phase NAME { epochs N ; freeze ... ; unfreeze ... ; optimizer ... }` of a training: the phases
 * run in the written order, each from the weights the previous one left, with a fresh optimizer.
 *
 * @param name      the phase's name, unique in its training
 * @param epochs    its passes over the training data
 * @param frozen    the layers it does not train: the training's `freeze` and the phase's own, less the
 *                  phase's `unfreeze`, resolved to layer names in model order
 * @param optimizer the phase's optimizer (the training's unless the phase gives one)
 */
public record Phase(String name, int epochs, List<String> frozen, Optimizer optimizer, Span span) {
    public Phase { frozen = List.copyOf(frozen); }
}
