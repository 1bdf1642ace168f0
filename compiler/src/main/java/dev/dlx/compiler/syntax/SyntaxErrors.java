package dev.dlx.compiler.syntax;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.diag.Work;
import dev.dlx.grammar.DlxLexer;
import dev.dlx.grammar.DlxParser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.RuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * ANTLR's recovery with our words: "expected a layer, found `)`" instead of "no viable
 * alternative at input". One error per line at most, so one slip does not cascade.
 */
final class SyntaxErrors extends DefaultErrorStrategy {
    private final SourceFile file;
    private final Diagnostics sink;
    private final Set<Integer> linesReported = new HashSet<>();
    private int count;

    private final boolean endAlreadyExplained;
    private final Work work;

    /**
     * {@code endAlreadyExplained}: an unclosed `{` was reported, so "found end of file" adds nothing;
     * {@code linesExplained}: lines that already have an error from the token checks.
     */
    SyntaxErrors(SourceFile file, Diagnostics sink, boolean endAlreadyExplained, Set<Integer> linesExplained, Work work) {
        this.file = file;
        this.sink = sink;
        this.endAlreadyExplained = endAlreadyExplained;
        this.linesReported.addAll(linesExplained);
        this.work = work;
    }

    /** Counts the frames the recovery set is computed from: the rule stack, as deep as the nesting. */
    @Override
    protected IntervalSet getErrorRecoverySet(Parser recognizer) {
        long frames = 0;
        for (RuleContext c = recognizer.getContext(); c != null; c = c.parent) frames++;
        work.recovery(frames);
        return super.getErrorRecoverySet(recognizer);
    }

    int count() { return count; }

    @Override
    protected void reportNoViableAlternative(Parser parser, NoViableAltException e) {
        report(e.getOffendingToken(), expectedHere(parser, parser.getContext(), e.getExpectedTokens()));
    }

    @Override
    protected void reportInputMismatch(Parser parser, InputMismatchException e) {
        report(e.getOffendingToken(), expectedHere(parser, parser.getContext(), e.getExpectedTokens()));
    }

    @Override
    protected void reportFailedPredicate(Parser parser, org.antlr.v4.runtime.FailedPredicateException e) {
        report(e.getOffendingToken(), "valid input");
    }

    @Override
    protected void reportUnwantedToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) return;
        beginErrorCondition(parser);
        report(parser.getCurrentToken(), expectedHere(parser, parser.getContext(), getExpectedTokens(parser)));
    }

    @Override
    protected void reportMissingToken(Parser parser) {
        if (inErrorRecoveryMode(parser)) return;
        beginErrorCondition(parser);
        report(parser.getCurrentToken(), expectedHere(parser, parser.getContext(), getExpectedTokens(parser)));
    }

    @Override
    public void reportError(Parser recognizer, RecognitionException e) {
        if (inErrorRecoveryMode(recognizer)) return;
        beginErrorCondition(recognizer);
        if (e instanceof NoViableAltException n) reportNoViableAlternative(recognizer, n);
        else if (e instanceof InputMismatchException m) reportInputMismatch(recognizer, m);
        else report(e.getOffendingToken(), "valid input");
    }

    private void report(Token token, String expected) {
        if (token.getType() == Token.EOF && endAlreadyExplained) {
            count++;
            return;
        }
        Span span = spanOf(token);
        int line = span.line();
        count++; // counted even when not shown: the tree has a hole here either way
        if (!linesReported.add(line)) return;
        int type = token.getType();
        if (type == DlxLexer.UNKNOWN_CHAR) {
            sink.report(Diagnostic.error(Code.UNKNOWN_CHARACTER, span,
                    "unexpected character `" + token.getText() + "`")
                .label("not part of dlx")
                .help("comments start with `//`; remove or quote this character"));
            return;
        }
        if (type == DlxLexer.UNTERMINATED_STRING) {
            sink.report(Diagnostic.error(Code.UNTERMINATED_STRING, span, "string is not closed on this line")
                .label("starts here")
                .help("add a closing `\"`"));
            return;
        }
        sink.report(Diagnostic.error(Code.SYNTAX, span, "expected " + expected + ", found " + describe(token))
            .label("unexpected " + describe(token)));
    }

    Span spanOf(Token token) {
        if (token.getType() == Token.EOF) {
            int end = file.text().length();
            return Span.of(file, end, end);
        }
        int start = token.getStartIndex();
        int stop = token.getStopIndex() + 1;
        if (token.getType() == DlxLexer.NL) stop = start; // point at the end of the line
        return Span.of(file, start, Math.max(start, stop));
    }

    static String describe(Token token) {
        return switch (token.getType()) {
            case Token.EOF -> "end of file";
            case DlxLexer.NL -> "end of line";
            case DlxLexer.NUMBER, DlxLexer.SIZE -> "number `" + token.getText() + "`";
            case DlxLexer.STRING -> "string " + token.getText();
            case DlxLexer.IDENT -> "`" + token.getText() + "`";
            case DlxLexer.CALL -> "`" + token.getText() + "`";
            default -> "`" + token.getText() + "`";
        };
    }

    /** Says what fits here: a few tokens by name, or, when many would, what the rule is about. */
    private static String expectedHere(Parser parser, ParserRuleContext ctx, IntervalSet expected) {
        List<String> words = new ArrayList<>();
        if (expected != null) {
            for (int t : expected.toList()) {
                String w = tokenWord(t);
                if (w != null && !words.contains(w)) words.add(w);
            }
        }
        if (!words.isEmpty() && words.size() <= 3) return joinOr(words);
        String byRule = ruleWord(ctx);
        if (byRule != null) return byRule;
        return words.isEmpty() ? "something else" : joinOr(words.subList(0, Math.min(4, words.size())));
    }

    private static String ruleWord(ParserRuleContext ctx) {
        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
            switch (c.getRuleIndex()) {
                case DlxParser.RULE_program, DlxParser.RULE_decl:
                    return "a declaration (`model`, `block`, `dataset`, `train`, `evaluate` or `import`)";
                case DlxParser.RULE_element, DlxParser.RULE_chain:
                    return "a layer";
                case DlxParser.RULE_stmt, DlxParser.RULE_graphBody:
                    return "a layer, `let` or `return`";
                case DlxParser.RULE_shape, DlxParser.RULE_dim:
                    return "a dimension";
                case DlxParser.RULE_expr, DlxParser.RULE_value, DlxParser.RULE_arg, DlxParser.RULE_callArg,
                     DlxParser.RULE_callArgs:
                    return "a value";
                case DlxParser.RULE_directive, DlxParser.RULE_directiveBlock, DlxParser.RULE_directiveArg:
                    return "a statement";
                case DlxParser.RULE_inputDecl:
                    return "an input such as `input [28, 28, 1]`";
                default:
            }
        }
        return null;
    }

    private static String tokenWord(int type) {
        return switch (type) {
            case Token.EOF -> "end of file";
            case DlxLexer.NL -> "end of line";
            case DlxLexer.IDENT -> "a name";
            case DlxLexer.CALL -> "a call such as `name(`";
            case DlxLexer.NUMBER -> "a number";
            case DlxLexer.SIZE -> null;
            case DlxLexer.STRING -> "a string";
            case DlxLexer.SEMI, DlxLexer.UNKNOWN_CHAR, DlxLexer.UNTERMINATED_STRING -> null;
            default -> {
                String literal = DlxLexer.VOCABULARY.getLiteralName(type);
                yield literal == null ? null : "`" + literal.substring(1, literal.length() - 1) + "`";
            }
        };
    }

    private static String joinOr(List<String> words) {
        if (words.size() == 1) return words.get(0);
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }
}
