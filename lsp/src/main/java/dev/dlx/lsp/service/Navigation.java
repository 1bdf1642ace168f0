package dev.dlx.lsp.service;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.resolve.SymbolTable;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Element;
import dev.dlx.compiler.syntax.Ident;
import dev.dlx.compiler.syntax.Program;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Go to definition and find references. Models, blocks and datasets are global (across imports);
 * tensors and block parameters are local to their body.
 */
final class Navigation {
    private Navigation() {}

    /** What a name refers to: a declaration of the program, or a local definition in a body. */
    private record Resolved(Decl global, Decl body, String local, Span definition) {}

    static Optional<Span> definition(Analysis a, int offset) {
        Optional<Target> target = Locator.at(a, offset);
        if (target.isEmpty()) return Optional.empty();
        Target t = target.get();
        if (t.kind() == Target.Kind.IMPORT) return importedFile(a, (Decl.Import) t.decl());
        return resolve(a, t).map(Resolved::definition);
    }

    private static Optional<Span> importedFile(Analysis a, Decl.Import imp) {
        Path dir = a.path() == null || a.path().getParent() == null ? Path.of("") : a.path().getParent();
        Path target = dir.resolve(imp.path()).toAbsolutePath().normalize();
        for (Program p : a.compilation().programs()) {
            if (target.equals(p.file().path())) return Optional.of(Span.of(p.file(), 0, 0));
        }
        return Optional.empty();
    }

    private static Optional<Resolved> resolve(Analysis a, Target t) {
        SymbolTable symbols = a.compilation().symbols();
        switch (t.kind()) {
            case DECL_NAME:
                return Optional.of(new Resolved(t.decl(), null, null, t.decl().name().span()));
            case MODEL_REF:
                return symbols.model(t.name()).map(d -> new Resolved(d, null, null, d.name().span()));
            case DATASET_REF:
                return symbols.dataset(t.name()).map(d -> new Resolved(d, null, null, d.name().span()));
            case LET:
            case INPUT:
            case PARAM:
                return Optional.of(new Resolved(null, t.decl(), t.name(), t.span()));
            case ELEMENT:
            case NAME: {
                Map<String, Ident> tensors = Scopes.tensors(t.decl());
                Element el = t.element();
                boolean tensorUse = t.kind() == Target.Kind.NAME || (!el.called() && el.args().isEmpty());
                if (tensorUse && tensors.containsKey(t.name())) {
                    Ident def = tensors.get(t.name());
                    return Optional.of(new Resolved(null, t.decl(), t.name(), def == null ? t.decl().name().span() : def.span()));
                }
                Map<String, Decl.Param> params = Scopes.params(t.decl());
                if (t.kind() == Target.Kind.NAME && params.containsKey(t.name())) {
                    return Optional.of(new Resolved(null, t.decl(), t.name(), params.get(t.name()).name().span()));
                }
                if (t.kind() == Target.Kind.ELEMENT) {
                    Optional<? extends Decl> used = symbols.block(t.name()).isPresent() ? symbols.block(t.name()) : symbols.model(t.name());
                    return used.map(b -> new Resolved(b, null, null, b.name().span()));
                }
                return Optional.empty();
            }
            default:
                return Optional.empty();
        }
    }

    /**
     * Every place the name at the offset is used, in this document's compilation and in the other
     * analyses given (other open documents and files of the workspace), without duplicates.
     */
    static List<Span> references(Analysis a, int offset, boolean includeDeclaration, Collection<Analysis> others) {
        Optional<Target> target = Locator.at(a, offset);
        if (target.isEmpty()) return List.of();
        Optional<Resolved> resolved = resolve(a, target.get());
        if (resolved.isEmpty()) return List.of();
        Resolved r = resolved.get();
        Map<String, Span> found = new LinkedHashMap<>();
        if (r.global() == null) {
            localReferences(r, includeDeclaration, found);
            return List.copyOf(found.values());
        }
        Decl decl = r.global();
        String name = decl.name().name();
        Path declFile = decl.span().file().path();
        int declStart = decl.name().span().start();
        List<Analysis> world = new ArrayList<>();
        world.add(a);
        world.addAll(others);
        for (Analysis w : world) {
            Optional<Decl> there = w.compilation().symbols().any(name);
            if (there.isEmpty() || !Objects.equals(there.get().span().file().path(), declFile)
                    || there.get().name().span().start() != declStart) {
                continue;
            }
            for (Program p : w.compilation().programs()) {
                for (Span s : uses(p, decl, name)) add(found, s);
                if (includeDeclaration && Objects.equals(p.file().path(), declFile)) add(found, there.get().name().span());
            }
        }
        return List.copyOf(found.values());
    }

    private static void add(Map<String, Span> found, Span s) {
        found.putIfAbsent(s.file().path() + ":" + s.start() + ":" + s.end(), s);
    }

    /** Uses of a global name in one file: block calls, `train`/`evaluate` references. */
    private static List<Span> uses(Program p, Decl decl, String name) {
        List<Span> out = new ArrayList<>();
        for (Decl d : p.decls()) {
            if (decl instanceof Decl.Block && (d instanceof Decl.Model || d instanceof Decl.Block)) {
                Map<String, Ident> tensors = Scopes.tensors(d);
                for (Element el : Scopes.elements(d)) {
                    if (!el.name().name().equals(name)) continue;
                    if (!el.called() && el.args().isEmpty() && tensors.containsKey(name)) continue; // a tensor of that name
                    out.add(el.name().span());
                }
            }
            if (d instanceof Decl.Train t) {
                if (decl instanceof Decl.Model && t.model().name().equals(name)) out.add(t.model().span());
                if (decl instanceof Decl.Dataset && t.dataset().name().equals(name)) out.add(t.dataset().span());
            }
            if (d instanceof Decl.Evaluate e) {
                if (decl instanceof Decl.Model && e.model().name().equals(name)) out.add(e.model().span());
                if (decl instanceof Decl.Dataset && !e.data().parts().isEmpty() && e.data().parts().get(0).name().equals(name)) {
                    out.add(e.data().parts().get(0).span());
                }
            }
        }
        return out;
    }

    private static void localReferences(Resolved r, boolean includeDeclaration, Map<String, Span> found) {
        Decl body = r.body();
        String name = r.local();
        Map<String, Ident> tensors = Scopes.tensors(body);
        Map<String, Decl.Param> params = Scopes.params(body);
        if (includeDeclaration) {
            if (tensors.get(name) != null) add(found, tensors.get(name).span());
            else if (params.containsKey(name)) add(found, params.get(name).name().span());
        }
        for (Ident use : Scopes.uses(body)) {
            if (use.name().equals(name)) add(found, use.span());
        }
    }
}
