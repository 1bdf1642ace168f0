package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;

/** `batch N`, shared by datasets and training blocks, with Chollet's tip as a lint: powers of two (8 to 128). */
public final class BatchSize {
    private BatchSize() {}

    public static final Schema SCHEMA = Schema.of(
        Attr.of("size", Type.INT, "samples per mini-batch").positional().required().atLeast(1));

    /** Warns when {@code size} is not a power of two, naming the nearest one. */
    public static void lint(int size, Span span, Diagnostics sink) {
        if (size < 1 || Integer.bitCount(size) == 1) return;
        int nearest = nearestPowerOfTwo(size);
        sink.report(Diagnostic.warning(Code.LINT_BATCH_POW2, span, "batch size " + size + " is not a power of two")
            .label("not a power of two")
            .help("use `batch " + nearest + "`"));
    }

    /** The power of two closest to n (the smaller one on a tie). */
    public static int nearestPowerOfTwo(int n) {
        if (n <= 1) return 1;
        int lower = Integer.highestOneBit(n);
        if (lower == n || lower >= (1 << 30)) return lower;
        int upper = lower << 1;
        return n - lower <= upper - n ? lower : upper;
    }
}
