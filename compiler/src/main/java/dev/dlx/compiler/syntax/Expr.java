package dev.dlx.compiler.syntax;

import dev.dlx.compiler.diag.Span;
import java.util.List;

/** Argument and default-value expressions, as written. Evaluated by {@code schema.Evaluator}. */
public sealed interface Expr {
    Span span();

    enum Unit { NONE, PERCENT, DEGREES }

    /** 42, 0.5, 1e-3, 70%, 10deg. `integral` is true when written without point or exponent. */
    record Num(double value, boolean integral, Unit unit, Span span) implements Expr {}
    /** 1/16 */
    record Ratio(Num numerator, Num denominator, Span span) implements Expr {}
    /** 3x3, 7x7x7 */
    record Size(List<Integer> sizes, Span span) implements Expr {}
    record Str(String value, Span span) implements Expr {}
    /** digits, same, relu, digits.test */
    record Name(List<Ident> parts, Span span) implements Expr {
        public String text() { return String.join(".", parts.stream().map(Ident::name).toList()); }
        public boolean simple() { return parts.size() == 1; }
    }
    /** [8, 8, 1], [?, 64]; a null dimension is `?`. */
    record ShapeLit(List<Expr> dims, Span span) implements Expr {}
    /** 0..63, 0.8..1.2 */
    record Range(Expr low, Expr high, Span span) implements Expr {}
    record Neg(Expr operand, Span span) implements Expr {}
    record Binary(char op, Expr left, Expr right, Span span) implements Expr {}
    /** mean(x, axis = -1), sqdist(a, p): a function of a loss or metric expression. */
    record Call(Ident callee, List<Element.Arg> args, Span span) implements Expr {}
    /** `gap = mean(...)` in a statement: a named expression, as in `metric gap = ...`. */
    record Binding(Ident name, Expr value, Span span) implements Expr {}
}
