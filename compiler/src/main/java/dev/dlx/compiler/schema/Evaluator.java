package dev.dlx.compiler.schema;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.syntax.Expr;
import dev.dlx.compiler.syntax.Ident;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates argument expressions: numbers, sizes, shapes, ranges, names and arithmetic on
 * block parameters (`filters * 2`). A name bound in the environment takes its value there;
 * any other name is a word (`same`, `relu`) for the schema to judge.
 */
public final class Evaluator {
    private final Map<String, Value> env;
    private final Diagnostics sink;

    public Evaluator(Map<String, Value> env, Diagnostics sink) {
        this.env = env;
        this.sink = sink;
    }

    /** The value, or null after reporting an error. */
    public Value eval(Expr e) {
        if (e instanceof Expr.Num n) {
            if (Double.isNaN(n.value())) return null; // an invalid number, reported by the parser
            return new Value.Num(n.value(), n.integral(), n.unit() == Expr.Unit.PERCENT, n.unit() == Expr.Unit.DEGREES, n.span());
        }
        if (e instanceof Expr.Ratio r) return ratio(r);
        if (e instanceof Expr.Size s) return new Value.Sizes(s.sizes(), s.span());
        if (e instanceof Expr.Str s) return new Value.Str(s.value(), s.span());
        if (e instanceof Expr.Name n) return name(n);
        if (e instanceof Expr.ShapeLit s) return shape(s);
        if (e instanceof Expr.Range r) {
            Value lo = eval(r.low()), hi = eval(r.high());
            return lo == null || hi == null ? null : new Value.RangeV(lo, hi, r.span());
        }
        if (e instanceof Expr.Neg n) {
            Value v = eval(n.operand());
            if (v == null) return null;
            if (v instanceof Value.Num num) return new Value.Num(-num.value(), num.integral(), num.percent(), num.degrees(), n.span());
            return arithmeticError(n.span(), v);
        }
        if (e instanceof Expr.Call c) return outsideExpression(c.span(), "`" + c.callee().name() + "(...)` is a function call",
            "functions such as `mean(...)` belong in `loss` and `metric` expressions");
        if (e instanceof Expr.Binding b) return outsideExpression(b.span(), "`" + b.name().name() + " = ...` names an expression",
            "`name = expression` belongs in `metric NAME = ...`");
        return binary((Expr.Binary) e);
    }

    private Value outsideExpression(Span span, String what, String help) {
        sink.report(Diagnostic.error(Code.EXPRESSION_OUT_OF_PLACE, span, what + ", which is not a value here")
                .label("not a value")
                .help(help));
        return null;
    }

    private Value ratio(Expr.Ratio r) {
        if (r.denominator().value() == 0) {
            sink.report(Diagnostic.error(Code.OUT_OF_RANGE, r.span(), "division by zero in `" + r.span().text() + "`")
                    .label("denominator is 0"));
            return null;
        }
        return new Value.Num(r.numerator().value() / r.denominator().value(), false, false, false, r.span());
    }

    private Value name(Expr.Name n) {
        if (n.simple()) {
            Value bound = env.get(n.text());
            if (bound != null) return bound; // keeps the caller's span: errors point at the value as written
        }
        return new Value.Word(n.text(), n.span());
    }

    private Value shape(Expr.ShapeLit s) {
        List<Long> dims = new ArrayList<>();
        boolean ok = true;
        for (Expr d : s.dims()) {
            if (d == null) {
                dims.add(-1L);
                continue;
            }
            Value v = eval(d);
            if (v instanceof Value.Num n && n.integral() && n.value() >= 1 && !n.percent() && !n.degrees()) {
                dims.add((long) n.value());
            } else if (v instanceof Value.Num n && n.integral() && n.value() == -1) {
                dims.add(-1L);
            } else {
                if (v != null) {
                    sink.report(Diagnostic.error(Code.BAD_SHAPE, v.span(),
                            "a dimension must be a positive whole number or `?`, found " + Value.kindOf(v))
                        .label("invalid dimension"));
                }
                ok = false;
            }
        }
        return ok ? new Value.ShapeV(dims, s.span()) : null;
    }

    private Value binary(Expr.Binary b) {
        Value l = eval(b.left()), r = eval(b.right());
        if (l == null || r == null) return null;
        if (!(l instanceof Value.Num a)) return arithmeticError(b.left().span(), l);
        if (!(r instanceof Value.Num c)) return arithmeticError(b.right().span(), r);
        double x = a.fraction(), y = c.fraction();
        boolean integral = a.integral() && c.integral() && !a.percent() && !c.percent();
        double result;
        switch (b.op()) {
            case '+' -> result = x + y;
            case '-' -> result = x - y;
            case '*' -> result = x * y;
            case '/' -> {
                if (y == 0) {
                    sink.report(Diagnostic.error(Code.OUT_OF_RANGE, b.span(), "division by zero in `" + b.span().text() + "`")
                            .label("divides by 0"));
                    return null;
                }
                result = x / y;
                integral = integral && result == Math.rint(result);
            }
            default -> throw new IllegalStateException("operator " + b.op());
        }
        if (integral && Math.abs(result) > Integer.MAX_VALUE) {
            sink.report(Diagnostic.error(Code.BAD_NUMBER, b.span(), "`" + b.span().text() + "` is too large")
                    .label("larger than 2147483647"));
            return null;
        }
        return new Value.Num(result, integral, false, false, b.span());
    }

    private Value arithmeticError(Span span, Value v) {
        sink.report(Diagnostic.error(Code.WRONG_TYPE, span, "arithmetic needs numbers, found " + Value.kindOf(v))
                .label("not a number"));
        return null;
    }

    public static Value word(Ident id) { return new Value.Word(id.name(), id.span()); }
}
