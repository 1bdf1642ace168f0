package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.shape.Shape;
import java.util.List;

/**
 * One named tensor a dataset feeds to the model: its name, its `features` steps and the shape of
 * one sample after them. A feature named in the source (`features image 0..783`) feeds the model
 * input of the same name; the one unnamed feature of the classic form (`features 0..63`, named
 * {@link #DEFAULT}) feeds a model with one input, whatever that input is called.
 *
 * @param shapeSpan the statement that fixed {@code shape}: its last shaping step, or the source
 * @param span      where the feature is named (the source statement for the unnamed one)
 */
public record FeatureIR(String name, boolean named, Shape shape, Span shapeSpan, List<FeatureStep> steps, Span span) {
    /** The name of the one feature of a dataset that names none. */
    public static final String DEFAULT = "features";

    public FeatureIR { steps = List.copyOf(steps); }
}
