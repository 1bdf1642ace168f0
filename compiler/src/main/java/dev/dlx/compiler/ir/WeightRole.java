package dev.dlx.compiler.ir;

/**
 * What a weight is for, declared by the layer kind that creates it: how it starts, whether a
 * `regularize` penalty applies, whether gradients train it, and how much work it costs per
 * output position. Nothing downstream infers any of this from a weight's name.
 */
public enum WeightRole {
    /** A dense, convolution or recurrent kernel: drawn by the training's `init`, penalized by `regularize`. */
    KERNEL(Start.SCHEME, true, true),
    /** An embedding table: drawn by `init`, looked up rather than multiplied, not penalized. */
    EMBEDDINGS(Start.SCHEME, false, true),
    /** A learned offset added to the output: starts at zero. */
    BIAS(Start.ZEROS, false, true),
    /** A normalization's learned scale γ: starts at one. */
    SCALE(Start.ONES, false, true),
    /** A normalization's learned shift β: starts at zero. */
    SHIFT(Start.ZEROS, false, true),
    /** A moving mean kept by normalization, updated by the step rather than by gradients: starts at zero. */
    MOVING_MEAN(Start.ZEROS, false, false),
    /** A moving variance kept by normalization, updated by the step rather than by gradients: starts at one. */
    MOVING_VARIANCE(Start.ONES, false, false);

    /** Where a weight's initial value comes from. */
    public enum Start { SCHEME, ZEROS, ONES }

    private final Start start;
    private final boolean regularizable;
    private final boolean learned;

    WeightRole(Start start, boolean regularizable, boolean learned) {
        this.start = start;
        this.regularizable = regularizable;
        this.learned = learned;
    }

    /** How the weight is initialized: by the training's `init` scheme, or a fixed zero or one. */
    public Start start() { return start; }

    /** Whether `regularize l1|l2|elastic` penalizes it. */
    public boolean regularizable() { return regularizable; }

    /** Whether gradients train it (false for moving statistics, which the step updates itself). */
    public boolean learned() { return learned; }

    /** Whether its elements are each a multiply-add per output position (kernels), for cost estimates. */
    public boolean multiplies() { return this == KERNEL; }
}
