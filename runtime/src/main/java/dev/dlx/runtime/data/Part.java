package dev.dlx.runtime.data;

import dev.dlx.compiler.data.LabelSpec;
import java.util.List;

/**
 * One named feature or label of a dataset that names them, over the same samples, in the same
 * order, as every other part: a feature's values and shape after its steps, or a label's class
 * indices or regression targets (with no values of its own) and its encoding.
 *
 * @param spec       a label's encoding; null for a feature
 * @param classNames a classification label's class names; null otherwise
 */
public record Part(String name, Samples samples, LabelSpec spec, List<String> classNames) {
    public Part {
        classNames = classNames == null ? null : List.copyOf(classNames);
    }

    public boolean isLabel() { return spec != null; }

    /** The same samples seen through another split's (or batch's) positions. */
    public SampleSet view(SampleSet of) { return new SampleSet(samples, of.index()); }
}
