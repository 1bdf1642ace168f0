package dev.dlx.compiler.train.expr;

import dev.dlx.compiler.diag.Span;

/** `metric gap = mean(sqdist(a, n) - sqdist(a, p))`: a metric reported per epoch as the batch mean of {@code expr}. */
public record ExpressionMetric(String name, LossExpr expr, Span span) {}
