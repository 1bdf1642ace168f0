package dev.dlx.lsp.service;

import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Element;
import dev.dlx.compiler.syntax.Expr;
import dev.dlx.compiler.syntax.Ident;
import dev.dlx.compiler.syntax.Stmt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The names a model or block body defines: its tensors (inputs, `let` names) and a block's parameters. */
final class Scopes {
    private Scopes() {}

    /** Tensor names of a body, each with where it is defined (first definition wins). */
    static Map<String, Ident> tensors(Decl d) {
        Map<String, Ident> out = new LinkedHashMap<>();
        List<Stmt> body = List.of();
        if (d instanceof Decl.Model m) {
            for (Decl.Input in : m.inputs()) out.putIfAbsent(in.name().name(), in.name());
            body = m.body();
        } else if (d instanceof Decl.Block b) {
            if (b.inputs().isEmpty()) out.put("input", null);
            for (Ident in : b.inputs()) out.putIfAbsent(in.name(), in);
            body = b.body();
        }
        for (Stmt s : body) {
            if (s instanceof Stmt.Let l) for (Ident n : l.names()) out.putIfAbsent(n.name(), n);
        }
        return out;
    }

    /** A block's parameters by name. */
    static Map<String, Decl.Param> params(Decl d) {
        Map<String, Decl.Param> out = new LinkedHashMap<>();
        if (d instanceof Decl.Block b) for (Decl.Param p : b.params()) out.putIfAbsent(p.name().name(), p);
        return out;
    }

    static List<Stmt> body(Decl d) {
        if (d instanceof Decl.Model m) return m.body();
        if (d instanceof Decl.Block b) return b.body();
        return List.of();
    }

    /** Every element of a body, in text order. */
    static List<Element> elements(Decl d) {
        List<Element> out = new ArrayList<>();
        for (Stmt s : body(d)) for (List<Element> chain : Locator.chains(s)) out.addAll(chain);
        return out;
    }

    /**
     * Every use of a simple name inside a body: chain steps, tensor arguments, argument values,
     * repeat counts, and a block's parameter defaults.
     */
    static List<Ident> uses(Decl d) {
        List<Ident> out = new ArrayList<>();
        if (d instanceof Decl.Block b) for (Decl.Param p : b.params()) Locator.names(p.defaultValue(), out);
        for (Element el : elements(d)) {
            out.add(el.name());
            for (Element.Arg a : el.args()) Locator.names(a.value(), out);
            for (Expr e : el.tensorArgs()) Locator.names(e, out);
            Locator.names(el.repeat(), out);
        }
        return out;
    }
}
