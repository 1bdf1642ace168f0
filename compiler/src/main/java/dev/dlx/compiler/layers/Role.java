package dev.dlx.compiler.layers;

/** What a layer kind is, for lints that reason about neighbours (dropout between convolutions, ...). */
public enum Role {
    CONV, POOL, DENSE, DROPOUT, NORMALIZATION, ACTIVATION, RESHAPE, MERGE, RECURRENT, EMBEDDING, ATTENTION;

    /** The output has the input's shape whatever the attributes say (dropout, activations). */
    public boolean keepsShape() { return this == DROPOUT || this == ACTIVATION; }
}
