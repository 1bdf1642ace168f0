package dev.dlx.runtime.graph;

import java.util.Set;

import dev.dlx.compiler.train.Init;
import dev.dlx.compiler.train.Precision;

/**
 * How a model's graph starts: the initializer of its kernels (the `train` block's `init`; null for
 * Keras's default, Glorot uniform) and the seed of every random draw (initial weights when the
 * `init` names no seed of its own, and dropout masks). A given seed gives the same weights.
 * {@code stagedInput}: see {@link #withStagedInput()}; {@code precision}: see {@link #withPrecision}.
 */
public record GraphOptions(Init init, long seed, boolean stagedInput, Set<String> frozen, Precision precision) {

    public GraphOptions {
        frozen = Set.copyOf(frozen);
        if (precision == null) precision = Precision.DEFAULT;
    }

    public GraphOptions(Init init, long seed, boolean stagedInput, Set<String> frozen) { this(init, seed, stagedInput, frozen, Precision.DEFAULT); }

    public GraphOptions(Init init, long seed) { this(init, seed, false, Set.of()); }

    /**
     * The number format of the layers' products: under {@link Precision#BF16} convolutions and
     * dense layers cast their input and weights to bfloat16, multiply, and cast back; the weights
     * stay float32 variables and everything else computes in float32.
     */
    public GraphOptions withPrecision(Precision p) { return new GraphOptions(init, seed, stagedInput, frozen, p); }

    public static GraphOptions seeded(long seed) { return new GraphOptions(null, seed); }

    public GraphOptions withInit(Init init) { return new GraphOptions(init, seed, stagedInput, frozen, precision); }

    /**
     * The layers a training freezes (by name or weights' owner): they run as at inference while the
     * rest trains, so a frozen batch normalization normalizes with its moving statistics (as Keras
     * does for a layer with {@code trainable = False}) instead of each batch's.
     */
    public GraphOptions withFrozen(java.util.Collection<String> layers) { return new GraphOptions(init, seed, stagedInput, Set.copyOf(layers), precision); }

    /** Whether {@code node} is frozen. */
    public boolean frozen(dev.dlx.compiler.ir.Node node) { return frozen.contains(node.name()) || frozen.contains(node.weightOwner()); }

    /**
     * With a staged input the model's input, unless fed, is gathered inside the graph from a whole
     * data split held in a variable ({@link ModelGraph#stageIndex()} picks the samples): a training
     * step then feeds a few sample indices instead of a batch of features.
     */
    public GraphOptions withStagedInput() { return new GraphOptions(init, seed, true, frozen, precision); }

    /** The seed of the initial weights. */
    public long initSeed() { return init != null && init.seed().isPresent() ? init.seed().getAsInt() : seed; }
}
