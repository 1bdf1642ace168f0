package dev.dlx.compiler.train;

import dev.dlx.compiler.data.LabelIR;
import java.util.ArrayList;
import java.util.List;

/**
 * What training minimizes, as a weighted sum of built-in losses, one term per labelled model
 * output: the training block's `loss` applied to every output with its paired label, each with
 * weight 1. The total is the sum of the terms; with one output it is the loss itself.
 */
public final class LossTerms {
    private LossTerms() {}

    /**
     * One term: {@code loss} of model output {@code output} (its index among the model's outputs)
     * against {@code label}, times {@code weight}.
     */
    public record Term(int output, String outputName, LabelIR label, LossSpec loss, double weight) {}

    /** The terms of a training block over a pairing; empty without a loss. Outputs without a label have none. */
    public static List<Term> of(TrainIR train, Pairing pairing) {
        List<Term> out = new ArrayList<>();
        if (train.loss() == null) return out;
        for (Pairing.Output p : pairing.outputs()) {
            if (p.label() != null) out.add(new Term(p.index(), p.node().name(), p.label(), train.loss(), 1.0));
        }
        return List.copyOf(out);
    }
}
