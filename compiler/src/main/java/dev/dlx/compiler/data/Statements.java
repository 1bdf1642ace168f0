package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Binder;
import dev.dlx.compiler.schema.Evaluator;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Suggest;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.syntax.Directive;
import dev.dlx.compiler.syntax.Expr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the dataset, training and evaluation checkers share: a block of statements indexed by
 * word (unknown words and repeated ones reported once), arguments evaluated to values, and
 * flat attribute streams bound to a schema.
 */
public final class Statements {
    private Statements() {}

    /**
     * The body's statements by word, in order of appearance. An unknown word gets a did-you-mean;
     * a word outside {@code repeatable} given twice is reported and only its first use is kept.
     */
    public static Map<String, List<Directive>> index(String block, List<Directive> body, Collection<String> known,
                                                      Set<String> repeatable, Diagnostics sink) {
        Map<String, List<Directive>> out = new LinkedHashMap<>();
        for (Directive d : body) {
            String word = d.word().name();
            if (!known.contains(word)) {
                unknown("statement", block, d.word().name(), d.word().span(), known, sink);
                continue;
            }
            List<Directive> seen = out.computeIfAbsent(word, k -> new ArrayList<>());
            if (!seen.isEmpty() && !repeatable.contains(word)) {
                duplicate(word, d.word().span(), seen.get(0).word().span(), sink);
                continue;
            }
            seen.add(d);
        }
        return out;
    }

    /** "unknown statement `sourse` in dataset `digits`", with a did-you-mean or the list of known words. */
    public static void unknown(String what, String where, String word, Span span, Collection<String> known, Diagnostics sink) {
        Diagnostic.Builder b = Diagnostic.error(Code.UNKNOWN_DIRECTIVE, span, "unknown " + what + " `" + word + "` in " + where)
            .label("unknown " + what);
        Suggest.closest(word, known).ifPresentOrElse(
            s -> b.help("did you mean `" + s + "`?"),
            () -> b.help("the " + Suggest.plural(what) + " here are " + Suggest.list(known)));
        sink.report(b);
    }

    public static void duplicate(String word, Span second, Span first, Diagnostics sink) {
        sink.report(Diagnostic.error(Code.DUPLICATE_DIRECTIVE, second, "`" + word + "` is given twice")
            .label("second `" + word + "`")
            .secondary(first, "first given here")
            .help("remove one of them"));
    }

    /** The statement's arguments as values; arguments that fail to evaluate were reported and are left out. */
    public static List<Value> values(Directive d, Diagnostics sink) {
        return values(d.args(), sink);
    }

    public static List<Value> values(List<Expr> args, Diagnostics sink) {
        Evaluator eval = new Evaluator(Map.of(), sink);
        List<Value> out = new ArrayList<>();
        for (Expr e : args) {
            Value v = eval.eval(e);
            if (v != null) out.add(v);
        }
        return out;
    }

    /**
     * The arguments followed by each nested statement as `word args...`: `source csv "f" { features
     * 0..63, label 64 }` reads as `source csv "f" features 0..63 label 64`.
     */
    public static List<Value> flat(Directive d, Diagnostics sink) {
        List<Value> out = new ArrayList<>(values(d, sink));
        for (Directive n : d.nested()) {
            out.add(new Value.Word(n.word().name(), n.word().span()));
            out.addAll(values(n, sink));
            noBlock(n, sink);
        }
        return out;
    }

    /** Reports a `{ }` block on a statement that takes none. */
    public static void noBlock(Directive d, Diagnostics sink) {
        if (!d.hasBlock()) return;
        Span head = head(d);
        sink.report(Diagnostic.error(Code.TOO_MANY_ARGUMENTS, Span.of(head.file(), head.end(), d.span().end()),
                "`" + d.word().name() + "` takes no `{ }` block")
            .label("unexpected block")
            .help("write its attributes on the same line: `" + d.word().name() + " ...`"));
    }

    /** Binds a flat list such as `32 3 stride 2` to a schema. */
    public static Attrs bind(String owner, Schema schema, List<Value> values, Span span, Diagnostics sink) {
        return Binder.bind(owner, schema, Binder.splitFlat(values, schema), span, sink);
    }

    /** The statement from its word to its last argument, without a nested block: the smallest span naming it. */
    public static Span head(Directive d) {
        Span s = d.word().span();
        for (Expr e : d.args()) s = s.to(e.span());
        return s;
    }

    /** The span of values from the first to the last, or {@code fallback} when there are none. */
    public static Span spanOf(List<Value> values, Span fallback) {
        if (values.isEmpty()) return fallback;
        Span s = values.get(0).span();
        for (Value v : values) s = s.to(v.span());
        return s;
    }
}
