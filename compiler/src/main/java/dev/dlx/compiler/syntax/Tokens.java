package dev.dlx.compiler.syntax;

import dev.dlx.grammar.DlxLexer;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;

/**
 * The tokens of a text, comments and newlines included, with offsets in the unit every span of the
 * compiler uses: UTF-16 units of the Java string (what {@code String.length()} and
 * {@code substring} count, and what the Language Server Protocol counts by default). ANTLR's
 * character streams count code points instead; the two differ after any character outside the
 * Basic Multilingual Plane (an emoji), and this is the one place that converts.
 */
public final class Tokens {
    private Tokens() {}

    /** Every token the lexer makes of {@code text} (none is dropped; whitespace is skipped by the grammar). */
    public static List<Token> lex(String text) {
        DlxLexer lexer = new DlxLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners(); // every character becomes a token; the bad ones are reported by the parser
        List<Token> tokens = new ArrayList<>(lexer.getAllTokens());
        if (text.codePointCount(0, text.length()) == text.length()) return tokens; // the two units agree
        int[] charOf = charIndexOfCodePoint(text);
        List<Token> out = new ArrayList<>(tokens.size());
        for (Token t : tokens) {
            CommonToken c = new CommonToken(t);
            c.setText(t.getText()); // read from the stream while the indices still count code points
            c.setStartIndex(charOf[Math.min(t.getStartIndex(), charOf.length - 1)]);
            c.setStopIndex(charOf[Math.min(t.getStopIndex() + 1, charOf.length - 1)] - 1);
            out.add(c);
        }
        return out;
    }

    /** For each code point index (and the end), its UTF-16 index. */
    private static int[] charIndexOfCodePoint(String text) {
        int[] out = new int[text.codePointCount(0, text.length()) + 1];
        int c = 0;
        for (int cp = 0; cp < out.length - 1; cp++) {
            out[cp] = c;
            c += Character.charCount(text.codePointAt(c));
        }
        out[out.length - 1] = text.length();
        return out;
    }
}
