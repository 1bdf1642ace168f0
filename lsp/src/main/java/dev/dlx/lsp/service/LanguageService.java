package dev.dlx.lsp.service;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.check.ModelCache;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.format.Formatter;
import dev.dlx.compiler.resolve.FileAccess;
import dev.dlx.compiler.resolve.SourceProvider;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What an editor asks about a `.dlx` document, answered from the compiler front end and knowing
 * nothing of the protocol: diagnostics (the compilation's), hover, completion, definition,
 * references, the outline and formatting. Offsets are the compiler's (UTF-16 units from the start
 * of the text, as the protocol counts columns); the protocol layer turns them into lines and columns. Stateless and
 * thread-safe: every answer is computed from the {@link Analysis} it is given.
 */
public final class LanguageService {

    /** Markdown text about the span under the cursor. */
    public record Hover(String markdown, Span span) {}

    public enum CompletionKind { KEYWORD, LAYER, BLOCK, MODEL, DATASET, TENSOR, ATTRIBUTE, VALUE, STATEMENT, FILE }

    /**
     * One completion: what to show and what to insert ({@code snippet}: with `$1` placeholders).
     */
    public record Completion(String label, CompletionKind kind, String detail, String documentation, String insertText,
                             boolean snippet) {}

    /** Completions and the range [replaceStart, replaceEnd) of the word they replace. */
    public record CompletionList(List<Completion> items, int replaceStart, int replaceEnd) {
        public static final CompletionList EMPTY = new CompletionList(List.of(), 0, 0);
    }

    public enum SymbolKind { IMPORT, DATASET, BLOCK, MODEL, TRAIN, EVALUATE, TENSOR, STATEMENT }

    /** An entry of the outline: its whole range and the part to select (its name). */
    public record Symbol(String name, SymbolKind kind, String detail, Span range, Span selection, List<Symbol> children) {}

    /**
     * Checks {@code text} as the content of {@code path}; imports are read through {@code sources}
     * (open editor buffers first, then the disk). {@code displayBase} makes paths in messages short.
     */
    public Analysis analyze(Path path, String text, SourceProvider sources, Path displayBase) {
        return analyze(path, text, sources, FileAccess.ANY, displayBase);
    }

    /**
     * As {@link #analyze(Path, String, SourceProvider, Path)}, reading only the imports and data
     * files {@code access} allows (the others are reported where they are named).
     */
    public Analysis analyze(Path path, String text, SourceProvider sources, FileAccess access, Path displayBase) {
        return analyze(path, text, sources, access, displayBase, null);
    }

    /**
     * As {@link #analyze(Path, String, SourceProvider, FileAccess, Path)}, taking from {@code earlier}
     * (the checks of earlier versions of the same document; null: none) every model that nothing of
     * the edit can change: only the edited declarations' models and the models that use them are
     * checked again. The analysis equals one without {@code earlier}.
     */
    public Analysis analyze(Path path, String text, SourceProvider sources, FileAccess access, Path displayBase, ModelCache earlier) {
        Path file = path.toAbsolutePath().normalize();
        Compiler compiler = new Compiler(sources, access, displayBase);
        Compilation compilation = (earlier == null ? compiler : compiler.reusing(earlier)).compile(file, text);
        return new Analysis(file, text, compilation);
    }

    public Optional<Hover> hover(Analysis a, int offset) {
        return Hovers.hover(a, offset, List.of());
    }

    /**
     * Hover text; for a layer inside a block, the shapes come from every model that uses the block,
     * also in {@code others} (the analyses of other open documents that import this one).
     */
    public Optional<Hover> hover(Analysis a, int offset, Collection<Analysis> others) {
        return Hovers.hover(a, offset, others);
    }

    /**
     * Completions at {@code offset} of {@code text}, the document as it is now (the analysis may be
     * of a slightly older version; its names are used).
     */
    public CompletionList complete(Analysis a, String text, int offset) {
        return Completions.complete(a, text, offset);
    }

    /** As {@link #complete(Analysis, String, int)}, listing file names only in folders {@code access} allows. */
    public CompletionList complete(Analysis a, String text, int offset, FileAccess access) {
        return Completions.complete(a, text, offset, access);
    }

    public Optional<Span> definition(Analysis a, int offset) {
        return Navigation.definition(a, offset);
    }

    /** Uses of the name at {@code offset}, across this analysis and {@code others} (other documents). */
    public List<Span> references(Analysis a, int offset, boolean includeDeclaration, Collection<Analysis> others) {
        return Navigation.references(a, offset, includeDeclaration, others);
    }

    public List<Symbol> symbols(Analysis a) {
        return Outline.symbols(a);
    }

    /** The canonical layout of the text, or the reasons it cannot be formatted (syntax errors). */
    public Formatter.Result format(Path path, String text) {
        return Formatter.format(new SourceFile(path, path == null ? "<input>" : path.toString(), text));
    }
}
