package dev.dlx.lsp.service;

import dev.dlx.compiler.catalog.Catalog;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.layers.Layers;
import dev.dlx.compiler.resolve.FileAccess;
import dev.dlx.compiler.resolve.SymbolTable;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.grammar.DlxLexer;
import dev.dlx.lsp.service.LanguageService.Completion;
import dev.dlx.lsp.service.LanguageService.CompletionKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.antlr.v4.runtime.Token;

/**
 * Completion from the text as it is being typed (which may not parse), with names from the last
 * analysis: what is valid at the cursor depends on the enclosing braces (top level, a model or
 * block body, a dataset, training or augmentation block) and on the words of the statement so far.
 */
final class Completions {
    private static final int MAX_FILES = 200;

    private Completions() {}

    /** What encloses the cursor: a declaration body or a statement's nested block. */
    private record Frame(int keyword, String word, String variant) {}

    static LanguageService.CompletionList complete(Analysis analysis, String text, int offset) {
        return complete(analysis, text, offset, FileAccess.ANY);
    }

    /** File names are listed only in a folder {@code access} allows. */
    static LanguageService.CompletionList complete(Analysis analysis, String text, int offset, FileAccess access) {
        List<Token> tokens = Analysis.lex(text);
        // The word the cursor is in or at the end of is replaced as a whole by the chosen item
        // (`den|sse` + `dense` gives `dense`); at the start of a word, the item goes in before it.
        int wordStart = offset;
        int wordEnd = offset;
        boolean callFollows = false;
        List<Token> before = new ArrayList<>();
        Token inside = null;
        for (Token t : tokens) {
            if (t.getStartIndex() >= offset) break;
            if (t.getStopIndex() + 1 >= offset && t.getStartIndex() < offset) {
                inside = t;
                break;
            }
            before.add(t);
        }
        if (inside != null) {
            int type = inside.getType();
            boolean atEnd = inside.getStopIndex() + 1 == offset;
            if (type == DlxLexer.LINE_COMMENT || type == DlxLexer.BLOCK_COMMENT) return LanguageService.CompletionList.EMPTY;
            if (type == DlxLexer.STRING || type == DlxLexer.UNTERMINATED_STRING) {
                if (type == DlxLexer.STRING && atEnd) return LanguageService.CompletionList.EMPTY;
                int contentEnd = type == DlxLexer.STRING ? inside.getStopIndex() : offset;
                return files(analysis, before, inside.getStartIndex() + 1, contentEnd, access);
            }
            if (type == DlxLexer.IDENT || (type >= DlxLexer.IMPORT && type <= DlxLexer.RETURN)) {
                wordStart = inside.getStartIndex();
                wordEnd = inside.getStopIndex() + 1;
            } else if (type == DlxLexer.CALL && atEnd) {
                before.add(inside);
            } else if (type == DlxLexer.CALL) {
                // In the name of a call (`con|vbn(32)`, `convbn|(32)`): the name is the word, the `(` stays.
                wordStart = inside.getStartIndex();
                wordEnd = inside.getStopIndex();
                callFollows = true;
            } else if (type == DlxLexer.NUMBER || type == DlxLexer.SIZE) {
                return LanguageService.CompletionList.EMPTY;
            } else {
                before.add(inside);
            }
        }
        Context ctx = new Context(before);
        List<Completion> items = new ArrayList<>();
        new Completions.Builder(analysis, ctx, items).build();
        List<Completion> unique = dedupe(items);
        return new LanguageService.CompletionList(callFollows ? unique.stream().map(Completions::nameOnly).toList() : unique,
            wordStart, wordEnd);
    }

    /** A call item (`convbn($1)`) where the parentheses are there already: the name alone. */
    private static Completion nameOnly(Completion c) {
        String call = c.label() + "($1)";
        if (!c.snippet() || !c.insertText().equals(call)) return c;
        return new Completion(c.label(), c.kind(), c.detail(), c.documentation(), c.label(), false);
    }

    private static List<Completion> dedupe(List<Completion> items) {
        Map<String, Completion> byLabel = new LinkedHashMap<>();
        for (Completion c : items) byLabel.putIfAbsent(c.label(), c);
        return List.copyOf(byLabel.values());
    }

    /** The enclosing frames and the current statement's code tokens before the cursor. */
    private static final class Context {
        final Deque<Frame> frames = new ArrayDeque<>();
        final List<Token> statement = new ArrayList<>();

        Context(List<Token> tokens) {
            int parens = 0;
            for (Token t : tokens) {
                int type = t.getType();
                if (type == DlxLexer.LINE_COMMENT || type == DlxLexer.BLOCK_COMMENT) continue;
                if (type == DlxLexer.NL) {
                    boolean continued = !statement.isEmpty() && statement.get(statement.size() - 1).getType() == DlxLexer.ARROW;
                    if (parens == 0 && !continued) statement.clear();
                    continue;
                }
                if (type == DlxLexer.SEMI) { statement.clear(); parens = 0; continue; }
                if (type == DlxLexer.LBRACE) {
                    frames.push(frameFor());
                    statement.clear();
                    parens = 0;
                    continue;
                }
                if (type == DlxLexer.RBRACE) {
                    if (!frames.isEmpty()) frames.pop();
                    statement.clear();
                    parens = 0;
                    continue;
                }
                if (type == DlxLexer.LPAREN || type == DlxLexer.CALL || type == DlxLexer.LBRACK) parens++;
                if (type == DlxLexer.RPAREN || type == DlxLexer.RBRACK) parens = Math.max(0, parens - 1);
                statement.add(t);
            }
        }

        private Frame frameFor() {
            if (statement.isEmpty()) return new Frame(-1, "", "");
            Token first = statement.get(0);
            String variant = statement.size() > 1 ? statement.get(1).getText() : "";
            if (frames.isEmpty()) return new Frame(first.getType(), first.getText(), variant);
            return new Frame(DlxLexer.IDENT, first.getText(), variant);
        }

        Frame top() { return frames.peek(); }
    }

    private static final class Builder {
        private final Analysis analysis;
        private final SymbolTable symbols;
        private final Context ctx;
        private final List<Completion> items;

        Builder(Analysis analysis, Context ctx, List<Completion> items) {
            this.analysis = analysis;
            this.symbols = analysis.compilation().symbols();
            this.ctx = ctx;
            this.items = items;
        }

        void build() {
            Frame top = ctx.top();
            if (top == null) topLevel();
            else if (ctx.frames.size() == 1 && (top.keyword() == DlxLexer.MODEL || top.keyword() == DlxLexer.BLOCK)) graphBody();
            else statementBlock();
        }

        // -------------------------------------------------------------- top level

        private void topLevel() {
            List<Token> s = ctx.statement;
            if (s.isEmpty()) {
                for (String k : Catalog.DECLARATIONS) {
                    Catalog.Keyword kw = Catalog.keyword(k).orElseThrow();
                    items.add(new Completion(k, CompletionKind.KEYWORD, kw.meaning(), "```dlx\n" + kw.usage() + "\n```", k + " ", false));
                }
                return;
            }
            int first = s.get(0).getType();
            Token last = s.get(s.size() - 1);
            if (first == DlxLexer.TRAIN || first == DlxLexer.EVALUATE) {
                if (last.getType() == DlxLexer.ON) datasets();
                else if (s.size() == 1) models();
                else if (s.size() == 2) items.add(new Completion("on", CompletionKind.KEYWORD, "the dataset to use", null, "on ", false));
                else if (first == DlxLexer.EVALUATE && last.getType() == DlxLexer.DOT && s.size() >= 2) {
                    splits(s.get(s.size() - 2).getText());
                }
            }
        }

        private void models() {
            for (Map.Entry<String, Decl.Model> e : symbols.models().entrySet()) {
                items.add(new Completion(e.getKey(), CompletionKind.MODEL, "model " + Outline.modelSignature(e.getValue()),
                    Hovers.docComment(e.getValue()), e.getKey(), false));
            }
        }

        private void datasets() {
            for (Map.Entry<String, Decl.Dataset> e : symbols.datasets().entrySet()) {
                items.add(new Completion(e.getKey(), CompletionKind.DATASET, "dataset", Hovers.docComment(e.getValue()), e.getKey(), false));
            }
        }

        private void splits(String dataset) {
            DatasetIR ir = analysis.compilation().datasets().get(dataset);
            List<String> names = ir == null ? List.of(DatasetIR.TRAIN, DatasetIR.VAL, DatasetIR.TEST) : ir.splitNames();
            for (String n : names) items.add(new Completion(n, CompletionKind.VALUE, "split of `" + dataset + "`", null, n, false));
        }

        // -------------------------------------------------------------- model and block bodies

        /** The model or block being edited: by the name in its header, else by position in the last analysis. */
        private Decl enclosingDecl() {
            String name = nameOfTop();
            for (Decl d : analysis.program().decls()) {
                if ((d instanceof Decl.Model || d instanceof Decl.Block) && d.name() != null && d.name().name().equals(name)) return d;
            }
            Token anchor = ctx.statement.isEmpty() ? null : ctx.statement.get(0);
            if (anchor == null) return null;
            for (Decl d : analysis.program().decls()) {
                if ((d instanceof Decl.Model || d instanceof Decl.Block) && Locator.touches(d.span(), anchor.getStartIndex())) return d;
            }
            return null;
        }

        private String nameOfTop() {
            String variant = ctx.frames.peekLast() == null ? "" : ctx.frames.peekLast().variant();
            return variant.endsWith("(") ? variant.substring(0, variant.length() - 1) : variant;
        }

        private void graphBody() {
            List<Token> s = ctx.statement;
            Decl decl = enclosingDecl();
            if (s.isEmpty()) {
                items.add(new Completion("let", CompletionKind.KEYWORD, "name the tensor a chain produces", null, "let ", false));
                items.add(new Completion("return", CompletionKind.KEYWORD, "the body's outputs", null, "return ", false));
                chainStart(decl, true);
                return;
            }
            // The current step: after the last `->` (or `=` of a `let`) outside parentheses.
            int start = 0;
            int parens = 0;
            for (int i = 0; i < s.size(); i++) {
                int type = s.get(i).getType();
                if (type == DlxLexer.LPAREN || type == DlxLexer.CALL || type == DlxLexer.LBRACK) parens++;
                if (type == DlxLexer.RPAREN || type == DlxLexer.RBRACK) parens = Math.max(0, parens - 1);
                if (parens == 0 && (type == DlxLexer.ARROW || type == DlxLexer.EQ || type == DlxLexer.RETURN
                        || (type == DlxLexer.COMMA && s.get(0).getType() == DlxLexer.RETURN))) {
                    start = i + 1;
                }
            }
            if (s.get(0).getType() == DlxLexer.LET && start == 0) return; // naming the tensors
            List<Token> step = s.subList(start, s.size());
            boolean firstStep = start == 0 || s.get(start - 1).getType() != DlxLexer.ARROW;
            if (step.isEmpty()) {
                chainStart(decl, firstStep);
                return;
            }
            Token head = step.get(0);
            if (head.getType() == DlxLexer.CALL) {
                if (parens > 0) callArguments(decl, head.getText().substring(0, head.getText().length() - 1), step);
                return;
            }
            if (head.getType() != DlxLexer.IDENT) return;
            Optional<LayerKind<?>> kind = Layers.lookup(head.getText());
            if (kind.isEmpty() || parens > 0) return;
            Token last = step.get(step.size() - 1);
            if (last.getType() == DlxLexer.STAR) return;
            Schema schema = kind.get().schema();
            Optional<Attr> pending = step.size() > 1 ? schema.attr(last.getText()) : Optional.empty();
            if (pending.isPresent() && !pending.get().type().isFlag() && last.getType() == DlxLexer.IDENT) {
                for (String v : Catalog.choices(pending.get().type())) {
                    items.add(new Completion(v, CompletionKind.VALUE, "value of `" + pending.get().name() + "`",
                        Vocabulary.attrDoc(pending.get()), v, false));
                }
                return;
            }
            if (pending.isPresent() && pending.get().type().isFlag()) {
                items.add(new Completion("true", CompletionKind.VALUE, "", null, "true", false));
                items.add(new Completion("false", CompletionKind.VALUE, "", null, "false", false));
            }
            Set<String> params = decl == null ? Set.of() : Scopes.params(decl).keySet();
            attributes(head.getText(), schema, step.subList(1, step.size()), params);
        }

        /** The attributes of a layer not given yet: positional ones filled in order, named ones by their word. */
        private void attributes(String spelling, Schema schema, List<Token> args, Set<String> params) {
            Set<String> given = new LinkedHashSet<>();
            int positional = 0;
            boolean named = false;
            int depth = 0;
            for (int i = 0; i < args.size(); i++) {
                Token t = args.get(i);
                int type = t.getType();
                if (type == DlxLexer.LPAREN || type == DlxLexer.LBRACK) { if (depth++ == 0 && !named) positional++; continue; }
                if (type == DlxLexer.RPAREN || type == DlxLexer.RBRACK) { depth = Math.max(0, depth - 1); continue; }
                if (depth > 0) continue;
                if (type == DlxLexer.IDENT && schema.has(t.getText()) && !params.contains(t.getText())) {
                    given.add(t.getText());
                    named = true;
                    continue;
                }
                if (type == DlxLexer.MINUS || type == DlxLexer.DOTDOT || type == DlxLexer.SLASH) continue;
                boolean continuesValue = i > 0 && (args.get(i - 1).getType() == DlxLexer.DOTDOT || args.get(i - 1).getType() == DlxLexer.SLASH);
                if (!named && !continuesValue) positional++;
            }
            List<Attr> pos = schema.positional();
            for (int i = 0; i < Math.min(positional, pos.size()); i++) given.add(pos.get(i).name());
            for (Attr a : schema.attrs()) {
                if (given.contains(a.name())) continue;
                items.add(new Completion(a.name(), CompletionKind.ATTRIBUTE, "attribute of `" + spelling + "`", Vocabulary.attrDoc(a),
                    a.name() + " ", false));
            }
        }

        /** Inside `name(`: tensors (for merges and tensor lists) and `attribute = ` names. */
        private void callArguments(Decl decl, String callee, List<Token> step) {
            if (decl != null) tensors(decl);
            Optional<Decl.Block> block = symbols.block(callee);
            if (block.isPresent()) {
                for (Decl.Param p : block.get().params()) {
                    items.add(new Completion(p.name().name(), CompletionKind.ATTRIBUTE, "parameter of block `" + callee + "`", null,
                        p.name().name() + " = ", false));
                }
                return;
            }
            Layers.lookup(callee).ifPresent(k -> {
                for (Attr a : k.schema().attrs()) {
                    items.add(new Completion(a.name(), CompletionKind.ATTRIBUTE, "attribute of `" + callee + "`", Vocabulary.attrDoc(a),
                        a.name() + " = ", false));
                }
            });
        }

        /** What may start a step: layer kinds, blocks and merges, and at the start of a statement, tensors. */
        private void chainStart(Decl decl, boolean tensorsToo) {
            for (String spelling : Layers.spellings()) {
                LayerKind<?> k = Layers.lookup(spelling).orElseThrow();
                boolean merge = k.maxInputs() > 1;
                items.add(new Completion(spelling, CompletionKind.LAYER, k.schema().usage(spelling), Vocabulary.layerDoc(k, spelling),
                    merge ? spelling + "($1)" : spelling, merge));
            }
            for (Map.Entry<String, Decl.Block> e : symbols.blocks().entrySet()) {
                if (decl != null && e.getValue() == decl) continue; // a block cannot use itself
                Decl.Block b = e.getValue();
                String call = b.params().isEmpty() && b.inputs().isEmpty() ? e.getKey() : e.getKey() + "($1)";
                items.add(new Completion(e.getKey(), CompletionKind.BLOCK, "block " + Outline.blockSignature(b),
                    Hovers.docComment(b), call, !call.equals(e.getKey())));
            }
            if (tensorsToo && decl != null) tensors(decl);
        }

        private void tensors(Decl decl) {
            for (String name : Scopes.tensors(decl).keySet()) {
                items.add(new Completion(name, CompletionKind.TENSOR, "tensor", null, name, false));
            }
        }

        // -------------------------------------------------------------- dataset, training, evaluation blocks

        private void statementBlock() {
            Catalog.Block block = blockOf();
            if (block == null) return;
            List<Token> s = ctx.statement;
            if (block == Catalog.Block.SOURCE) {
                sourceOptions(s);
                return;
            }
            if (s.isEmpty()) {
                for (Catalog.Statement st : Catalog.statements(block).values()) {
                    items.add(new Completion(st.word(), CompletionKind.STATEMENT, st.meaning(), null, st.word() + " ", false));
                }
                return;
            }
            Optional<Catalog.Statement> found = Catalog.statement(block, s.get(0).getText());
            if (found.isEmpty()) return;
            Catalog.Statement st = found.get();
            Token last = s.get(s.size() - 1);
            if (block == Catalog.Block.TRAIN && st.word().equals("metric")) {
                // `metric NAME = EXPRESSION`
                if (s.stream().anyMatch(t -> t.getType() == DlxLexer.EQ)) expressionNames(s);
                return;
            }
            if (block == Catalog.Block.TRAIN && st.word().equals("loss")) {
                boolean oneWord = s.size() > 1 && s.get(1).getType() == DlxLexer.IDENT
                    && dev.dlx.compiler.train.Loss.byWord(s.get(1).getText()).isPresent();
                if (!oneWord) expressionNames(s);
                if (s.size() > 1 && !oneWord) return;
            }
            if (s.size() == 1) {
                for (String w : st.firstWords()) {
                    String doc = st.variantDoc(w);
                    items.add(new Completion(w, CompletionKind.VALUE, doc == null ? st.word() : doc, null, w + " ", false));
                }
                if (st.variants() != null) return;
            }
            if (!st.values().isEmpty()) {
                for (String w : st.values()) items.add(new Completion(w, CompletionKind.VALUE, st.word(), null, w, false));
                return;
            }
            String variant = s.size() > 1 ? s.get(1).getText() : "";
            Optional<Schema> schema = st.schemaFor(variant);
            if (schema.isEmpty()) return;
            Optional<Attr> pending = s.size() > 1 ? schema.get().attr(last.getText()) : Optional.empty();
            if (pending.isPresent() && !pending.get().type().isFlag()) {
                for (String v : Catalog.choices(pending.get().type())) {
                    items.add(new Completion(v, CompletionKind.VALUE, "value of `" + pending.get().name() + "`", Vocabulary.attrDoc(pending.get()), v, false));
                }
                if (!Catalog.choices(pending.get().type()).isEmpty()) return;
                if (pending.get().name().equals("on") && st.word().equals("early_stop")) {
                    for (String m : List.of("loss", "val_loss", "val_accuracy", "accuracy")) {
                        items.add(new Completion(m, CompletionKind.VALUE, "metric to watch", null, m, false));
                    }
                }
                return;
            }
            Set<String> given = new LinkedHashSet<>();
            for (Token t : s) given.add(t.getText());
            for (Attr a : schema.get().attrs()) {
                if (a.isPositional() || given.contains(a.name())) continue;
                items.add(new Completion(a.name(), CompletionKind.ATTRIBUTE, "attribute of `" + st.word() + "`", Vocabulary.attrDoc(a),
                    a.name() + " ", false));
            }
        }

        /**
         * In a `loss` or `metric` expression: the tensors it can name (as the checker resolves them:
         * `labels.digit` and `Net.digit` where a label and a tensor share a name) and its functions.
         */
        private void expressionNames(List<Token> s) {
            Decl.Train train = null;
            for (Decl d : analysis.program().decls()) {
                if (d instanceof Decl.Train t && Locator.touches(t.span(), s.get(0).getStartIndex())) train = t;
            }
            if (train != null) {
                var model = analysis.compilation().models().get(train.model().name());
                var data = analysis.compilation().datasets().get(train.dataset().name());
                dev.dlx.compiler.train.expr.TensorEnv env = dev.dlx.compiler.train.expr.TensorEnv.of(model, data);
                for (String name : env.names()) {
                    boolean label = name.startsWith(dev.dlx.compiler.train.expr.TensorEnv.LABELS + ".")
                        || env.find(name).label() != null && env.find(name).tensor() == null;
                    items.add(new Completion(name, CompletionKind.VALUE, label ? "a label of `" + train.dataset().name() + "`"
                        : "a tensor of `" + train.model().name() + "`", null, name, false));
                }
            }
            if (s.size() > 1) {
                for (String f : dev.dlx.compiler.train.expr.Function.words()) {
                    items.add(new Completion(f, CompletionKind.VALUE, "a function of expressions", null, f + "(", false));
                }
            }
        }

        private void sourceOptions(List<Token> s) {
            Frame top = ctx.top();
            Optional<Catalog.Statement> source = Catalog.statement(Catalog.Block.DATASET, "source");
            if (source.isEmpty()) return;
            Optional<Schema> schema = source.get().schemaFor(top.variant());
            if (schema.isEmpty() || !s.isEmpty() && s.size() != 0 && !isSeparator(s.get(s.size() - 1))) return;
            Set<String> written = new LinkedHashSet<>();
            for (Token t : s) written.add(t.getText());
            for (Attr a : schema.get().attrs()) {
                if (a.isPositional() || written.contains(a.name())) continue;
                items.add(new Completion(a.name(), CompletionKind.ATTRIBUTE, "option of `source " + top.variant() + "`",
                    Vocabulary.attrDoc(a), a.name() + " ", false));
            }
        }

        private boolean isSeparator(Token t) { return t.getType() == DlxLexer.COMMA; }

        private Catalog.Block blockOf() {
            Frame outer = ctx.frames.peekLast();
            Frame top = ctx.top();
            if (outer == null) return null;
            Catalog.Block base;
            if (outer.keyword() == DlxLexer.DATASET) base = Catalog.Block.DATASET;
            else if (outer.keyword() == DlxLexer.TRAIN) base = Catalog.Block.TRAIN;
            else if (outer.keyword() == DlxLexer.EVALUATE) base = Catalog.Block.EVALUATE;
            else if (outer.keyword() == DlxLexer.SEARCH) base = Catalog.Block.SEARCH;
            else return null;
            if (ctx.frames.size() == 1) return base;
            if (top.word().equals("augment")) return Catalog.Block.AUGMENT;
            if (top.word().equals("source")) return Catalog.Block.SOURCE;
            return null;
        }
    }

    // ------------------------------------------------------------------ file names

    /**
     * Inside a string: `.dlx` files after `import`, any file elsewhere (data sources), relative to
     * the document; they replace the string's content [from, to). Nothing is listed in a folder
     * {@code access} refuses.
     */
    private static LanguageService.CompletionList files(Analysis analysis, List<Token> before, int from, int to,
                                                        FileAccess access) {
        Token previous = null;
        for (int i = before.size() - 1; i >= 0; i--) {
            int type = before.get(i).getType();
            if (type == DlxLexer.LINE_COMMENT || type == DlxLexer.BLOCK_COMMENT) continue;
            previous = before.get(i);
            break;
        }
        boolean isImport = previous != null && previous.getType() == DlxLexer.IMPORT;
        Path doc = analysis.path();
        Path dir = doc == null || doc.getParent() == null ? null : doc.getParent();
        if (dir == null || access.check(dir).isPresent() || !Files.isDirectory(dir)) return LanguageService.CompletionList.EMPTY;
        List<Completion> items = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir, 4)) {
            walk.filter(Files::isRegularFile)
                .filter(p -> !p.equals(doc))
                .filter(p -> !isImport || p.getFileName().toString().endsWith(".dlx"))
                .filter(p -> !hidden(dir.relativize(p)))
                .sorted()
                .limit(MAX_FILES)
                .forEach(p -> {
                    String rel = dir.relativize(p).toString().replace('\\', '/');
                    items.add(new Completion(rel, CompletionKind.FILE, isImport ? "dlx file" : "file", null, rel, false));
                });
        } catch (IOException | RuntimeException e) {
            return LanguageService.CompletionList.EMPTY;
        }
        return new LanguageService.CompletionList(items, from, to);
    }

    private static boolean hidden(Path rel) {
        for (Path part : rel) {
            String s = part.toString();
            if (s.startsWith(".") || s.equals("target") || s.equals("node_modules")) return true;
        }
        return false;
    }
}
