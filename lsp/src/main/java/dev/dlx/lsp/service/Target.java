package dev.dlx.lsp.service;

import dev.dlx.compiler.catalog.Catalog;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Directive;
import dev.dlx.compiler.syntax.Element;

/**
 * What the cursor is on: a keyword, a declaration's name, a layer or block use, an attribute, a
 * name used inside arguments, a reference to a model or dataset, a statement word, an import.
 * {@code decl} is the enclosing declaration; {@code element} and {@code directive} the enclosing
 * chain step or statement, where there is one.
 */
public record Target(Kind kind, String name, Span span, Decl decl, Element element, Directive directive,
                     Catalog.Block block) {

    public enum Kind {
        KEYWORD, DECL_NAME, ELEMENT, ATTRIBUTE, NAME, MODEL_REF, DATASET_REF, SPLIT_REF,
        STATEMENT, STATEMENT_ARG, IMPORT, INPUT, LET, PARAM
    }

    static Target of(Kind kind, String name, Span span, Decl decl) {
        return new Target(kind, name, span, decl, null, null, null);
    }
}
