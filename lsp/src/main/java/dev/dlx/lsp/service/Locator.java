package dev.dlx.lsp.service;

import dev.dlx.compiler.catalog.Catalog;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Directive;
import dev.dlx.compiler.syntax.Element;
import dev.dlx.compiler.syntax.Expr;
import dev.dlx.compiler.syntax.Ident;
import dev.dlx.compiler.syntax.Stmt;
import dev.dlx.grammar.DlxLexer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.Token;

/** Finds what is at an offset of a checked document, from its syntax tree (and its tokens for keywords). */
final class Locator {
    private Locator() {}

    /** A cursor touching either end of a span is on it, as editors place it after a word. */
    static boolean touches(Span span, int offset) {
        return span != null && span.start() <= offset && offset <= span.end();
    }

    static Optional<Target> at(Analysis a, int offset) {
        for (Decl d : a.program().decls()) {
            if (!touches(d.span(), offset)) continue;
            Target t = inDecl(d, offset);
            if (t != null) return Optional.of(t);
        }
        return keyword(a, offset);
    }

    private static Optional<Target> keyword(Analysis a, int offset) {
        Token t = tokenAt(a.tokens(), offset);
        if (t == null) return Optional.empty();
        boolean keyword = t.getType() >= DlxLexer.IMPORT && t.getType() <= DlxLexer.RETURN;
        if (!keyword && !(t.getType() == DlxLexer.IDENT && t.getText().equals("input"))) return Optional.empty();
        Span span = Span.of(a.file(), t.getStartIndex(), t.getStopIndex() + 1);
        Decl decl = null;
        for (Decl d : a.program().decls()) if (touches(d.span(), offset)) decl = d;
        return Optional.of(Target.of(Target.Kind.KEYWORD, t.getText(), span, decl));
    }

    /** The word-like token under or just before the offset. */
    static Token tokenAt(List<Token> tokens, int offset) {
        Token best = null;
        for (Token t : tokens) {
            if (t.getStartIndex() > offset) break;
            if (t.getStartIndex() <= offset && offset <= t.getStopIndex() + 1 && wordLike(t)) best = t;
        }
        return best;
    }

    static boolean wordLike(Token t) {
        int type = t.getType();
        return type == DlxLexer.IDENT || type == DlxLexer.CALL || type == DlxLexer.STRING
            || (type >= DlxLexer.IMPORT && type <= DlxLexer.RETURN);
    }

    private static Target inDecl(Decl d, int offset) {
        if (d instanceof Decl.Import imp) {
            return touches(imp.pathSpan(), offset) ? Target.of(Target.Kind.IMPORT, imp.path(), imp.pathSpan(), d) : null;
        }
        if (d.name() != null && touches(d.name().span(), offset)) {
            return Target.of(Target.Kind.DECL_NAME, d.name().name(), d.name().span(), d);
        }
        if (d instanceof Decl.Model m) {
            for (Decl.Input in : m.inputs()) {
                if (touches(in.name().span(), offset)) return Target.of(Target.Kind.INPUT, in.name().name(), in.name().span(), d);
            }
            return inBody(m.body(), d, offset);
        }
        if (d instanceof Decl.Block b) {
            for (Decl.Param p : b.params()) {
                if (touches(p.name().span(), offset)) return Target.of(Target.Kind.PARAM, p.name().name(), p.name().span(), d);
                Ident n = p.defaultValue() == null ? null : nameIn(p.defaultValue(), offset);
                if (n != null) return Target.of(Target.Kind.NAME, n.name(), n.span(), d);
            }
            for (Ident in : b.inputs()) {
                if (touches(in.span(), offset)) return Target.of(Target.Kind.INPUT, in.name(), in.span(), d);
            }
            return inBody(b.body(), d, offset);
        }
        if (d instanceof Decl.Dataset ds) return inDirectives(ds.body(), d, Catalog.Block.DATASET, offset);
        if (d instanceof Decl.Train t) {
            if (touches(t.model().span(), offset)) return Target.of(Target.Kind.MODEL_REF, t.model().name(), t.model().span(), d);
            if (touches(t.dataset().span(), offset)) {
                return Target.of(Target.Kind.DATASET_REF, t.dataset().name(), t.dataset().span(), d);
            }
            return inDirectives(t.body(), d, Catalog.Block.TRAIN, offset);
        }
        if (d instanceof Decl.Evaluate e) {
            if (touches(e.model().span(), offset)) return Target.of(Target.Kind.MODEL_REF, e.model().name(), e.model().span(), d);
            List<Ident> parts = e.data().parts();
            if (!parts.isEmpty() && touches(parts.get(0).span(), offset)) {
                return Target.of(Target.Kind.DATASET_REF, parts.get(0).name(), parts.get(0).span(), d);
            }
            if (parts.size() > 1 && touches(parts.get(1).span(), offset)) {
                return Target.of(Target.Kind.SPLIT_REF, parts.get(1).name(), parts.get(1).span(), d);
            }
            return inDirectives(e.body(), d, Catalog.Block.EVALUATE, offset);
        }
        if (d instanceof Decl.Search s) return inDirectives(s.body(), d, Catalog.Block.SEARCH, offset);
        return null;
    }

    static List<List<Element>> chains(Stmt s) {
        List<List<Element>> out = new ArrayList<>();
        if (s instanceof Stmt.Let l) out.add(l.chain());
        else if (s instanceof Stmt.Chain c) out.add(c.chain());
        else if (s instanceof Stmt.Return r) out.addAll(r.chains());
        return out;
    }

    private static Target inBody(List<Stmt> body, Decl d, int offset) {
        for (Stmt s : body) {
            if (!touches(s.span(), offset)) continue;
            if (s instanceof Stmt.Let l) {
                for (Ident n : l.names()) if (touches(n.span(), offset)) return Target.of(Target.Kind.LET, n.name(), n.span(), d);
            }
            for (List<Element> chain : chains(s)) {
                for (Element el : chain) {
                    if (!touches(el.span(), offset)) continue;
                    Target t = inElement(el, d, offset);
                    if (t != null) return t;
                }
            }
        }
        return null;
    }

    private static Target inElement(Element el, Decl d, int offset) {
        if (touches(el.name().span(), offset)) {
            return new Target(Target.Kind.ELEMENT, el.name().name(), el.name().span(), d, el, null, null);
        }
        for (Element.Arg arg : el.args()) {
            if (arg.name() != null && touches(arg.name().span(), offset)) {
                return new Target(Target.Kind.ATTRIBUTE, arg.name().name(), arg.name().span(), d, el, null, null);
            }
            Ident n = nameIn(arg.value(), offset);
            if (n != null) return new Target(Target.Kind.NAME, n.name(), n.span(), d, el, null, null);
        }
        for (Expr e : el.tensorArgs()) {
            Ident n = nameIn(e, offset);
            if (n != null) return new Target(Target.Kind.NAME, n.name(), n.span(), d, el, null, null);
        }
        Ident n = el.repeat() == null ? null : nameIn(el.repeat(), offset);
        if (n != null) return new Target(Target.Kind.NAME, n.name(), n.span(), d, el, null, null);
        return null;
    }

    /** The name part of an expression at the offset (the first part of a dotted name, or the one touched). */
    static Ident nameIn(Expr e, int offset) {
        if (e == null || !touches(e.span(), offset)) return null;
        if (e instanceof Expr.Name n) {
            for (Ident part : n.parts()) if (touches(part.span(), offset)) return part;
            return null;
        }
        for (Expr child : children(e)) {
            Ident found = nameIn(child, offset);
            if (found != null) return found;
        }
        return null;
    }

    static List<Expr> children(Expr e) {
        List<Expr> out = new ArrayList<>();
        if (e instanceof Expr.Ratio r) { out.add(r.numerator()); out.add(r.denominator()); }
        else if (e instanceof Expr.ShapeLit s) { for (Expr x : s.dims()) if (x != null) out.add(x); }
        else if (e instanceof Expr.Range r) { out.add(r.low()); out.add(r.high()); }
        else if (e instanceof Expr.Neg n) out.add(n.operand());
        else if (e instanceof Expr.Binary b) { out.add(b.left()); out.add(b.right()); }
        else if (e instanceof Expr.Call c) { for (dev.dlx.compiler.syntax.Element.Arg a : c.args()) out.add(a.value()); }
        else if (e instanceof Expr.Binding b) out.add(b.value());
        return out;
    }

    /** Every simple name inside an expression, in order. */
    static void names(Expr e, List<Ident> out) {
        if (e == null) return;
        if (e instanceof Expr.Name n) {
            if (!n.parts().isEmpty()) out.add(n.parts().get(0));
            return;
        }
        for (Expr child : children(e)) names(child, out);
    }

    private static Target inDirectives(List<Directive> body, Decl d, Catalog.Block block, int offset) {
        for (Directive dir : body) {
            if (!touches(dir.span(), offset)) continue;
            if (touches(dir.word().span(), offset)) {
                return new Target(Target.Kind.STATEMENT, dir.word().name(), dir.word().span(), d, null, dir, block);
            }
            for (Expr arg : dir.args()) {
                Ident n = nameIn(arg, offset);
                if (n != null) return new Target(Target.Kind.STATEMENT_ARG, n.name(), n.span(), d, null, dir, block);
            }
            if (dir.hasBlock()) {
                Catalog.Block inner = dir.word().name().equals("augment") ? Catalog.Block.AUGMENT
                    : dir.word().name().equals("source") ? Catalog.Block.SOURCE : block;
                Target t = inDirectives(dir.nested(), d, inner, offset);
                if (t != null) return t;
            }
        }
        return null;
    }
}
