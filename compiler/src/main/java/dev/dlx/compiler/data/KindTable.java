package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Suggest;
import dev.dlx.compiler.schema.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The variants of one statement or step family, each with its own schema, chosen by a word:
 * `optimizer adam lr 1e-3`, `source csv "f"`, `flip horizontal`. A variant turns its bound
 * attributes, in a context {@code C} (the sample shape, the data folder, ...), into a typed
 * record {@code T}, or reports why it cannot and returns null.
 */
public final class KindTable<C, T> {

    public interface Build<C, T> {
        T build(Attrs attrs, C context);
    }

    public record Kind<C, T>(String name, String doc, Schema schema, Build<C, T> build) {}

    private final String what;
    private final Map<String, Kind<C, T>> kinds = new LinkedHashMap<>();

    /** {@code what} names the family in messages: "optimizer", "feature step". */
    @SafeVarargs
    public KindTable(String what, Kind<C, T>... kinds) {
        this(what, asList(kinds));
    }

    private static <C, T> List<Kind<C, T>> asList(Kind<C, T>[] kinds) {
        List<Kind<C, T>> out = new java.util.ArrayList<>();
        for (Kind<C, T> k : kinds) out.add(k);
        return out;
    }

    public KindTable(String what, List<Kind<C, T>> kinds) {
        this.what = what;
        for (Kind<C, T> k : kinds) {
            if (this.kinds.put(k.name(), k) != null) throw new IllegalStateException("two " + Suggest.plural(what) + " named " + k.name());
        }
    }

    public String what() { return what; }
    public Optional<Kind<C, T>> lookup(String name) { return Optional.ofNullable(kinds.get(name)); }
    public List<String> names() { return List.copyOf(kinds.keySet()); }
    public List<Kind<C, T>> all() { return List.copyOf(kinds.values()); }

    /**
     * `word KIND attrs...`: the first value picks the variant, the rest bind to its schema.
     * {@code statement} is the statement's word, {@code head} its span for missing arguments.
     * Returns null after reporting when no record can be built.
     */
    public T choose(String statement, List<Value> values, Span head, C context, Diagnostics sink) {
        if (values.isEmpty()) {
            sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, head, "`" + statement + "` needs " + article() + " " + what)
                .label("expected one of " + Suggest.list(kinds.keySet()))
                .help("for example `" + statement + " " + kinds.keySet().iterator().next() + "`"));
            return null;
        }
        Value first = dev.dlx.compiler.schema.Hyperparams.resolve(values.get(0));
        Kind<C, T> kind = first instanceof Value.Word w ? kinds.get(w.value()) : null;
        if (kind == null) {
            reportUnknown(first, sink);
            return null;
        }
        return build(kind, statement + " " + kind.name(), values.subList(1, values.size()), head, context, sink);
    }

    /** Binds {@code values} to {@code kind}'s schema and builds its record; null when binding failed. */
    public T build(Kind<C, T> kind, String owner, List<Value> values, Span span, C context, Diagnostics sink) {
        Attrs attrs = Statements.bind(owner, kind.schema(), values, span, sink);
        if (!attrs.complete()) return null;
        return kind.build().build(attrs, context);
    }

    /** "unknown optimizer `adamm`" with a did-you-mean or the list of variants. */
    public void reportUnknown(Value written, Diagnostics sink) {
        String text = written instanceof Value.Word w ? w.value() : written.toString();
        Diagnostic.Builder b = Diagnostic.error(Code.INVALID_CHOICE, written.span(), "unknown " + what + " `" + text + "`")
            .label("expected " + article() + " " + what);
        Optional<String> close = written instanceof Value.Word w ? Suggest.closest(w.value(), kinds.keySet()) : Optional.empty();
        if (close.isPresent()) b.help("did you mean `" + close.get() + "`?");
        else b.help("the " + Suggest.plural(what) + " are " + Suggest.list(kinds.keySet()));
        sink.report(b);
    }

    private String article() {
        return "aeiou".indexOf(what.charAt(0)) >= 0 ? "an" : "a";
    }
}
