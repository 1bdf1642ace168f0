package dev.dlx.compiler.train;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.syntax.Decl;
import java.util.OptionalLong;

/** The warning for a training whose {@link MemoryEstimate} exceeds the machine's memory (DLX0411). */
public final class MemoryWarning {
    private MemoryWarning() {}

    /** Reports the warning on the block's header `train MODEL on DATASET` when the estimate exceeds {@code machine}. */
    public static void check(Decl.Train decl, ModelIR model, TrainIR t, OptionalLong machine, Diagnostics sink) {
        if (machine.isEmpty()) return;
        MemoryEstimate e = MemoryEstimate.of(model, t).orElse(null);
        if (e == null || e.total() <= machine.getAsLong()) return;
        Span header = Span.of(decl.span().file(), decl.span().start(), decl.dataset().span().end());
        sink.report(Diagnostic.warning(Code.MEMORY_EXCEEDS_MACHINE, header, "training `" + t.model() + "` needs about "
                + Bytes.text(e.total()) + ", more than the " + Bytes.text(machine.getAsLong()) + " of memory of this machine")
            .label("needs about " + Bytes.text(e.total()) + (e.complete() ? "" : " or more"))
            .note(e.parts())
            .help(advice(e) + "; `dlxc run` refuses this training unless given --ignore-memory"));
    }

    /** What would shrink the largest part of {@code e}. */
    public static String advice(MemoryEstimate e) {
        return switch (e.largestPart()) {
            case "activations" -> "use a smaller `batch`, or downsample earlier (pooling, strides)";
            case "optimizer state" -> "use fewer units or filters, or an optimizer with less state (`momentum` keeps 1 value "
                + "per weight, `sgd` none)";
            default -> "use fewer units or filters, or downsample (pooling, strides) before the wide layers";
        };
    }
}
