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
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Text to AST. Syntax errors become diagnostics; the parser recovers and keeps going. */
public final class Parser {
    private final SourceFile file;
    private final Diagnostics sink;
    private SyntaxErrors errors;
    private Span unclosedBrace;
    /** Where nesting went too deep (reported): statements that contain such a place are skipped. */
    private java.util.NavigableSet<Integer> tooDeep = new java.util.TreeSet<>();
    /** Start offsets of strings that were cut by the end of their line (reported; not used as paths). */
    private final java.util.Set<Integer> cutStrings = new java.util.HashSet<>();

    private Parser(SourceFile file, Diagnostics sink) {
        this.file = file;
        this.sink = sink;
    }

    public static Program parse(SourceFile file, Diagnostics sink) {
        return parse(file, sink, new Work());
    }

    /** Parses, counting into {@code work} the tokens and the steps of error recovery. */
    public static Program parse(SourceFile file, Diagnostics sink, Work work) {
        return parse(file, Tokens.lex(file.text()), sink, work);
    }

    /**
     * Parses {@code tokens}, the tokens of {@code file}'s text ({@link Tokens#lex}) or a run of them
     * that is a program by itself (some of its declarations: {@link ParseCache}).
     */
    static Program parse(SourceFile file, List<? extends Token> tokens, Diagnostics sink, Work work) {
        return new Parser(file, sink).run(tokens, work);
    }

    private Program run(List<? extends Token> lexed, Work work) {
        // Every character becomes a token; the bad ones are reported by lexicalChecks.
        Nesting.Result bounded = Nesting.limit(file, lexicalChecks(lexed), sink);
        List<Token> tokens = bounded.tokens();
        tooDeep = bounded.offsets();
        work.tokens(tokens.size());
        DlxParser parser = new DlxParser(new CommonTokenStream(new ListTokenSource(tokens)));
        parser.removeErrorListeners();
        parser.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> r, Object sym, int line, int col, String msg, RecognitionException e) {
                // reporting goes through SyntaxErrors; this listener only silences ANTLR's console output
            }
        });
        errors = new SyntaxErrors(file, sink, unclosedBrace != null, bounded.lines(), work);
        parser.setErrorHandler(errors);
        DlxParser.ProgramContext tree = parser.program();
        List<Decl> decls = new ArrayList<>();
        for (DlxParser.DeclContext d : tree.decl()) {
            try {
                Decl decl = decl(d);
                if (decl != null) decls.add(decl);
            } catch (RuntimeException incomplete) {
                // A declaration cut short by a syntax error (already reported) has holes; it is skipped.
                if (errors.count() == 0) throw incomplete;
            }
        }
        return new Program(file, List.copyOf(decls));
    }

    /**
     * Reports what is wrong at the level of characters (a stray character, a `#` comment, an
     * unterminated string, an unclosed `{`) and hands the parser a stream without it, so that
     * each such slip gives one diagnostic and not a cascade.
     */
    private List<Token> lexicalChecks(List<? extends Token> tokens) {
        List<Token> kept = new ArrayList<>();
        java.util.Deque<Token> braces = new java.util.ArrayDeque<>();
        for (Token t : tokens) {
            Span at = Span.of(file, t.getStartIndex(), t.getStopIndex() + 1);
            switch (t.getType()) {
                case DlxLexer.UNKNOWN_CHAR -> {
                    sink.report(Diagnostic.error(Code.UNKNOWN_CHARACTER, at, "unexpected character `" + t.getText() + "`")
                        .label("not part of dlx")
                        .help("remove it; comments start with `//`"));
                    continue;
                }
                case DlxLexer.HASH_COMMENT -> {
                    sink.report(Diagnostic.error(Code.UNKNOWN_CHARACTER, Span.of(file, t.getStartIndex(), t.getStartIndex() + 1),
                            "`#` does not start a comment in dlx")
                        .label("not part of dlx")
                        .help("write `//` for a comment"));
                    continue;
                }
                case DlxLexer.UNTERMINATED_STRING -> {
                    sink.report(Diagnostic.error(Code.UNTERMINATED_STRING, at, "string is not closed on this line")
                        .label("starts here")
                        .help("add a closing `\"`"));
                    cutStrings.add(t.getStartIndex());
                    CommonToken fixed = new CommonToken(t);
                    fixed.setType(DlxLexer.STRING);
                    fixed.setText(t.getText() + "\"");
                    kept.add(fixed);
                    continue;
                }
                case DlxLexer.LBRACE -> braces.push(t);
                case DlxLexer.RBRACE -> { if (!braces.isEmpty()) braces.pop(); }
                default -> { }
            }
            kept.add(t);
        }
        if (!braces.isEmpty()) {
            Token open = braces.peekLast();
            unclosedBrace = Span.of(file, open.getStartIndex(), open.getStartIndex() + 1);
            sink.report(Diagnostic.error(Code.SYNTAX, unclosedBrace, "this `{` is never closed")
                .label("unclosed")
                .help("add `}` where the body ends"));
        }
        return kept;
    }

    // ---------------------------------------------------------------- declarations

    private Decl decl(DlxParser.DeclContext ctx) {
        if (ctx.exception != null && ctx.getChildCount() < 2) return null;
        if (ctx instanceof DlxParser.ImportDeclContext c) {
            if (!present(c.STRING()) || cutStrings.contains(c.STRING().getSymbol().getStartIndex())) return null;
            return new Decl.Import(unquote(c.STRING()), span(c.STRING()), span(c));
        }
        if (ctx instanceof DlxParser.DatasetDeclContext c) {
            return new Decl.Dataset(ident(c.IDENT()), directives(c.directiveBlock()), span(c));
        }
        if (ctx instanceof DlxParser.BlockDeclContext c) {
            return block(c);
        }
        if (ctx instanceof DlxParser.ModelDeclContext c) {
            List<Decl.Input> inputs = new ArrayList<>();
            for (DlxParser.InputDeclContext in : c.inputDecl()) {
                if (in.IDENT() == null || in.shape() == null) continue;
                inputs.add(new Decl.Input(ident(in.IDENT()), shape(in.shape())));
            }
            List<Expr.ShapeLit> outputs = new ArrayList<>();
            if (c.outputSpec() != null) for (DlxParser.ShapeContext s : c.outputSpec().shape()) outputs.add(shape(s));
            return new Decl.Model(callName(c.CALL()), inputs, outputs, body(c.graphBody()), span(c));
        }
        if (ctx instanceof DlxParser.TrainDeclContext c) {
            return new Decl.Train(ident(c.IDENT(0)), ident(c.IDENT(1)), directives(c.directiveBlock()), span(c));
        }
        if (ctx instanceof DlxParser.EvaluateDeclContext c) {
            List<Directive> body = c.directiveBlock() == null ? List.of() : directives(c.directiveBlock());
            return new Decl.Evaluate(ident(c.IDENT()), name(c.dottedName()), body, span(c));
        }
        if (ctx instanceof DlxParser.SearchDeclContext c) {
            return new Decl.Search(directives(c.directiveBlock()), span(c));
        }
        return null;
    }

    private Decl.Block block(DlxParser.BlockDeclContext c) {
        List<Decl.Param> params = new ArrayList<>();
        List<Ident> inputs = new ArrayList<>();
        Ident name;
        if (c.blockHead() instanceof DlxParser.ParamBlockHeadContext h) {
            name = callName(h.CALL());
            for (DlxParser.ParamContext p : h.param()) {
                params.add(new Decl.Param(ident(p.IDENT()), p.expr() == null ? null : expr(p.expr())));
            }
            for (TerminalNode t : h.IDENT()) inputs.add(ident(t));
        } else {
            name = ident(((DlxParser.BareBlockHeadContext) c.blockHead()).IDENT());
        }
        return new Decl.Block(name, params, inputs, body(c.graphBody()), span(c));
    }

    // ---------------------------------------------------------------- graph bodies

    private List<Stmt> body(DlxParser.GraphBodyContext ctx) {
        List<Stmt> out = new ArrayList<>();
        if (ctx == null) return out;
        for (DlxParser.StmtContext s : ctx.stmt()) {
            if (s.exception != null && s.getChildCount() == 0 || cutByNesting(s)) continue;
            try {
                Stmt stmt = stmt(s);
                if (stmt != null) out.add(stmt);
            } catch (RuntimeException incomplete) {
                if (errors.count() == 0) throw incomplete; // a statement cut short by a reported syntax error is skipped
            }
        }
        return out;
    }

    /** Whether the text of {@code ctx} holds a place where nesting went too deep (its rest is not in the tree). */
    private boolean cutByNesting(ParserRuleContext ctx) {
        if (tooDeep.isEmpty() || ctx.start == null) return false;
        Integer at = tooDeep.ceiling(ctx.start.getStartIndex());
        Token stop = ctx.stop == null || ctx.stop.getTokenIndex() < ctx.start.getTokenIndex() ? ctx.start : ctx.stop;
        return at != null && at <= stop.getStopIndex() + 1;
    }

    private Stmt stmt(DlxParser.StmtContext s) {
        {
            if (s instanceof DlxParser.LetStmtContext c) {
                List<Ident> names = c.IDENT().stream().map(this::ident).toList();
                return new Stmt.Let(names, chain(c.chain()), span(c));
            } else if (s instanceof DlxParser.ReturnStmtContext c) {
                return new Stmt.Return(c.chain().stream().map(this::chain).toList(), span(c));
            } else if (s instanceof DlxParser.ChainStmtContext c) {
                List<Element> chain = chain(c.chain());
                return chain.isEmpty() ? null : new Stmt.Chain(chain, span(c));
            }
            return null;
        }
    }

    private List<Element> chain(DlxParser.ChainContext ctx) {
        List<Element> out = new ArrayList<>();
        if (ctx == null) return out;
        for (DlxParser.ElementContext e : ctx.element()) {
            Element el = element(e);
            if (el != null) out.add(el);
        }
        return out;
    }

    private Element element(DlxParser.ElementContext ctx) {
        if (ctx instanceof DlxParser.LayerElementContext c) {
            if (c.IDENT() == null) return null;
            List<Element.Arg> args = new ArrayList<>();
            for (DlxParser.ArgContext a : c.arg()) args.add(new Element.Arg(null, arg(a.value(0), a.value().size() > 1 ? a.value(1) : null)));
            return new Element(ident(c.IDENT()), args, List.of(), false, repeat(c.repeat()), span(c));
        }
        DlxParser.CallElementContext c = (DlxParser.CallElementContext) ctx;
        List<Element.Arg> args = new ArrayList<>();
        List<Expr> tensors = new ArrayList<>();
        List<DlxParser.CallArgsContext> lists = c.callArgs();
        // The first parenthesis follows the CALL token; a second one (tensor inputs) has its own LPAREN.
        boolean hasSecond = c.LPAREN() != null;
        DlxParser.CallArgsContext first = null;
        DlxParser.CallArgsContext second = null;
        if (hasSecond) {
            for (DlxParser.CallArgsContext l : lists) {
                if (l.getStart().getTokenIndex() > c.LPAREN().getSymbol().getTokenIndex()) second = l;
                else first = l;
            }
        } else if (!lists.isEmpty()) {
            first = lists.get(0);
        }
        if (first != null) for (DlxParser.CallArgContext a : first.callArg()) args.add(callArg(a));
        if (second != null) for (DlxParser.CallArgContext a : second.callArg()) tensors.add(callArg(a).value());
        return new Element(callName(c.CALL()), args, tensors, true, repeat(c.repeat()), span(c));
    }

    private Expr repeat(DlxParser.RepeatContext r) {
        if (r == null) return null;
        if (r.NUMBER() != null) return number(r.NUMBER());
        if (r.expr() != null) return expr(r.expr());
        return new Expr.Name(List.of(ident(r.IDENT())), span(r.IDENT()));
    }

    private Element.Arg callArg(DlxParser.CallArgContext a) {
        Ident name = a.IDENT() == null ? null : ident(a.IDENT());
        Expr value = expr(a.expr(0));
        if (a.expr().size() > 1) {
            Expr high = expr(a.expr(1));
            value = new Expr.Range(value, high, value.span().to(high.span()));
        }
        return new Element.Arg(name, value);
    }

    // ---------------------------------------------------------------- directives

    private List<Directive> directives(DlxParser.DirectiveBlockContext ctx) {
        List<Directive> out = new ArrayList<>();
        if (ctx == null) return out;
        for (DlxParser.DirectiveContext d : ctx.directive()) {
            if (d.word() == null || cutByNesting(d)) continue;
            try {
                out.add(directive(d));
            } catch (RuntimeException incomplete) {
                if (errors.count() == 0) throw incomplete; // cut short by a reported syntax error: skipped
            }
        }
        return out;
    }

    private Directive directive(DlxParser.DirectiveContext d) {
        {
            List<Expr> args = new ArrayList<>();
            for (DlxParser.DirectiveArgContext a : d.directiveArg()) {
                if (a instanceof DlxParser.KeywordArgContext k) {
                    Ident id = new Ident(k.getText(), span(k));
                    args.add(new Expr.Name(List.of(id), id.span()));
                } else if (a instanceof DlxParser.ValueArgContext v) {
                    args.add(arg(v.value(0), v.value().size() > 1 ? v.value(1) : null));
                } else if (a instanceof DlxParser.ExprArgContext x) {
                    args.add(expr(x.expr()));
                } else if (a instanceof DlxParser.BindingArgContext b) {
                    args.add(new Expr.Binding(ident(b.IDENT()), expr(b.expr()), span(b)));
                }
            }
            boolean hasBlock = d.directiveBlock() != null;
            List<Directive> nested = hasBlock ? directives(d.directiveBlock()) : List.of();
            return new Directive(new Ident(d.word().getText(), span(d.word())), args, nested, hasBlock, span(d));
        }
    }

    // ---------------------------------------------------------------- values and expressions

    private Expr arg(DlxParser.ValueContext low, DlxParser.ValueContext high) {
        Expr lo = value(low);
        if (high == null) return lo;
        Expr hi = value(high);
        return new Expr.Range(lo, hi, lo.span().to(hi.span()));
    }

    private Expr value(DlxParser.ValueContext ctx) {
        if (ctx instanceof DlxParser.NumberValueContext c) {
            Expr.Num n = number(c.NUMBER());
            return c.MINUS() == null ? n : new Expr.Neg(n, span(c));
        }
        if (ctx instanceof DlxParser.RatioValueContext c) {
            return new Expr.Ratio(number(c.NUMBER(0)), number(c.NUMBER(1)), span(c));
        }
        if (ctx instanceof DlxParser.SizeValueContext c) return size(c.SIZE());
        if (ctx instanceof DlxParser.StringValueContext c) return new Expr.Str(unquote(c.STRING()), span(c));
        if (ctx instanceof DlxParser.NameValueContext c) return name(c.dottedName());
        if (ctx instanceof DlxParser.ShapeValueContext c) return shape(c.shape());
        if (ctx instanceof DlxParser.ParenValueContext c) return expr(c.expr());
        throw new IllegalStateException("value with no alternative at " + span(ctx));
    }

    private Expr expr(DlxParser.ExprContext ctx) {
        if (ctx instanceof DlxParser.NegExprContext c) return new Expr.Neg(expr(c.expr()), span(c));
        if (ctx instanceof DlxParser.MulExprContext c) {
            return new Expr.Binary(c.op.getText().charAt(0), expr(c.expr(0)), expr(c.expr(1)), span(c));
        }
        if (ctx instanceof DlxParser.AddExprContext c) {
            return new Expr.Binary(c.op.getText().charAt(0), expr(c.expr(0)), expr(c.expr(1)), span(c));
        }
        if (ctx instanceof DlxParser.NumberExprContext c) return number(c.NUMBER());
        if (ctx instanceof DlxParser.SizeExprContext c) return size(c.SIZE());
        if (ctx instanceof DlxParser.StringExprContext c) return new Expr.Str(unquote(c.STRING()), span(c));
        if (ctx instanceof DlxParser.NameExprContext c) return name(c.dottedName());
        if (ctx instanceof DlxParser.ShapeExprContext c) return shape(c.shape());
        if (ctx instanceof DlxParser.ParenExprContext c) return expr(c.expr());
        if (ctx instanceof DlxParser.CallExprContext c) {
            List<Element.Arg> args = new ArrayList<>();
            if (c.callArgs() != null) for (DlxParser.CallArgContext a : c.callArgs().callArg()) args.add(callArg(a));
            return new Expr.Call(callName(c.CALL()), args, span(c));
        }
        throw new IllegalStateException("expression with no alternative at " + span(ctx));
    }

    private Expr.ShapeLit shape(DlxParser.ShapeContext ctx) {
        List<Expr> dims = new ArrayList<>();
        for (DlxParser.DimContext d : ctx.dim()) {
            if (d instanceof DlxParser.UnknownDimContext) dims.add(null);
            else if (d instanceof DlxParser.ExprDimContext e && e.expr() != null) dims.add(expr(e.expr()));
        }
        return new Expr.ShapeLit(dims, span(ctx));
    }

    private Expr.Name name(DlxParser.DottedNameContext ctx) {
        return new Expr.Name(ctx.IDENT().stream().map(this::ident).toList(), span(ctx));
    }

    private Expr.Num number(TerminalNode node) {
        String text = node.getText();
        Expr.Unit unit = Expr.Unit.NONE;
        if (text.endsWith("%")) {
            unit = Expr.Unit.PERCENT;
            text = text.substring(0, text.length() - 1);
        } else if (text.endsWith("deg")) {
            unit = Expr.Unit.DEGREES;
            text = text.substring(0, text.length() - 3);
        }
        boolean integral = text.chars().allMatch(Character::isDigit);
        double value = Double.parseDouble(text);
        if (integral && value > Integer.MAX_VALUE) {
            sink.report(Diagnostic.error(Code.BAD_NUMBER, span(node), "integer `" + text + "` is too large")
                    .label("larger than 2147483647"));
            value = Double.NaN; // reported; evaluation treats it as already failed
        }
        if (Double.isInfinite(value)) {
            sink.report(Diagnostic.error(Code.BAD_NUMBER, span(node), "number `" + text + "` is too large")
                    .label("not a finite number"));
            value = 0;
        }
        return new Expr.Num(value, integral, unit, span(node));
    }

    private Expr.Size size(TerminalNode node) {
        List<Integer> sizes = new ArrayList<>();
        for (String part : node.getText().split("x")) {
            long v = part.length() > 10 ? Long.MAX_VALUE : Long.parseLong(part);
            if (v > Integer.MAX_VALUE) {
                sink.report(Diagnostic.error(Code.BAD_NUMBER, span(node), "size `" + node.getText() + "` is too large")
                        .label("a part is larger than 2147483647"));
                v = 1;
            }
            sizes.add((int) v);
        }
        return new Expr.Size(sizes, span(node));
    }

    // ---------------------------------------------------------------- tokens to spans

    /** False for tokens ANTLR's recovery made up (`<missing STRING>`), which have no place in the text. */
    private static boolean present(TerminalNode node) {
        return node != null && node.getSymbol().getTokenIndex() >= 0;
    }

    private Ident ident(TerminalNode node) {
        if (!present(node)) throw new IllegalStateException("missing name");
        return new Ident(node.getText(), span(node));
    }

    /** `convbn(` is one token; the name is all but the parenthesis. */
    private Ident callName(TerminalNode node) {
        if (node == null || node.getSymbol().getTokenIndex() < 0) throw new IllegalStateException("missing name");
        Token t = node.getSymbol();
        String text = t.getText();
        return new Ident(text.substring(0, text.length() - 1), Span.of(file, t.getStartIndex(), t.getStopIndex()));
    }

    private String unquote(TerminalNode node) {
        String t = node.getText();
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < t.length() - 1; i++) {
            char ch = t.charAt(i);
            if (ch == '\\' && i + 1 < t.length() - 1) {
                char next = t.charAt(++i);
                out.append(switch (next) { case 'n' -> '\n'; case 't' -> '\t'; default -> next; });
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private Span span(TerminalNode node) {
        if (!present(node)) throw new IllegalStateException("token made up by error recovery");
        Token t = node.getSymbol();
        return Span.of(file, t.getStartIndex(), t.getStopIndex() + 1);
    }

    private Span span(ParserRuleContext ctx) {
        Token start = ctx.getStart();
        Token stop = ctx.getStop();
        int s = start.getType() == Token.EOF ? file.text().length() : start.getStartIndex();
        int e = stop == null || stop.getStopIndex() < s ? s : stop.getStopIndex() + 1;
        return Span.of(file, s, Math.min(e, file.text().length()));
    }
}
