package dev.dlx.lsp;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.format.Formatter;
import dev.dlx.lsp.service.Analysis;
import dev.dlx.lsp.service.LanguageService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.CompletionItem;
import org.eclipse.lsp4j.CompletionList;
import org.eclipse.lsp4j.CompletionParams;
import org.eclipse.lsp4j.DefinitionParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidCloseTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.DidSaveTextDocumentParams;
import org.eclipse.lsp4j.DocumentFormattingParams;
import org.eclipse.lsp4j.DocumentSymbol;
import org.eclipse.lsp4j.DocumentSymbolParams;
import org.eclipse.lsp4j.Hover;
import org.eclipse.lsp4j.HoverParams;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.LocationLink;
import org.eclipse.lsp4j.MarkupContent;
import org.eclipse.lsp4j.MarkupKind;
import org.eclipse.lsp4j.ReferenceParams;
import org.eclipse.lsp4j.SymbolInformation;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.jsonrpc.CompletableFutures;
import org.eclipse.lsp4j.jsonrpc.messages.Either;
import org.eclipse.lsp4j.services.TextDocumentService;

/** The protocol's document requests, answered by the document service and the language service. */
final class DlxTextDocumentService implements TextDocumentService {
    private final DocumentService documents;
    private final LanguageService service;

    DlxTextDocumentService(DocumentService documents, LanguageService service) {
        this.documents = documents;
        this.service = service;
    }

    private Convert convert() { return new Convert(documents::uriOf); }

    // ------------------------------------------------------------------ synchronization

    @Override public void didOpen(DidOpenTextDocumentParams params) {
        var doc = params.getTextDocument();
        documents.open(doc.getUri(), doc.getText(), doc.getVersion());
    }

    @Override public void didChange(DidChangeTextDocumentParams params) {
        String uri = params.getTextDocument().getUri();
        Optional<DocumentService.Document> doc = documents.document(uri);
        if (doc.isEmpty()) return;
        String text = doc.get().text();
        for (TextDocumentContentChangeEvent change : params.getContentChanges()) text = apply(text, change);
        Integer version = params.getTextDocument().getVersion();
        documents.change(uri, text, version == null ? doc.get().version() + 1 : version);
    }

    /** A whole-text replacement, or an edit of a range (UTF-16 positions). */
    static String apply(String text, TextDocumentContentChangeEvent change) {
        if (change.getRange() == null) return change.getText();
        TextMap map = new TextMap(text);
        int start = map.offset(change.getRange().getStart());
        int end = Math.max(start, map.offset(change.getRange().getEnd()));
        return text.substring(0, start) + change.getText() + text.substring(end);
    }

    @Override public void didClose(DidCloseTextDocumentParams params) {
        documents.close(params.getTextDocument().getUri());
    }

    @Override public void didSave(DidSaveTextDocumentParams params) {
        documents.recheckAll();
    }

    // ------------------------------------------------------------------ requests

    @Override public CompletableFuture<Hover> hover(HoverParams params) {
        return CompletableFutures.computeAsync(cancel -> {
            Optional<Analysis> a = documents.analysis(params.getTextDocument().getUri());
            if (a.isEmpty()) return null;
            Convert c = convert();
            TextMap map = c.map(a.get().file());
            cancel.checkCanceled();
            return service.hover(a.get(), map.offset(params.getPosition()), documents.openAnalyses())
                .map(h -> new Hover(new MarkupContent(MarkupKind.MARKDOWN, h.markdown()), c.range(h.span())))
                .orElse(null);
        });
    }

    @Override public CompletableFuture<Either<List<CompletionItem>, CompletionList>> completion(CompletionParams params) {
        return CompletableFutures.computeAsync(cancel -> {
            String uri = params.getTextDocument().getUri();
            Optional<DocumentService.Document> doc = documents.document(uri);
            Optional<Analysis> a = documents.latestAnalysis(uri);
            if (doc.isEmpty() || a.isEmpty()) return Either.forRight(new CompletionList(false, List.of()));
            TextMap current = new TextMap(doc.get().text());
            cancel.checkCanceled();
            LanguageService.CompletionList list = service.complete(a.get(), doc.get().text(), current.offset(params.getPosition()), documents.access());
            return Either.forRight(new CompletionList(false, convert().completions(list, current)));
        });
    }

    @Override public CompletableFuture<Either<List<? extends Location>, List<? extends LocationLink>>> definition(
            DefinitionParams params) {
        return CompletableFutures.computeAsync(cancel -> {
            Optional<Analysis> a = documents.analysis(params.getTextDocument().getUri());
            List<Location> out = new ArrayList<>();
            if (a.isPresent()) {
                Convert c = convert();
                int offset = c.map(a.get().file()).offset(params.getPosition());
                service.definition(a.get(), offset).ifPresent(span -> out.add(c.location(span)));
            }
            return Either.forLeft(out);
        });
    }

    @Override public CompletableFuture<List<? extends Location>> references(ReferenceParams params) {
        return CompletableFutures.computeAsync(cancel -> {
            Optional<Analysis> a = documents.analysis(params.getTextDocument().getUri());
            if (a.isEmpty()) return List.of();
            Convert c = convert();
            int offset = c.map(a.get().file()).offset(params.getPosition());
            cancel.checkCanceled();
            boolean withDecl = params.getContext() == null || params.getContext().isIncludeDeclaration();
            List<Analysis> others = new ArrayList<>(documents.world());
            others.removeIf(o -> o.path().equals(a.get().path()));
            cancel.checkCanceled();
            List<Location> out = new ArrayList<>();
            for (Span s : service.references(a.get(), offset, withDecl, others)) out.add(c.location(s));
            return out;
        });
    }

    @Override public CompletableFuture<List<Either<SymbolInformation, DocumentSymbol>>> documentSymbol(DocumentSymbolParams params) {
        return CompletableFutures.computeAsync(cancel -> {
            Optional<Analysis> a = documents.analysis(params.getTextDocument().getUri());
            List<Either<SymbolInformation, DocumentSymbol>> out = new ArrayList<>();
            if (a.isEmpty()) return out;
            Convert c = convert();
            for (LanguageService.Symbol s : service.symbols(a.get())) out.add(Either.forRight(c.symbol(s)));
            return out;
        });
    }

    @Override public CompletableFuture<List<? extends TextEdit>> formatting(DocumentFormattingParams params) {
        return CompletableFutures.computeAsync(cancel -> {
            Optional<DocumentService.Document> doc = documents.document(params.getTextDocument().getUri());
            if (doc.isEmpty()) return List.of();
            Formatter.Result r = service.format(doc.get().path(), doc.get().text());
            if (!r.ok()) return List.of(); // syntax errors: the diagnostics already say where
            return Convert.edits(doc.get().text(), r.text());
        });
    }
}
