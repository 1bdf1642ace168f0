package dev.dlx.lsp.service;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.syntax.Program;
import dev.dlx.compiler.syntax.Tokens;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.Token;

/**
 * One checked version of a document: its text and the compilation of it (with its imports).
 * Offsets in the language service are the compiler's: UTF-16 units from the start of the text.
 */
public final class Analysis {
    private final Path path;
    private final String text;
    private final Compilation compilation;
    private List<Token> tokens;

    public Analysis(Path path, String text, Compilation compilation) {
        this.path = path;
        this.text = text;
        this.compilation = compilation;
    }

    public Path path() { return path; }
    public String text() { return text; }
    public Compilation compilation() { return compilation; }
    public Program program() { return compilation.root(); }
    public SourceFile file() { return compilation.root().file(); }

    /** The files this analysis read: the document and everything it imports. */
    public Set<Path> files() {
        Set<Path> out = new LinkedHashSet<>();
        for (Program p : compilation.programs()) if (p.file().path() != null) out.add(p.file().path());
        return out;
    }

    /** Every diagnostic of the compilation, ordered by file and position. */
    public List<Diagnostic> diagnostics() { return compilation.diagnostics().sorted(); }

    /** The document's tokens, comments included. */
    public synchronized List<Token> tokens() {
        if (tokens == null) tokens = lex(text);
        return tokens;
    }

    static List<Token> lex(String text) {
        return Tokens.lex(text);
    }
}
