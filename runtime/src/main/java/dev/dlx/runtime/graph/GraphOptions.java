package dev.dlx.runtime.graph;

import dev.dlx.compiler.train.Init;

/**
 * How a model's graph starts: the initializer of its kernels (the `train` block's `init`; null for
 * Keras's default, Glorot uniform) and the seed of every random draw (initial weights when the
 * `init` names no seed of its own, and dropout masks). A given seed gives the same weights.
 */
public record GraphOptions(Init init, long seed) {

    public static GraphOptions seeded(long seed) { return new GraphOptions(null, seed); }

    public GraphOptions withInit(Init init) { return new GraphOptions(init, seed); }

    /** The seed of the initial weights. */
    public long initSeed() { return init != null && init.seed().isPresent() ? init.seed().getAsInt() : seed; }
}
