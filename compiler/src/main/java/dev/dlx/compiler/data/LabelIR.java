package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Span;

/**
 * One named label a dataset provides, with its encoding: `labels digit classes 10 onehot` is the
 * label `digit`, whose encoded shape is {@code spec.shape()} ([10] here; [] for class indices, [1]
 * for binary, [T] for T regression targets). A named label pairs with the model output of the same
 * name; the one unnamed label of the classic form (`label 64`, named {@link #DEFAULT}) pairs with a
 * model with one output, whatever that output is called.
 *
 * @param span where the label is named (the source statement for the unnamed one)
 */
public record LabelIR(String name, boolean named, LabelSpec spec, Span span) {
    /** The name of the one label of a dataset that names none. */
    public static final String DEFAULT = "label";
}
