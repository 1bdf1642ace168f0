package dev.dlx.runtime.graph;

import dev.dlx.compiler.train.Init;

/**
 * How a model's graph starts: the initializer of its kernels (the `train` block's `init`; null for
 * Keras's default, Glorot uniform) and the seed of every random draw (initial weights when the
 * `init` names no seed of its own, and dropout masks). A given seed gives the same weights.
 * {@code stagedInput}: see {@link #withStagedInput()}.
 */
public record GraphOptions(Init init, long seed, boolean stagedInput) {

    public GraphOptions(Init init, long seed) { this(init, seed, false); }

    public static GraphOptions seeded(long seed) { return new GraphOptions(null, seed); }

    public GraphOptions withInit(Init init) { return new GraphOptions(init, seed, stagedInput); }

    /**
     * With a staged input the model's input, unless fed, is gathered inside the graph from a whole
     * data split held in a variable ({@link ModelGraph#stageIndex()} picks the samples): a training
     * step then feeds a few sample indices instead of a batch of features.
     */
    public GraphOptions withStagedInput() { return new GraphOptions(init, seed, true); }

    /** The seed of the initial weights. */
    public long initSeed() { return init != null && init.seed().isPresent() ? init.seed().getAsInt() : seed; }
}
