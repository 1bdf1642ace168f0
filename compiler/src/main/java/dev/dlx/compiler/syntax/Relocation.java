package dev.dlx.compiler.syntax;

import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Span;
import java.util.List;

/**
 * Moves a declaration's syntax tree to where its text now is: every span into another file (the
 * document's new version), shifted by the same number of characters. The tree equals the one
 * parsing the declaration's text at its new place gives.
 */
final class Relocation {
    private final SourceFile file;
    private final int delta;

    private Relocation(SourceFile file, int delta) {
        this.file = file;
        this.delta = delta;
    }

    /** {@code decls} with every span moved into {@code file}, {@code delta} characters further. */
    static List<Decl> move(List<Decl> decls, SourceFile file, int delta) {
        Relocation r = new Relocation(file, delta);
        return decls.stream().map(r::decl).toList();
    }

    private Span span(Span s) {
        return s == null ? null : new Span(file, s.start() + delta, s.end() + delta);
    }

    private Ident ident(Ident i) {
        return i == null ? null : new Ident(i.name(), span(i.span()));
    }

    private Decl decl(Decl d) {
        if (d instanceof Decl.Import i) return new Decl.Import(i.path(), span(i.pathSpan()), span(i.span()));
        if (d instanceof Decl.Dataset ds) return new Decl.Dataset(ident(ds.name()), directives(ds.body()), span(ds.span()));
        if (d instanceof Decl.Block b) {
            List<Decl.Param> params = b.params().stream().map(p -> new Decl.Param(ident(p.name()), expr(p.defaultValue()))).toList();
            return new Decl.Block(ident(b.name()), params, b.inputs().stream().map(this::ident).toList(), stmts(b.body()), span(b.span()));
        }
        if (d instanceof Decl.Model m) {
            List<Decl.Input> inputs = m.inputs().stream().map(in -> new Decl.Input(ident(in.name()), shape(in.shape()))).toList();
            return new Decl.Model(ident(m.name()), inputs, m.outputs().stream().map(this::shape).toList(), stmts(m.body()), span(m.span()));
        }
        if (d instanceof Decl.Train t) return new Decl.Train(ident(t.model()), ident(t.dataset()), directives(t.body()), span(t.span()));
        if (d instanceof Decl.Evaluate e) return new Decl.Evaluate(ident(e.model()), name(e.data()), directives(e.body()), span(e.span()));
        Decl.Search s = (Decl.Search) d;
        return new Decl.Search(directives(s.body()), span(s.span()));
    }

    private List<Directive> directives(List<Directive> ds) {
        return ds.stream().map(d -> new Directive(ident(d.word()), exprs(d.args()), directives(d.nested()), d.hasBlock(), span(d.span()))).toList();
    }

    private List<Stmt> stmts(List<Stmt> stmts) {
        return stmts.stream().map(this::stmt).toList();
    }

    private Stmt stmt(Stmt s) {
        if (s instanceof Stmt.Let l) return new Stmt.Let(l.names().stream().map(this::ident).toList(), chain(l.chain()), span(l.span()));
        if (s instanceof Stmt.Return r) return new Stmt.Return(r.chains().stream().map(this::chain).toList(), span(r.span()));
        Stmt.Chain c = (Stmt.Chain) s;
        return new Stmt.Chain(chain(c.chain()), span(c.span()));
    }

    private List<Element> chain(List<Element> chain) {
        return chain.stream().map(e -> new Element(ident(e.name()), args(e.args()), exprs(e.tensorArgs()), e.called(), expr(e.repeat()),
            span(e.span()))).toList();
    }

    private List<Element.Arg> args(List<Element.Arg> args) {
        return args.stream().map(a -> new Element.Arg(ident(a.name()), expr(a.value()))).toList();
    }

    /** A list of expressions; a shape's unknown dimension (`?`) is a null and stays one. */
    private List<Expr> exprs(List<Expr> exprs) {
        return exprs.stream().map(this::expr).toList();
    }

    private Expr.ShapeLit shape(Expr.ShapeLit s) {
        return new Expr.ShapeLit(exprs(s.dims()), span(s.span()));
    }

    private Expr.Name name(Expr.Name n) {
        return new Expr.Name(n.parts().stream().map(this::ident).toList(), span(n.span()));
    }

    private Expr.Num num(Expr.Num n) {
        return new Expr.Num(n.value(), n.integral(), n.unit(), span(n.span()));
    }

    private Expr expr(Expr e) {
        if (e == null) return null;
        if (e instanceof Expr.Num n) return num(n);
        if (e instanceof Expr.Ratio r) return new Expr.Ratio(num(r.numerator()), num(r.denominator()), span(r.span()));
        if (e instanceof Expr.Size s) return new Expr.Size(s.sizes(), span(s.span()));
        if (e instanceof Expr.Str s) return new Expr.Str(s.value(), span(s.span()));
        if (e instanceof Expr.Name n) return name(n);
        if (e instanceof Expr.ShapeLit s) return shape(s);
        if (e instanceof Expr.Range r) return new Expr.Range(expr(r.low()), expr(r.high()), span(r.span()));
        if (e instanceof Expr.Neg n) return new Expr.Neg(expr(n.operand()), span(n.span()));
        if (e instanceof Expr.Binary b) return new Expr.Binary(b.op(), expr(b.left()), expr(b.right()), span(b.span()));
        if (e instanceof Expr.Call c) return new Expr.Call(ident(c.callee()), args(c.args()), span(c.span()));
        Expr.Binding b = (Expr.Binding) e;
        return new Expr.Binding(ident(b.name()), expr(b.value()), span(b.span()));
    }
}
