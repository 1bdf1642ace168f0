package dev.dlx.compiler.syntax;

import dev.dlx.compiler.diag.Span;
import java.util.List;

/** Statements of a model or block body. */
public sealed interface Stmt {
    Span span();

    /** `let a, b = chain`: names the tensor(s) the chain produces. */
    record Let(List<Ident> names, List<Element> chain, Span span) implements Stmt {}
    /** `return x, y`: the outputs, when they are not simply the last statement's result. */
    record Return(List<List<Element>> chains, Span span) implements Stmt {}
    /** `conv 32 3 -> relu`: continues from the previous statement's tensor unless it starts with a name. */
    record Chain(List<Element> chain, Span span) implements Stmt {}
}
