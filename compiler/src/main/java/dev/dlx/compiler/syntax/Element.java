package dev.dlx.compiler.syntax;

import dev.dlx.compiler.diag.Span;
import java.util.List;

/**
 * One step of a chain in a model or block body: a layer, a block call, a merge or a reference to
 * a named tensor. Which one is decided by resolution, not by the parser: `relu` may be a layer
 * kind, a block or a tensor named with `let`.
 */
public record Element(Ident name, List<Arg> args, List<Expr> tensorArgs, boolean called, Expr repeat, Span span) {

    /** An argument: positional (name == null) or named (`k = 3` in a call). */
    public record Arg(Ident name, Expr value) {
        public Span span() { return name == null ? value.span() : name.span().to(value.span()); }
    }
}
