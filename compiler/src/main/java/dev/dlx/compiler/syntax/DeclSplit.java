package dev.dlx.compiler.syntax;

import dev.dlx.grammar.DlxLexer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.Token;

/**
 * Where a file's top-level declarations begin, read from its tokens: at a declaration keyword
 * (`model`, `block`, `dataset`, `train`, `evaluate`, `search`, `import`) outside every brace that
 * starts the file or follows a newline or `;`. Comments and strings are single tokens, so a
 * keyword inside one never counts. Each piece runs from one such keyword to the next (the first
 * from the start of the file, with what precedes its keyword) and ends with the separator before
 * the next. When every piece parses without a diagnostic, the file is these pieces one after the
 * other, and its parse is theirs ({@link ParseCache}); a piece that does not parse cleanly (an
 * unclosed brace, a stray word before the first declaration, a broken declaration) sends the
 * caller back to parsing the whole file.
 */
final class DeclSplit {
    /** Tokens [from, to) of the list and characters [start, end) of the text. */
    record Piece(int from, int to, int start, int end) {}

    private DeclSplit() {}

    /** The pieces of a text of {@code length} characters lexed into {@code tokens}; empty when it has no declaration or its braces do not balance. */
    static Optional<List<Piece>> split(List<? extends Token> tokens, int length) {
        List<Integer> starts = new ArrayList<>();
        int depth = 0;
        boolean lineStart = true;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.getChannel() != Token.DEFAULT_CHANNEL) continue; // comments: the parser does not see them
            int type = t.getType();
            if (depth == 0 && lineStart && declares(type)) starts.add(i);
            if (type == DlxLexer.LBRACE) depth++;
            if (type == DlxLexer.RBRACE && --depth < 0) return Optional.empty();
            lineStart = type == DlxLexer.NL || type == DlxLexer.SEMI;
        }
        if (depth != 0 || starts.isEmpty()) return Optional.empty();
        List<Piece> pieces = new ArrayList<>();
        for (int k = 0; k < starts.size(); k++) {
            int from = k == 0 ? 0 : starts.get(k);
            int to = k + 1 < starts.size() ? starts.get(k + 1) : tokens.size();
            int start = k == 0 ? 0 : tokens.get(from).getStartIndex();
            int end = k + 1 < starts.size() ? tokens.get(to).getStartIndex() : length;
            pieces.add(new Piece(from, to, start, end));
        }
        return Optional.of(pieces);
    }

    private static boolean declares(int type) {
        return switch (type) {
            case DlxLexer.MODEL, DlxLexer.BLOCK, DlxLexer.DATASET, DlxLexer.TRAIN, DlxLexer.EVALUATE, DlxLexer.SEARCH,
                 DlxLexer.IMPORT -> true;
            default -> false;
        };
    }
}
