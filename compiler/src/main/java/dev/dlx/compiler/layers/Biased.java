package dev.dlx.compiler.layers;

/** Settings of a kind that may add a learned bias (`bias true|false`). */
public interface Biased extends LayerSettings {
    boolean bias();
}
