package dev.dlx.lsp;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Label;
import dev.dlx.compiler.diag.Severity;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Program;
import dev.dlx.lsp.service.Analysis;
import dev.dlx.lsp.service.LanguageService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionItemKind;
import org.eclipse.lsp4j.Diagnostic;
import org.eclipse.lsp4j.DiagnosticRelatedInformation;
import org.eclipse.lsp4j.DiagnosticSeverity;
import org.eclipse.lsp4j.DiagnosticTag;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.InsertTextFormat;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.messages.Either;

/** The language service's values in the protocol's terms: ranges, diagnostics, completion items, symbols. */
final class Convert {
    /** Text maps per source file, built once per conversion. */
    private final Map<SourceFile, TextMap> maps = new IdentityHashMap<>();
    private final Function<Path, String> uris;

    Convert(Function<Path, String> uris) { this.uris = uris; }

    TextMap map(SourceFile file) { return maps.computeIfAbsent(file, f -> new TextMap(f.text())); }

    Range range(Span span) { return map(span.file()).range(span.start(), span.end()); }

    Location location(Span span) { return new Location(uris.apply(span.file().path()), range(span)); }

    // ------------------------------------------------------------------ diagnostics

    /**
     * The diagnostics of a document: those in it as they are; those in files it imports, at the
     * import that brings the file in, with the real place as related information.
     */
    List<Diagnostic> diagnostics(Analysis a) {
        SourceFile root = a.file();
        Map<Path, Decl.Import> via = importsLeadingTo(a);
        List<Diagnostic> out = new ArrayList<>();
        for (dev.dlx.compiler.diag.Diagnostic d : a.diagnostics()) {
            SourceFile file = d.span().file();
            boolean here = file == root || (file.path() != null && file.path().equals(root.path()));
            if (here) {
                out.add(diagnostic(d, range(Span.of(root, d.span().start(), d.span().end())), ""));
                continue;
            }
            Decl.Import imp = file.path() == null ? null : via.get(file.path());
            Range at = imp != null ? range(imp.pathSpan()) : new Range(map(root).position(0), map(root).position(0));
            Diagnostic lsp = diagnostic(d, at, "in `" + d.span().location() + "`: ");
            List<DiagnosticRelatedInformation> related = new ArrayList<>();
            related.add(new DiagnosticRelatedInformation(location(d.span()),
                d.primary().text().isEmpty() ? d.message() : d.primary().text()));
            if (lsp.getRelatedInformation() != null) related.addAll(lsp.getRelatedInformation());
            lsp.setRelatedInformation(related);
            out.add(lsp);
        }
        return out;
    }

    private Diagnostic diagnostic(dev.dlx.compiler.diag.Diagnostic d, Range range, String prefix) {
        StringBuilder message = new StringBuilder(prefix).append(d.message());
        for (String note : d.notes()) message.append("\nnote: ").append(note);
        if (d.help() != null && !d.help().isBlank()) message.append("\nhelp: ").append(d.help());
        Diagnostic lsp = new Diagnostic(range, message.toString(),
            d.severity() == Severity.ERROR ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, "dlx", d.code().id());
        List<DiagnosticRelatedInformation> related = new ArrayList<>();
        for (Label l : d.secondary()) related.add(new DiagnosticRelatedInformation(location(l.span()), l.text()));
        if (!related.isEmpty()) lsp.setRelatedInformation(related);
        if (d.code() == Code.LINT_UNUSED_TENSOR) lsp.setTags(List.of(DiagnosticTag.Unnecessary));
        return lsp;
    }

    /** For each imported file, the import of the root document through which it is read. */
    private static Map<Path, Decl.Import> importsLeadingTo(Analysis a) {
        Map<Path, Program> byPath = new HashMap<>();
        for (Program p : a.compilation().programs()) if (p.file().path() != null) byPath.put(p.file().path(), p);
        Map<Path, Decl.Import> out = new HashMap<>();
        for (Decl.Import imp : a.program().all(Decl.Import.class)) {
            Path start = resolve(a.path(), imp.path());
            Set<Path> seen = new LinkedHashSet<>();
            List<Path> todo = new ArrayList<>(List.of(start));
            while (!todo.isEmpty()) {
                Path p = todo.remove(todo.size() - 1);
                if (!seen.add(p)) continue;
                out.putIfAbsent(p, imp);
                Program program = byPath.get(p);
                if (program == null) continue;
                for (Decl.Import next : program.all(Decl.Import.class)) todo.add(resolve(p, next.path()));
            }
        }
        return out;
    }

    private static Path resolve(Path from, String relative) {
        Path dir = from == null || from.getParent() == null ? Path.of("") : from.getParent();
        try {
            return dir.resolve(relative).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    // ------------------------------------------------------------------ completion and symbols

    List<CompletionItem> completions(LanguageService.CompletionList list, TextMap current) {
        Range replace = current.range(list.replaceStart(), list.replaceEnd());
        List<CompletionItem> out = new ArrayList<>();
        int rank = 0;
        for (LanguageService.Completion c : list.items()) {
            CompletionItem item = new CompletionItem(c.label());
            item.setKind(kind(c.kind()));
            if (c.detail() != null && !c.detail().isEmpty()) item.setDetail(c.detail());
            if (c.documentation() != null && !c.documentation().isBlank()) {
                item.setDocumentation(new MarkupContent(MarkupKind.MARKDOWN, c.documentation()));
            }
            item.setTextEdit(Either.forLeft(new TextEdit(replace, c.insertText())));
            item.setInsertTextFormat(c.snippet() ? InsertTextFormat.Snippet : InsertTextFormat.PlainText);
            item.setSortText(String.format("%04d", rank++));
            out.add(item);
        }
        return out;
    }

    private static CompletionItemKind kind(LanguageService.CompletionKind k) {
        switch (k) {
            case KEYWORD: return CompletionItemKind.Keyword;
            case LAYER: return CompletionItemKind.Function;
            case BLOCK: return CompletionItemKind.Module;
            case MODEL: return CompletionItemKind.Class;
            case DATASET: return CompletionItemKind.Struct;
            case TENSOR: return CompletionItemKind.Variable;
            case ATTRIBUTE: return CompletionItemKind.Property;
            case VALUE: return CompletionItemKind.EnumMember;
            case STATEMENT: return CompletionItemKind.Keyword;
            case FILE: return CompletionItemKind.File;
            default: return CompletionItemKind.Text;
        }
    }

    DocumentSymbol symbol(LanguageService.Symbol s) {
        DocumentSymbol d = new DocumentSymbol(s.name(), symbolKind(s.kind()), range(s.range()), range(s.selection()),
            s.detail() == null || s.detail().isEmpty() ? null : s.detail());
        List<DocumentSymbol> children = new ArrayList<>();
        for (LanguageService.Symbol c : s.children()) children.add(symbol(c));
        d.setChildren(children);
        return d;
    }

    private static SymbolKind symbolKind(LanguageService.SymbolKind k) {
        switch (k) {
            case IMPORT: return SymbolKind.File;
            case DATASET: return SymbolKind.Struct;
            case BLOCK: return SymbolKind.Function;
            case MODEL: return SymbolKind.Class;
            case TRAIN: return SymbolKind.Event;
            case EVALUATE: return SymbolKind.Event;
            case TENSOR: return SymbolKind.Variable;
            case STATEMENT: return SymbolKind.Property;
            default: return SymbolKind.Null;
        }
    }

    // ------------------------------------------------------------------ formatting

    /** One edit that turns {@code before} into {@code after}: the differing middle, common ends kept. */
    static List<TextEdit> edits(String before, String after) {
        if (before.equals(after)) return List.of();
        int prefix = 0;
        int max = Math.min(before.length(), after.length());
        while (prefix < max && before.charAt(prefix) == after.charAt(prefix)) prefix++;
        int suffix = 0;
        while (suffix < max - prefix && before.charAt(before.length() - 1 - suffix) == after.charAt(after.length() - 1 - suffix)) suffix++;
        // Never split a surrogate pair or a CRLF.
        while (prefix > 0 && (Character.isHighSurrogate(before.charAt(prefix - 1)) || before.charAt(prefix - 1) == '\r')) prefix--;
        while (suffix > 0) {
            int at = before.length() - suffix;
            boolean splitsPair = Character.isLowSurrogate(before.charAt(at));
            boolean splitsCrlf = before.charAt(at) == '\n' && at > 0 && before.charAt(at - 1) == '\r';
            if (!splitsPair && !splitsCrlf) break;
            suffix--;
        }
        TextMap map = new TextMap(before);
        Range range = new Range(map.position(prefix), map.position(before.length() - suffix));
        return List.of(new TextEdit(range, after.substring(prefix, after.length() - suffix)));
    }
}
