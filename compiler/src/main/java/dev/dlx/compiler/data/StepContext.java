package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.shape.Shape;

/** What a feature step or augmentation sees: the sample shape before it (maybe UNKNOWN) and its own span. */
record StepContext(String name, Shape input, Span span, Diagnostics sink) {

    /** Whether the sample is an image [H, W, C]; reports otherwise. An unknown shape passes. */
    boolean needsImage() {
        if (input.isUnknown() || input.rank() == 3) return true;
        sink.report(Diagnostic.error(Code.RANK_MISMATCH, span,
                "`" + name + "` works on images [H, W, C], but samples here are " + input)
            .label("needs a rank-3 sample")
            .help(help()));
        return false;
    }

    private String help() {
        if (input.rank() == 2) return "add a channel axis first: `features reshape [" + input.dim(0) + ", " + input.dim(1) + ", 1]`";
        long n;
        try {
            n = input.elements();
        } catch (ArithmeticException tooLarge) {
            n = -1;
        }
        long side = n > 0 ? Math.round(Math.sqrt((double) n)) : -1;
        if (input.rank() == 1 && side * side == n) {
            return "give the samples an image shape first: `features reshape [" + side + ", " + side + ", 1]`";
        }
        return "use `" + name + "` only on image data";
    }

    /** The sample's height and width, or -1 when unknown. */
    long height() { return input.isUnknown() ? -1 : input.dim(0).size(); }
    long width() { return input.isUnknown() ? -1 : input.dim(1).size(); }

    void error(Code code, Span at, String message, String label, String help) {
        Diagnostic.Builder b = Diagnostic.error(code, at, message).label(label);
        if (help != null) b.help(help);
        sink.report(b);
    }
}
