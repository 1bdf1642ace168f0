package dev.dlx.compiler.format;

import dev.dlx.compiler.LargeStack;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.syntax.Parser;
import dev.dlx.compiler.syntax.Tokens;
import dev.dlx.grammar.DlxLexer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.Token;

/**
 * The canonical layout of a `.dlx` file, from its tokens (comments included: the lexer keeps them
 * on the hidden channel): 4 spaces per open brace or bracket, one space around `->` and `=` and
 * after commas, none inside brackets, no trailing whitespace, at most one blank line in a row and
 * exactly one between declarations (consecutive imports may stay together), one final newline.
 *
 * <p>Only whitespace between tokens changes, never a token, and where whitespace decides how text
 * is read (`conv (f)` is a layer with an argument, `conv(f)` a call) the original choice is kept.
 * Trailing comments keep their column when the code still fits before it, so aligned comments stay
 * aligned. The result is re-lexed and compared with the input token for token; a difference would
 * be a formatter bug and leaves the text as it was. Text with syntax errors is not formatted.
 * Formatting is idempotent: the output of {@link #format} formats to itself.
 */
public final class Formatter {
    private static final String INDENT = "    ";

    private static final Set<Integer> DECL_KEYWORDS = Set.of(DlxLexer.IMPORT, DlxLexer.DATASET, DlxLexer.BLOCK,
        DlxLexer.MODEL, DlxLexer.TRAIN, DlxLexer.EVALUATE, DlxLexer.SEARCH);

    /** Syntax and lexical errors (`DLX01xx`): such text is not formatted. */
    private static boolean isSyntaxError(Diagnostic d) { return d.isError() && d.code().id().startsWith("DLX01"); }

    private Formatter() {}

    /**
     * The outcome: the formatted text, or the input unchanged with the reasons it could not be
     * formatted (syntax errors, as the checker reports them).
     */
    public record Result(String text, boolean changed, List<Diagnostic> problems) {
        public boolean ok() { return problems.isEmpty(); }
    }

    /** Formats text that did not come from a file. */
    public static Result format(String text) {
        return format(SourceFile.of("<input>", text));
    }

    /**
     * Formats a file's text. Parsing deeply nested text recurses deeply: it runs on a thread with
     * room for it, and text nested beyond even that is left as it is, with one error saying why.
     */
    public static Result format(SourceFile file) {
        return LargeStack.call("dlx-format", () -> formatHere(file), () -> tooDeep(file));
    }

    private static Result tooDeep(SourceFile file) {
        Diagnostic deep = Diagnostic.error(Code.SYNTAX, Span.of(file, 0, 0), "the file is nested too deeply to format")
            .label("left as it was")
            .help("split long or deeply parenthesized expressions and block nestings")
            .build();
        return new Result(file.text(), false, List.of(deep));
    }

    private static Result formatHere(SourceFile file) {
        String text = file.text();
        Diagnostics sink = new Diagnostics();
        Parser.parse(file, sink);
        List<Diagnostic> syntax = sink.sorted().stream().filter(Formatter::isSyntaxError).toList();
        if (!syntax.isEmpty()) return new Result(text, false, syntax);
        String formatted = new Layout(tokens(text), text).render();
        if (!signature(formatted).equals(signature(text))) {
            Diagnostic bug = Diagnostic.error(Code.SYNTAX, Span.of(file, 0, 0), "the formatter would change the meaning of this file")
                .label("left as it was")
                .note("this is a bug in `dlxc fmt`; please report it with the file")
                .build();
            return new Result(text, false, List.of(bug));
        }
        return new Result(formatted, !formatted.equals(text), List.of());
    }

    /** Every token, comments and newlines included (whitespace is skipped by the lexer). */
    static List<Token> tokens(String text) {
        return Tokens.lex(text);
    }

    /**
     * What formatting must keep: the tokens in order, with runs of newlines counted as one and
     * comments compared without trailing whitespace or line-ending style.
     */
    static List<String> signature(String text) {
        List<String> sig = new ArrayList<>();
        for (Token t : tokens(text)) {
            if (t.getType() == DlxLexer.NL) {
                if (sig.isEmpty() || !sig.get(sig.size() - 1).equals("NL")) sig.add("NL");
            } else if (isComment(t)) {
                sig.add("C " + normalizeComment(t.getText(), "\n"));
            } else {
                sig.add(t.getType() + " " + t.getText());
            }
        }
        if (!sig.isEmpty() && sig.get(0).equals("NL")) sig.remove(0);
        if (!sig.isEmpty() && sig.get(sig.size() - 1).equals("NL")) sig.remove(sig.size() - 1);
        return sig;
    }

    static boolean isComment(Token t) {
        return t.getType() == DlxLexer.LINE_COMMENT || t.getType() == DlxLexer.BLOCK_COMMENT;
    }

    /** A comment's lines without trailing whitespace, joined with {@code eol}. */
    static String normalizeComment(String text, String eol) {
        String[] lines = text.split("\r?\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) out.append(eol);
            out.append(lines[i].stripTrailing());
        }
        return out.toString();
    }

    /** One source line of tokens, with what the layout needs to know about it. */
    private static final class Line {
        final List<Token> tokens = new ArrayList<>();
        int blankBefore;
        int indent;
        boolean declStart;
        int declKeyword;
        boolean depthZero;
        String rendered;

        Token firstCode() {
            for (Token t : tokens) if (!isComment(t)) return t;
            return null;
        }

        Token lastCode() {
            for (int i = tokens.size() - 1; i >= 0; i--) if (!isComment(tokens.get(i))) return tokens.get(i);
            return null;
        }

        boolean commentOnly() { return firstCode() == null; }
    }

    private static final class Layout {
        private final List<Line> lines = new ArrayList<>();
        private final String original;
        private final String eol;

        Layout(List<Token> tokens, String original) {
            this.original = original;
            int firstBreak = original.indexOf('\n');
            this.eol = firstBreak > 0 && original.charAt(firstBreak - 1) == '\r' ? "\r\n" : "\n";
            Line current = new Line();
            int newlines = 0;
            for (Token t : tokens) {
                if (t.getType() == DlxLexer.NL) {
                    if (!current.tokens.isEmpty()) {
                        lines.add(current);
                        current = new Line();
                        newlines = 0;
                    }
                    newlines++;
                    continue;
                }
                if (current.tokens.isEmpty()) current.blankBefore = lines.isEmpty() ? 0 : Math.max(0, newlines - 1);
                current.tokens.add(t);
            }
            if (!current.tokens.isEmpty()) lines.add(current);
        }

        String render() {
            measureDepths();
            for (Line line : lines) line.rendered = renderLine(line);
            placeBlankLines();
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                if (i > 0) out.append(eol.repeat(1 + line.blankBefore));
                out.append(line.rendered);
            }
            if (!lines.isEmpty()) out.append(eol);
            return out.toString();
        }

        /** Indentation: open braces plus open brackets, plus one for a chain continued after `->`. */
        private void measureDepths() {
            int braces = 0;
            int brackets = 0;
            Line previousCode = null;
            for (Line line : lines) {
                Token first = line.firstCode();
                int b = braces;
                int p = brackets;
                boolean continued = false;
                if (first != null) {
                    if (first.getType() == DlxLexer.RBRACE) b--;
                    if (first.getType() == DlxLexer.RPAREN || first.getType() == DlxLexer.RBRACK) p--;
                    continued = first.getType() == DlxLexer.ARROW
                        || (previousCode != null && previousCode.lastCode().getType() == DlxLexer.ARROW);
                }
                line.indent = Math.max(0, b) + Math.max(0, p) + (continued ? 1 : 0);
                line.depthZero = braces == 0 && brackets == 0 && !continued;
                if (first != null && line.depthZero && DECL_KEYWORDS.contains(first.getType())) {
                    line.declStart = true;
                    line.declKeyword = first.getType();
                }
                for (Token t : line.tokens) {
                    switch (t.getType()) {
                        case DlxLexer.LBRACE: braces++; break;
                        case DlxLexer.RBRACE: braces--; break;
                        case DlxLexer.LPAREN: case DlxLexer.CALL: case DlxLexer.LBRACK: brackets++; break;
                        case DlxLexer.RPAREN: case DlxLexer.RBRACK: brackets--; break;
                        default: break;
                    }
                }
                if (first != null) previousCode = line;
            }
        }

        private String renderLine(Line line) {
            StringBuilder out = new StringBuilder(INDENT.repeat(line.indent));
            Token previous = null;
            for (Token t : line.tokens) {
                if (previous != null) {
                    if (t.getType() == DlxLexer.LINE_COMMENT) {
                        int column = originalColumn(t);
                        int width = out.length();
                        out.append(" ".repeat(column > width ? column - width : 1));
                    } else if (space(previous, t)) {
                        out.append(' ');
                    }
                }
                out.append(isComment(t) ? normalizeComment(t.getText(), eol) : t.getText());
                previous = t;
            }
            return out.toString();
        }

        /** Characters from the start of the token's line to the token in the input. */
        private int originalColumn(Token t) {
            int start = t.getStartIndex();
            int lineStart = original.lastIndexOf('\n', start - 1) + 1;
            return start - lineStart;
        }

        /** Blank lines: at most one in a row, none after `{` or before `}`, one before each declaration. */
        private void placeBlankLines() {
            int previousDecl = -1;
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                line.blankBefore = Math.min(1, line.blankBefore);
                if (i > 0) {
                    Token last = lines.get(i - 1).lastCode();
                    Token first = line.firstCode();
                    if (last != null && last.getType() == DlxLexer.LBRACE) line.blankBefore = 0;
                    if (first != null && first.getType() == DlxLexer.RBRACE) line.blankBefore = 0;
                }
            }
            for (int i = 0; i < lines.size(); i++) {
                Line line = lines.get(i);
                if (!line.declStart) continue;
                if (previousDecl >= 0) {
                    boolean imports = line.declKeyword == DlxLexer.IMPORT
                        && lines.get(previousDecl).declKeyword == DlxLexer.IMPORT;
                    // Comments right above a declaration belong to it: the blank line goes above them.
                    int start = i;
                    while (start - 1 > previousDecl && lines.get(start).blankBefore == 0
                            && lines.get(start - 1).commentOnly() && lines.get(start - 1).depthZero) {
                        start--;
                    }
                    if (!imports) lines.get(start).blankBefore = 1;
                }
                previousDecl = i;
            }
        }
    }

    /** Whether one space separates two tokens on a line. */
    static boolean space(Token a, Token b) {
        boolean gap = b.getStartIndex() > a.getStopIndex() + 1;
        int x = a.getType();
        int y = b.getType();
        if (isComment(a) || isComment(b)) return gap;
        if (y == DlxLexer.COMMA || y == DlxLexer.SEMI) return false;
        if (x == DlxLexer.COMMA || x == DlxLexer.SEMI) return true;
        if (x == DlxLexer.ARROW || y == DlxLexer.ARROW || x == DlxLexer.EQ || y == DlxLexer.EQ) return true;
        if (x == DlxLexer.CALL || x == DlxLexer.LPAREN || x == DlxLexer.LBRACK) return false;
        if (y == DlxLexer.RPAREN || y == DlxLexer.RBRACK) return false;
        if (x == DlxLexer.LBRACE || y == DlxLexer.LBRACE || x == DlxLexer.RBRACE || y == DlxLexer.RBRACE) return true;
        if (x == DlxLexer.DOT || x == DlxLexer.DOTDOT || y == DlxLexer.DOT || y == DlxLexer.DOTDOT) return false;
        // `image [8, 8, 1]`, and a word before `(` must stay apart or it would become a call.
        if ((y == DlxLexer.LBRACK || y == DlxLexer.LPAREN) && wordLike(x)) return true;
        return gap;
    }

    private static boolean wordLike(int type) {
        return type == DlxLexer.IDENT || type == DlxLexer.NUMBER || type == DlxLexer.SIZE || type == DlxLexer.STRING
            || type == DlxLexer.QUESTION || (type >= DlxLexer.IMPORT && type <= DlxLexer.RETURN)
            || (type == DlxLexer.RBRACK);
    }
}
