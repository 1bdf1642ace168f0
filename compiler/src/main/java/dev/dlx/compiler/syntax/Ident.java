package dev.dlx.compiler.syntax;

import dev.dlx.compiler.diag.Span;

/** A name as written, with its place. */
public record Ident(String name, Span span) {
    @Override public String toString() { return name; }
}
