package dev.dlx.compiler.check;

import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.resolve.SymbolTable;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.ParseCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The checked models of the previous compilations of one document, for an editor that checks the
 * document again after every edit: a model is checked again only when something its check reads
 * has changed, and otherwise its IR and diagnostics are taken over, their spans moved to where the
 * text now is.
 *
 * <p>What a model's check reads is its own declaration and, transitively, every declaration named
 * by a word of one of them (the blocks and models it uses, whatever else a word could name), plus
 * the names and kinds of all declarations in scope (unknown names are answered with the close
 * ones). A model's key is these declarations' texts (for a declaration of another file, with its
 * path and position, since its spans are not moved), so an edit inside one declaration re-checks
 * that declaration's model and the models that use it, and nothing else; adding, removing or
 * renaming a declaration re-checks every model. A model on a cycle of uses is always checked.
 * Thread-safe: the entries are immutable values.
 */
public final class ModelCache {
    /** A model checked once: what it produced, and where its declarations were then. */
    private record Entry(ModelIR ir, List<Diagnostic> diagnostics, long expanded, long sizing,
                         SourceFile root, Map<String, Integer> rootStarts, Map<Path, SourceFile> files, Set<SourceFile> irFiles) {}

    /** What a model's check reads, as text, and the declarations of the root file it reads (by name). */
    record Key(String text, Map<String, Decl> rootDecls) {}

    private volatile Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile Map<String, Entry> used = new ConcurrentHashMap<>();
    private volatile int checked;
    private volatile int reused;
    private final ParseCache parses = new ParseCache();

    /** The parses of the document's earlier versions: only the declarations an edit changed are parsed again. */
    public ParseCache parses() { return parses; }

    /** How many models the last compilation checked. */
    public int checked() { return checked; }

    /** How many models the last compilation took over from an earlier one. */
    public int reused() { return reused; }

    /** A compilation starts: counts from zero; entries it does not use are dropped when it ends. */
    public synchronized void begin() {
        checked = 0;
        reused = 0;
        used = new ConcurrentHashMap<>();
    }

    /** A compilation ended: only what it used (or made) is kept for the next. */
    public synchronized void end() {
        entries = used;
    }

    synchronized void countChecked() { checked++; }

    /**
     * The keys of one compilation's models: the names in scope and each declaration's words are
     * made once for all of them.
     */
    static final class Keys {
        private final SymbolTable symbols;
        private final SourceFile root;
        private final Map<Decl, List<String>> words = new java.util.IdentityHashMap<>();
        private String scope;

        Keys(SymbolTable symbols, SourceFile root) {
            this.symbols = symbols;
            this.root = root;
        }

        /** The names and kinds of the declarations in scope: part of every key. */
        private String scope() {
            if (scope == null) {
                StringBuilder s = new StringBuilder();
                for (String name : symbols.names()) s.append(kind(symbols.any(name).orElseThrow())).append(' ').append(name).append('\n');
                scope = s.toString();
            }
            return scope;
        }

        /**
         * The key of {@code model}'s check, or empty when it must be checked: on a cycle of uses, or when
         * its check reads a file (an `embedding ... load` checks the vectors file), which its text does not
         * key.
         */
        Optional<Key> of(Decl.Model model) {
            String self = model.name().name();
            Map<String, Decl> reads = new LinkedHashMap<>();
            List<Decl> work = new ArrayList<>();
            reads.put(self, model);
            work.add(model);
            for (int i = 0; i < work.size(); i++) {
                for (String word : words.computeIfAbsent(work.get(i), d -> words(d.span().text()))) {
                    if (word.equals(READS_A_FILE)) return Optional.empty();
                    if (word.equals(self)) {
                        if (i > 0) return Optional.empty(); // what the model uses names the model: a cycle, checked in order
                        continue;
                    }
                    if (reads.containsKey(word)) continue;
                    Decl d = symbols.any(word).orElse(null);
                    if (d == null) continue;
                    reads.put(word, d);
                    work.add(d);
                }
            }
            StringBuilder s = new StringBuilder(scope());
            Map<String, Decl> rootDecls = new HashMap<>();
            for (Map.Entry<String, Decl> e : reads.entrySet()) {
                Decl d = e.getValue();
                Span span = d.span();
                s.append("\u0000").append(kind(d)).append(' ').append(e.getKey());
                if (span.file() == root) rootDecls.put(e.getKey(), d);
                else s.append(" in ").append(span.file().path()).append('@').append(span.start());
                s.append('\n').append(span.text());
            }
            return Optional.of(new Key(s.toString(), rootDecls));
        }
    }

    /** The words of a declaration's text (names, keywords, layer kinds: whatever could name a declaration), each once. */
    private static List<String> words(String text) {
        Set<String> out = new java.util.LinkedHashSet<>();
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (!(Character.isLetter(c) || c == '_') || (i > 0 && isWordPart(text.charAt(i - 1)))) continue;
            int j = i + 1;
            while (j < n && isWordPart(text.charAt(j))) j++;
            out.add(text.substring(i, j));
            i = j - 1;
        }
        return List.copyOf(out);
    }

    private static boolean isWordPart(char c) { return Character.isLetterOrDigit(c) || c == '_'; }

    private static String kind(Decl d) { return d.getClass().getSimpleName(); }

    /** The attribute word with which a layer's check reads a file (`embedding 10000 300 load "vectors.txt"`). */
    private static final String READS_A_FILE = "load";

    /**
     * The model of an earlier check under {@code key}, its spans moved into this compilation's files
     * (the root {@code root}, the others by path in {@code files}), with its diagnostics; empty when
     * there is none or a span of it falls outside what the key covers.
     */
    Optional<Reused> reuse(Key key, SourceFile root, Map<Path, SourceFile> files) {
        Entry e = entries.get(key.text());
        if (e == null) return Optional.empty();
        Mover move = new Mover(e, key, root, files);
        // the IR's nodes are moved when first read (ModelIR.relocated): every file they point into must be movable now
        for (SourceFile f : e.irFiles()) if (!move.moves(f)) return Optional.empty();
        try {
            ModelIR ir = e.ir().relocated(move);
            List<Diagnostic> diagnostics = e.diagnostics().stream().map(d -> d.relocated(move)).toList();
            used.put(key.text(), e);
            synchronized (this) { reused++; }
            return Optional.of(new Reused(ir, diagnostics, e.expanded(), e.sizing()));
        } catch (Outside outside) {
            return Optional.empty();
        }
    }

    /** A model taken over: its IR, its diagnostics and the work its check counted. */
    record Reused(ModelIR ir, List<Diagnostic> diagnostics, long expanded, long sizing) {}

    /**
     * Remembers the check of a model under {@code key}; not when a span of its IR lies outside what
     * the key covers (the IR could not be moved).
     */
    void remember(Key key, ModelIR ir, List<Diagnostic> diagnostics, long expanded, long sizing, SourceFile root,
                  Map<Path, SourceFile> files) {
        Map<String, Integer> starts = new HashMap<>();
        for (Map.Entry<String, Decl> d : key.rootDecls().entrySet()) starts.put(d.getKey(), d.getValue().span().start());
        Set<SourceFile> irFiles = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Entry e = new Entry(ir, List.copyOf(diagnostics), expanded, sizing, root, starts, Map.copyOf(files), irFiles);
        Mover self = new Mover(e, key, root, files); // this compilation onto itself: fails where a later move would
        try {
            ir.spans(span -> {
                self.apply(span);
                if (span.file() != root) irFiles.add(span.file());
            });
        } catch (Outside outside) {
            return;
        }
        used.put(key.text(), e);
    }

    /** A span that lies in none of the declarations a key covers: the entry cannot be moved. */
    private static final class Outside extends RuntimeException {
        Outside() { super(null, null, false, false); }
    }

    /**
     * Where an entry's spans are in this compilation: a span of its root file by the offset of the
     * declaration it lies in, a span of another file into that file now if its text is the same.
     */
    private static final class Mover implements UnaryOperator<Span> {
        private record Moved(int start, int end, int delta) {}
        private final Entry e;
        private final SourceFile root;
        private final List<Moved> moves = new ArrayList<>();
        private final Map<SourceFile, SourceFile> others = new HashMap<>();

        Mover(Entry e, Key key, SourceFile root, Map<Path, SourceFile> files) {
            this.e = e;
            this.root = root;
            for (Map.Entry<String, Integer> old : e.rootStarts().entrySet()) {
                Decl now = key.rootDecls().get(old.getKey());
                if (now == null) continue;
                int length = now.span().end() - now.span().start();
                moves.add(new Moved(old.getValue(), old.getValue() + length, now.span().start() - old.getValue()));
            }
            for (Map.Entry<Path, SourceFile> old : e.files().entrySet()) {
                SourceFile now = files.get(old.getKey());
                if (now != null && now.text().equals(old.getValue().text())) others.put(old.getValue(), now);
            }
        }

        /** Whether spans of {@code file} (another file than the entry's root) can be moved. */
        boolean moves(SourceFile file) { return others.containsKey(file); }

        @Override public Span apply(Span span) {
            if (span == null) return null;
            if (span.file() == e.root()) {
                for (Moved m : moves) {
                    if (span.start() >= m.start() && span.end() <= m.end()) {
                        return new Span(root, span.start() + m.delta(), span.end() + m.delta());
                    }
                }
                throw new Outside();
            }
            SourceFile now = others.get(span.file());
            if (now == null) throw new Outside();
            return new Span(now, span.start(), span.end());
        }
    }
}
