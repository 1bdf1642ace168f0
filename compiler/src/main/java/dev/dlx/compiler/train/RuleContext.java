package dev.dlx.compiler.train;

import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;

/**
 * What a training rule sees while binding: its statement's span and that of the kind's name
 * (`adam` in `optimizer adam lr 1e-3`), the sink, and whether the data can be validated (which
 * decides defaults such as the monitored metric, `val_loss` or `loss`).
 */
record RuleContext(Span span, Span kindSpan, Diagnostics sink, boolean validation) {
    String defaultMonitor() { return validation ? "val_loss" : "loss"; }
}
