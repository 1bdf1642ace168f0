package dev.dlx.compiler.layers;

/** What a layer kind is, for lints that reason about neighbours (dropout between convolutions, ...). */
public enum Role {
    CONV, POOL, DENSE, DROPOUT, NORMALIZATION, ACTIVATION, RESHAPE, MERGE, RECURRENT, EMBEDDING, ATTENTION
}
