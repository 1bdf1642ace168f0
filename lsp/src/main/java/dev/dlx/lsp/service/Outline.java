package dev.dlx.lsp.service;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Directive;
import dev.dlx.compiler.syntax.Expr;
import dev.dlx.compiler.syntax.Ident;
import dev.dlx.compiler.syntax.Stmt;
import java.util.ArrayList;
import java.util.List;

/** The outline of a document: its declarations, with model inputs, named tensors and statements inside. */
final class Outline {
    private Outline() {}

    static List<LanguageService.Symbol> symbols(Analysis a) {
        List<LanguageService.Symbol> out = new ArrayList<>();
        for (Decl d : a.program().decls()) {
            LanguageService.Symbol s = symbol(a, d);
            if (s != null) out.add(s);
        }
        return out;
    }

    private static LanguageService.Symbol symbol(Analysis a, Decl d) {
        if (d instanceof Decl.Import imp) {
            return new LanguageService.Symbol(imp.path(), LanguageService.SymbolKind.IMPORT, "import", d.span(), imp.pathSpan(), List.of());
        }
        if (d instanceof Decl.Model m) {
            List<LanguageService.Symbol> children = new ArrayList<>();
            for (Decl.Input in : m.inputs()) {
                children.add(new LanguageService.Symbol(in.name().name(), LanguageService.SymbolKind.TENSOR,
                    in.shape().span().text(), in.name().span().to(in.shape().span()), in.name().span(), List.of()));
            }
            children.addAll(lets(m.body()));
            return new LanguageService.Symbol(m.name().name(), LanguageService.SymbolKind.MODEL, detail(modelSignature(m), m.name().name()),
                d.span(), m.name().span(), children);
        }
        if (d instanceof Decl.Block b) {
            return new LanguageService.Symbol(b.name().name(), LanguageService.SymbolKind.BLOCK, detail(blockSignature(b), b.name().name()),
                d.span(), b.name().span(), lets(b.body()));
        }
        if (d instanceof Decl.Dataset ds) {
            DatasetIR ir = a.compilation().datasets().get(ds.name().name());
            String detail = ir != null && ir.span() == ds.span() && !ir.featureShape().isUnknown() ? ir.featureShape().toString() : "";
            return new LanguageService.Symbol(ds.name().name(), LanguageService.SymbolKind.DATASET, detail, d.span(), ds.name().span(),
                statements(ds.body()));
        }
        if (d instanceof Decl.Train t) {
            String name = "train " + t.model().name() + " on " + t.dataset().name();
            return new LanguageService.Symbol(name, LanguageService.SymbolKind.TRAIN, "", d.span(), t.model().span().to(t.dataset().span()),
                statements(t.body()));
        }
        if (d instanceof Decl.Evaluate e) {
            String name = "evaluate " + e.model().name() + " on " + e.data().text();
            return new LanguageService.Symbol(name, LanguageService.SymbolKind.EVALUATE, "", d.span(), e.model().span().to(e.data().span()),
                statements(e.body()));
        }
        return null;
    }

    private static String detail(String signature, String name) {
        return signature.startsWith(name) ? signature.substring(name.length()) : signature;
    }

    private static List<LanguageService.Symbol> lets(List<Stmt> body) {
        List<LanguageService.Symbol> out = new ArrayList<>();
        for (Stmt s : body) {
            if (!(s instanceof Stmt.Let l)) continue;
            for (Ident n : l.names()) {
                out.add(new LanguageService.Symbol(n.name(), LanguageService.SymbolKind.TENSOR, "let", s.span(), n.span(), List.of()));
            }
        }
        return out;
    }

    private static List<LanguageService.Symbol> statements(List<Directive> body) {
        List<LanguageService.Symbol> out = new ArrayList<>();
        for (Directive d : body) {
            String detail = d.args().isEmpty() ? "" : d.args().get(0).span().to(d.args().get(d.args().size() - 1).span()).text();
            out.add(new LanguageService.Symbol(d.word().name(), LanguageService.SymbolKind.STATEMENT, oneLine(detail), d.span(),
                d.word().span(), statements(d.nested())));
        }
        return out;
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() > 60 ? flat.substring(0, 57) + "..." : flat;
    }

    /** `Net(image [8, 8, 1]) -> [10]` */
    static String modelSignature(Decl.Model m) {
        List<String> inputs = new ArrayList<>();
        for (Decl.Input in : m.inputs()) inputs.add(in.name().name() + " " + text(in.shape().span()));
        String s = m.name().name() + "(" + String.join(", ", inputs) + ")";
        if (!m.outputs().isEmpty()) {
            List<String> outs = new ArrayList<>();
            for (Expr.ShapeLit o : m.outputs()) outs.add(text(o.span()));
            s += " -> " + String.join(", ", outs);
        }
        return s;
    }

    /** `convbn(filters, k = 3)`, `fuse(units)(a, b)` */
    static String blockSignature(Decl.Block b) {
        List<String> params = new ArrayList<>();
        for (Decl.Param p : b.params()) {
            params.add(p.defaultValue() == null ? p.name().name() : p.name().name() + " = " + text(p.defaultValue().span()));
        }
        String s = params.isEmpty() && b.inputs().isEmpty() ? b.name().name() : b.name().name() + "(" + String.join(", ", params) + ")";
        if (!b.inputs().isEmpty()) s += "(" + String.join(", ", b.inputs().stream().map(Ident::name).toList()) + ")";
        return s;
    }

    private static String text(Span span) { return span.text().replaceAll("\\s+", " "); }
}
