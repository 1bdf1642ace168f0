package dev.dlx.compiler.syntax;

import dev.dlx.compiler.diag.Span;
import java.util.List;

/** Top-level declarations of a `.dlx` file. */
public sealed interface Decl {
    Span span();

    /** The declared name, or null for imports and evaluations. */
    default Ident name() { return null; }

    record Import(String path, Span pathSpan, Span span) implements Decl {}

    record Dataset(Ident name, List<Directive> body, Span span) implements Decl {}

    /** A block parameter with an optional default. */
    record Param(Ident name, Expr defaultValue) {}

    /** `block name(params)(tensor inputs) { ... }`; with no tensor list the input is `input`. */
    record Block(Ident name, List<Param> params, List<Ident> inputs, List<Stmt> body, Span span) implements Decl {}

    record Input(Ident name, Expr.ShapeLit shape) {}

    record Model(Ident name, List<Input> inputs, List<Expr.ShapeLit> outputs, List<Stmt> body, Span span) implements Decl {}

    record Train(Ident model, Ident dataset, List<Directive> body, Span span) implements Decl {
        @Override public Ident name() { return null; }
    }

    /** `evaluate Net on digits.test { metrics ... }` */
    record Evaluate(Ident model, Expr.Name data, List<Directive> body, Span span) implements Decl {}

    /** `search { param lr loguniform 1e-4..1e-2; trials 20; ... }`: the file's hyperparameter search. */
    record Search(List<Directive> body, Span span) implements Decl {}
}
