package dev.dlx.compiler.syntax;

import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Work;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.antlr.v4.runtime.Token;

/**
 * The parsed declarations of the earlier versions of one document, for an editor that parses the
 * document again after every edit: the text is cut into its top-level declarations
 * ({@link DeclSplit}), only the pieces whose text is new are parsed, and the trees of the others are
 * taken over, moved to where their text now is ({@link Relocation}). The program equals the one
 * {@link Parser#parse} gives: whenever a piece does not parse cleanly, the whole text is parsed
 * instead, diagnostics and all. Thread-safe.
 */
public final class ParseCache {
    /** A piece parsed once: its declarations, and the version and place of its text they point into. */
    private record Parsed(List<Decl> decls, SourceFile file, int start) {}

    /** By the piece's text: what the last parse used. */
    private Map<String, Parsed> pieces = new HashMap<>();
    private int parsed;
    private boolean whole;

    /** How many pieces (declarations, each with what follows it up to the next) the last parse parsed; a whole parse counts its declarations. */
    public synchronized int parsed() { return parsed; }

    /** Whether the last parse parsed the whole text (its pieces were not certain). */
    public synchronized boolean whole() { return whole; }

    /** The program of {@code file}, as {@link Parser#parse(SourceFile, Diagnostics, Work)} gives it. */
    public synchronized Program parse(SourceFile file, Diagnostics sink, Work work) {
        List<Token> tokens = Tokens.lex(file.text());
        Optional<List<DeclSplit.Piece>> split = DeclSplit.split(tokens, file.text().length());
        parsed = 0;
        whole = split.isEmpty();
        if (whole) return wholeParse(file, tokens, sink, work); // the pieces of earlier versions are kept
        Map<String, Parsed> next = new HashMap<>();
        List<Decl> decls = new ArrayList<>();
        boolean clean = true;
        for (DeclSplit.Piece piece : split.get()) {
            String text = file.text().substring(piece.start(), piece.end());
            Parsed earlier = next.getOrDefault(text, pieces.get(text));
            if (!clean) { // the whole text is parsed; the pieces are kept for the next version
                if (earlier != null) next.put(text, earlier);
                continue;
            }
            if (earlier == null) {
                Diagnostics own = new Diagnostics();
                Program p = Parser.parse(file, tokens.subList(piece.from(), piece.to()), own, new Work());
                parsed++;
                if (!own.isEmpty()) {
                    clean = false;
                    continue;
                }
                earlier = new Parsed(p.decls(), file, piece.start());
            } else if (earlier.file() != file || earlier.start() != piece.start()) {
                earlier = new Parsed(Relocation.move(earlier.decls(), file, piece.start() - earlier.start()), file, piece.start());
            }
            decls.addAll(earlier.decls());
            next.put(text, earlier);
        }
        pieces = next;
        whole = !clean;
        if (whole) return wholeParse(file, tokens, sink, work);
        work.tokens(tokens.size());
        return new Program(file, List.copyOf(decls));
    }

    private Program wholeParse(SourceFile file, List<Token> tokens, Diagnostics sink, Work work) {
        Program p = Parser.parse(file, tokens, sink, work);
        parsed += p.decls().size();
        return p;
    }
}
