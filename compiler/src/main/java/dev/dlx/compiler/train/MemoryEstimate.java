package dev.dlx.compiler.train;

import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.shape.Shape;
import java.util.Optional;

/**
 * An estimate of the memory one `train` block needs, in bytes, every tensor float32 (4 bytes an
 * element). It is a lower bound of what TensorFlow allocates, not a measurement: workspaces of
 * convolutions, the loss's own tensors and the allocator's slack come on top.
 *
 * @param weights        every parameter of the model, trainable or not (frozen layers, moving averages)
 * @param gradients      one gradient per trained parameter
 * @param optimizerState the optimizer's slots: per trained parameter 2 for adam and adadelta, 1 for
 *                       momentum, rmsprop and adagrad, none for sgd
 * @param activations    the output of every node (the inputs included) for one batch, all kept for
 *                       the backward pass
 * @param batch          the training batch size
 * @param optimizer      the optimizer the slots are counted for
 * @param unsized        nodes whose output size is not known before the data are read (a dimension
 *                       `?`): their activations are not in {@code activations}
 */
public record MemoryEstimate(long weights, long gradients, long optimizerState, long activations, int batch,
                             Optimizer.Kind optimizer, int unsized) {

    /** Bytes of one float32. */
    public static final long FLOAT32 = 4;

    /** The sum of the parts; saturates at Long.MAX_VALUE. */
    public long total() { return add(add(weights, gradients), add(optimizerState, activations)); }

    /** Whether every node's activations are counted. */
    public boolean complete() { return unsized == 0; }

    /** The optimizer's state tensors per trained weight tensor. */
    public static int slots(Optimizer.Kind kind) {
        return switch (kind) {
            case SGD -> 0;
            case MOMENTUM, RMSPROP, ADAGRAD -> 1;
            case ADAM, ADADELTA -> 2;
        };
    }

    /**
     * The estimate for training {@code model} (as declared: the block's `freeze` is applied here) as
     * {@code t} says; empty when the model or the optimizer is missing or wrong, so that sizes are
     * not known.
     */
    public static Optional<MemoryEstimate> of(ModelIR model, TrainIR t) {
        if (model == null || t == null || !model.valid() || t.optimizer() == null || !t.model().equals(model.name())) {
            return Optional.empty();
        }
        ModelIR trained = model.freeze(t.frozen());
        long trainable = trained.trainableParams();
        long weights = bytes(trained.totalParams());
        long gradients = bytes(trainable);
        long state = bytes(Shape.saturatingMultiply(slots(t.optimizer().kind()), trainable));
        long perSample = 0;
        int unsized = 0;
        for (Node n : trained.nodes()) {
            long elements = n.shape().isUnknown() ? -1 : n.shape().elements();
            if (elements < 0) unsized++;
            else perSample = add(perSample, elements);
        }
        long activations = bytes(Shape.saturatingMultiply(perSample, Math.max(1, t.batchSize())));
        return Optional.of(new MemoryEstimate(weights, gradients, state, activations, t.batchSize(), t.optimizer().kind(), unsized));
    }

    /** The part that is the largest, for hints: "weights", "optimizer state" or "activations". */
    public String largestPart() {
        long most = Math.max(Math.max(weights, gradients), Math.max(optimizerState, activations));
        if (most == activations) return "activations";
        if (most == optimizerState) return "optimizer state";
        return "weights";
    }

    /** "weights 22.4 GiB + gradients 22.4 GiB + adam state 44.7 GiB + activations of a batch of 32 1.2 MiB" */
    public String parts() {
        return "weights " + Bytes.text(weights) + " + gradients " + Bytes.text(gradients) + " + " + optimizer.word()
            + " state " + Bytes.text(optimizerState) + " + activations of a batch of " + batch + " " + Bytes.text(activations)
            + (complete() ? "" : " (" + unsized + (unsized == 1 ? " tensor" : " tensors") + " of unknown size not counted)");
    }

    private static long bytes(long elements) { return Shape.saturatingMultiply(elements, FLOAT32); }

    private static long add(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
