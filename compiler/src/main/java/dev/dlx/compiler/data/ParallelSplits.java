package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.syntax.Directive;
import java.util.List;
import java.util.OptionalInt;

/**
 * What `source parallel` fixes in its dataset: the one label `target` (no `labels` statement) and
 * the splits its files make (no `split` statement): training | validation | test in file order,
 * never shuffled. The checker knows which splits exist; their sizes are set when the files are read.
 */
final class ParallelSplits {
    private ParallelSplits() {}

    /** The share a split has before the files are read: any positive number marks it as present. */
    static final double PRESENT = 0.1;

    static List<LabelIR> labels(ParallelSource p, Directive labels, Diagnostics sink) {
        if (labels != null) ParallelSource.labelsGiven(p, Statements.head(labels), sink);
        return List.of(new LabelIR(ParallelSource.TARGET, true, p.targetLabels(), p.span()));
    }

    static Split split(ParallelSource p, Split written, Diagnostics sink) {
        if (written != null) ParallelSource.splitGiven(p, written.span(), sink);
        if (!p.hasValFile() && p.testFile() == null) return null;
        double val = p.hasValFile() ? PRESENT : 0, test = p.testFile() != null ? PRESENT : 0;
        return new Split(1 - val - test, val, test, false, OptionalInt.empty(), false, p.span());
    }
}
