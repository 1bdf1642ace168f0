package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Span;
import java.util.List;

/**
 * `augment train { flip horizontal p 0.5; rotate 10deg }`: augmentations applied, in order, to the
 * batches of one split. {@code split} is `train`, `val` or `test`.
 */
public record AugmentBlock(String split, List<Augmentation> steps, Span span) {
    public AugmentBlock { steps = List.copyOf(steps); }
}
