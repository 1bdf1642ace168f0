package dev.dlx.runtime.graph;

import java.util.Set;

import dev.dlx.compiler.train.Init;

/**
 * How a model's graph starts: the initializer of its kernels (the `train` block's `init`; null for
 * Keras's default, Glorot uniform) and the seed of every random draw (initial weights when the
 * `init` names no seed of its own, and dropout masks). A given seed gives the same weights.
 * {@code stagedInput}: see {@link #withStagedInput()}.
 */
public record GraphOptions(Init init, long seed, boolean stagedInput, Set<String> frozen) {

    public GraphOptions { frozen = Set.copyOf(frozen); }

    public GraphOptions(Init init, long seed) { this(init, seed, false, Set.of()); }

    public static GraphOptions seeded(long seed) { return new GraphOptions(null, seed); }

    public GraphOptions withInit(Init init) { return new GraphOptions(init, seed, stagedInput, frozen); }

    /**
     * The layers a training freezes (by name or weights' owner): they run as at inference while the
     * rest trains, so a frozen batch normalization normalizes with its moving statistics (as Keras
     * does for a layer with {@code trainable = False}) instead of each batch's.
     */
    public GraphOptions withFrozen(java.util.Collection<String> layers) { return new GraphOptions(init, seed, stagedInput, Set.copyOf(layers)); }

    /** Whether {@code node} is frozen. */
    public boolean frozen(dev.dlx.compiler.ir.Node node) { return frozen.contains(node.name()) || frozen.contains(node.weightOwner()); }

    /**
     * With a staged input the model's input, unless fed, is gathered inside the graph from a whole
     * data split held in a variable ({@link ModelGraph#stageIndex()} picks the samples): a training
     * step then feeds a few sample indices instead of a batch of features.
     */
    public GraphOptions withStagedInput() { return new GraphOptions(init, seed, true, frozen); }

    /** The seed of the initial weights. */
    public long initSeed() { return init != null && init.seed().isPresent() ? init.seed().getAsInt() : seed; }
}
