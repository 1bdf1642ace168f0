package dev.dlx.runtime.lower;

import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.shape.Shape;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * What a lowering sees: the node with its settings (typed attributes) and checked shapes, its input tensors, its
 * weights by parameter name, the precision, the graph's mode flags and a sink for state updates
 * (batch norm's moving statistics) that the trainer runs with each training step.
 *
 * <p>Masks: a sequence tensor [B, T, ...] may carry a mask [B, T] (1 for a real step, 0 for a
 * padded one) from `embedding ... mask_zero`. A layer reads its inputs' masks with
 * {@link #inputMask}; its output keeps input 0's mask when it keeps that input's steps (same first
 * dimension, rank 2 or more), unless its lowering sets another with {@link #outputMask(Operand)}.
 */
public final class LoweringContext<T extends TFloating> {
    private final Ops tf;
    private final Node node;
    private final List<Operand<T>> inputs;
    private final List<Shape> inputShapes;
    private final Map<String, ? extends Operand<T>> weights;
    private final Class<T> type;
    private final Operand<TBool> training;
    private final Operand<TBool> dropoutActive;
    private final Operand<TInt64> dropoutStep;
    private final long seed;
    private final Consumer<Op> updates;
    private final List<Operand<T>> inputMasks;
    private Operand<T> outputMask;
    private boolean outputMaskSet;
    private dev.dlx.compiler.train.Precision precision = dev.dlx.compiler.train.Precision.DEFAULT;

    public LoweringContext(Ops tf, Node node, List<Operand<T>> inputs, List<Shape> inputShapes,
                           Map<String, ? extends Operand<T>> weights, Class<T> type, Operand<TBool> training,
                           Operand<TBool> dropoutActive, long seed, Consumer<Op> updates) {
        this(tf, node, inputs, inputShapes, weights, type, training, dropoutActive, null, seed, updates, null);
    }

    /**
     * @param dropoutStep the training step whose dropout masks to draw (null: step 0)
     * @param inputMasks  the mask [B, T] of each input, null entries (or a null list) for unmasked ones
     */
    public LoweringContext(Ops tf, Node node, List<Operand<T>> inputs, List<Shape> inputShapes,
                           Map<String, ? extends Operand<T>> weights, Class<T> type, Operand<TBool> training,
                           Operand<TBool> dropoutActive, Operand<TInt64> dropoutStep, long seed, Consumer<Op> updates,
                           List<Operand<T>> inputMasks) {
        this.tf = tf;
        this.node = node;
        this.inputs = List.copyOf(inputs);
        this.inputShapes = List.copyOf(inputShapes);
        this.weights = Map.copyOf(weights);
        this.type = type;
        this.training = training;
        this.dropoutActive = dropoutActive;
        this.dropoutStep = dropoutStep;
        this.seed = seed;
        this.updates = updates;
        List<Operand<T>> masks = new java.util.ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) masks.add(inputMasks == null || i >= inputMasks.size() ? null : inputMasks.get(i));
        this.inputMasks = java.util.Collections.unmodifiableList(masks);
    }

    /** Operations, named under the node's scope. */
    public Ops tf() { return tf; }
    public Node node() { return node; }
    /** The layer's typed attributes; a lowering serving several kinds tells them apart by the record's type. */
    public dev.dlx.compiler.layers.LayerSettings settings() { return node.settings(); }

    /** The layer's settings as its kind's record, e.g. {@code ctx.settings(Conv.Settings.class)}. */
    public <S extends dev.dlx.compiler.layers.LayerSettings> S settings(Class<S> type) { return node.settings(type); }

    public Operand<T> input() { return inputs.get(0); }
    public Operand<T> input(int i) { return inputs.get(i); }
    public List<Operand<T>> inputs() { return inputs; }

    /** The checker's shape of input {@code i}, without the batch dimension. */
    public Shape inputShape(int i) { return inputShapes.get(i); }
    public Shape inputShape() { return inputShapes.get(0); }
    /** The checker's output shape, without the batch dimension. */
    public Shape outputShape() { return node.shape(); }

    public boolean hasWeight(String param) { return weights.containsKey(param); }

    public Operand<T> weight(String param) {
        Operand<T> w = weights.get(param);
        if (w == null) throw LoweringException.internal(node, "no weight `" + param + "` among " + weights.keySet());
        return w;
    }

    public Class<T> type() { return type; }

    /** Sets the number format of the layer's products (the training's `precision`); returns this context. */
    public LoweringContext<T> withPrecision(dev.dlx.compiler.train.Precision p) {
        this.precision = p;
        return this;
    }

    /** Whether the layer's products compute in bfloat16 (`precision bf16`), the graph being float32. */
    public boolean bf16() {
        return precision == dev.dlx.compiler.train.Precision.BF16 && type == org.tensorflow.types.TFloat32.class;
    }

    /**
     * {@code x} in bfloat16, for a product under {@link #bf16()}; its gradient comes back in the graph's type.
     * A value that is itself a bfloat16 result cast up ({@link #bf16Source}) is taken as it was: casting
     * bfloat16 to float32 and back is exact, so the pair of casts is left out.
     */
    public Operand<org.tensorflow.types.TBfloat16> toBf16(Operand<T> x) {
        Operand<org.tensorflow.types.TBfloat16> source = bf16Source(x);
        return source != null ? source : tf.dtypes.cast(x, org.tensorflow.types.TBfloat16.class);
    }

    /**
     * The bfloat16 value that {@code x} is a cast of (a product's result under `precision bf16`, or
     * a layer that carried one on), or null when {@code x} is not one. Layers that compute exactly in
     * any format (relu, max pooling, reshapes: they compare, select and move values, never round)
     * apply themselves to this value under {@link #bf16()}, so that a chain of convolutions stays in
     * bfloat16 between them instead of casting each activation down and up again.
     */
    @SuppressWarnings("unchecked")
    public Operand<org.tensorflow.types.TBfloat16> bf16Source(Operand<T> x) {
        if (!bf16()) return null;
        if (!(x.asOutput().op() instanceof org.tensorflow.GraphOperation op) || !op.type().equals("Cast") || op.numInputs() != 1) return null;
        org.tensorflow.Output<?> in = op.input(0);
        return in.dataType() == org.tensorflow.proto.DataType.DT_BFLOAT16 ? (Operand<org.tensorflow.types.TBfloat16>) in : null;
    }

    /** A bfloat16 result back in the graph's type. */
    public Operand<T> fromBf16(Operand<org.tensorflow.types.TBfloat16> y) {
        return tf.dtypes.cast(y, type);
    }

    /** A scalar constant of the graph's precision. */
    public Operand<T> scalar(double value) { return tf.constant(type, value); }

    /** True while training: batch norm uses batch statistics. */
    public Operand<TBool> training() { return training; }

    /** True when dropout drops (follows {@link #training()} unless fed on its own). */
    public Operand<TBool> dropoutActive() { return dropoutActive; }

    /** The training step whose dropout masks are drawn (a scalar; epoch * batches + batch), fed per step. */
    public Operand<TInt64> dropoutStep() { return dropoutStep != null ? dropoutStep : tf.constant(0L); }

    /** The graph's seed for random operations; combine with the node id for a per-layer stream. */
    public long seed() { return seed; }

    /** Registers a state update (an assign op) to run with each training step. */
    public void addUpdate(Op op) { updates.accept(op); }

    /** The mask [B, T] of input {@code i} (1 real step, 0 padding), or null when it has none. */
    public Operand<T> inputMask(int i) { return inputMasks.get(i); }

    /** Sets the output's mask [B, T] (null: the output has none), in place of the default. */
    public void outputMask(Operand<T> mask) {
        this.outputMask = mask;
        this.outputMaskSet = true;
    }

    /**
     * The output's mask: the one the lowering set, else input 0's when the output keeps its steps
     * (a sequence [T, ...] in, a sequence with the same T out), else none.
     */
    public Operand<T> outputMask() {
        if (outputMaskSet) return outputMask;
        if (inputs.isEmpty() || inputMasks.get(0) == null) return null;
        Shape in = inputShape(0), out = outputShape();
        boolean keepsSteps = in != null && out != null && !in.isUnknown() && !out.isUnknown() && in.rank() >= 2 && out.rank() >= 2
            && in.dim(0).equals(out.dim(0));
        return keepsSteps ? inputMasks.get(0) : null;
    }

    public LoweringException unsupported(String message) { return LoweringException.unsupported(node, message); }
}
