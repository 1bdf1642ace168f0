package dev.dlx.compiler.syntax;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Span;
import dev.dlx.grammar.DlxLexer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;

/**
 * Bounds how deeply the parser must recurse, before it sees a token. Parentheses, brackets,
 * calls, braces and runs of unary minus each nest one level; deeper than {@link #MAX_DEPTH} is
 * reported where it happens and the tokens beyond that depth are left out (the parser sees one
 * token that fits nowhere in their place, so the statement is skipped). Without the bound,
 * ANTLR's error recovery walks the whole rule stack at every level it unwinds, which is
 * quadratic in the depth (20,000 unclosed `(` took seconds); with it, parsing stays linear in
 * the input.
 *
 * <p>A `{` or `}` closes, for this count, every parenthesis and bracket still open inside its
 * body, since neither can span a brace: after an unclosed `(` the depth starts afresh at the next
 * brace, and the `}` that ends the body is kept.
 */
final class Nesting {
    /** Deeper than anything written by hand; deep enough for generated code. */
    static final int MAX_DEPTH = 100;

    /** What a level was opened by: a brace, or a parenthesis, bracket or call. */
    private enum Opener { BRACE, BRACKET }

    /** The tokens to parse, the lines where too deep a nesting was reported, and where (offsets in the text). */
    record Result(List<Token> tokens, Set<Integer> lines, NavigableSet<Integer> offsets) {}

    private Nesting() {}

    static Result limit(SourceFile file, List<? extends Token> tokens, Diagnostics sink) {
        List<Token> kept = new ArrayList<>(tokens.size());
        Set<Integer> lines = new HashSet<>();
        NavigableSet<Integer> offsets = new TreeSet<>();
        Deque<Opener> open = new ArrayDeque<>();
        int minusRun = 0;
        boolean reporting = true; // one diagnostic per region that is too deep
        for (Token t : tokens) {
            int type = t.getType();
            minusRun = type == DlxLexer.MINUS ? minusRun + 1 : 0;
            int depth; // the depth this token sits at
            switch (type) {
                case DlxLexer.LPAREN, DlxLexer.LBRACK, DlxLexer.CALL -> {
                    open.push(Opener.BRACKET);
                    depth = open.size();
                }
                case DlxLexer.RPAREN, DlxLexer.RBRACK -> {
                    depth = open.size();
                    if (open.peek() == Opener.BRACKET) open.pop();
                }
                case DlxLexer.LBRACE -> {
                    closeBrackets(open);
                    open.push(Opener.BRACE);
                    depth = open.size();
                }
                case DlxLexer.RBRACE -> {
                    closeBrackets(open);
                    depth = open.size();
                    if (!open.isEmpty()) open.pop();
                }
                default -> depth = open.size() + minusRun;
            }
            if (depth <= MAX_DEPTH) {
                kept.add(t);
                if (open.size() <= MAX_DEPTH && minusRun == 0) reporting = true;
                continue;
            }
            if (reporting) {
                reporting = false;
                // The parser meets a token that fits nowhere, so the statement counts as cut short and is skipped.
                CommonToken marker = new CommonToken(t);
                marker.setType(DlxLexer.UNKNOWN_CHAR);
                kept.add(marker);
                Span at = Span.of(file, t.getStartIndex(), t.getStopIndex() + 1);
                lines.add(at.line());
                offsets.add(t.getStartIndex());
                sink.report(Diagnostic.error(Code.TOO_DEEP, at, "nesting deeper than " + MAX_DEPTH + " levels")
                    .label("level " + (MAX_DEPTH + 1))
                    .help("split the expression; parentheses, brackets, calls, braces and `-` signs each nest one level"));
            }
        }
        return new Result(kept, lines, offsets);
    }

    private static void closeBrackets(Deque<Opener> open) {
        while (open.peek() == Opener.BRACKET) open.pop();
    }
}
