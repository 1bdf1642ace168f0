package dev.dlx.compiler.schema;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds written arguments to a schema: positional ones in order, then `name value` pairs; checks
 * types and ranges; fills in defaults. Every problem is reported and binding goes on.
 */
public final class Binder {
    /** An argument as written: {@code name} is null for positional ones. */
    public record Arg(String name, Span nameSpan, Value value) {}

    private Binder() {}

    /**
     * Splits a space-separated list (`32 3 stride 2 padding same`) into arguments: a word that
     * names an attribute starts a named argument; anything else is positional.
     */
    public static List<Arg> splitFlat(List<Value> values, Schema schema) {
        List<Arg> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Value v = values.get(i);
            Optional<Attr> attr = v instanceof Value.Word w ? schema.attr(w.value()) : Optional.empty();
            if (attr.isEmpty()) {
                out.add(new Arg(null, null, Hyperparams.resolve(v)));
                continue;
            }
            Attr a = attr.get();
            Value next = i + 1 < values.size() ? Hyperparams.resolve(values.get(i + 1)) : null;
            if (a.type().isFlag()) {
                // `bias false`, and `bias 0` (a number meant as a boolean: reported as a type error).
                boolean meantAsValue = next instanceof Value.Num n && n.integral() && (n.value() == 0 || n.value() == 1);
                if (next != null && (a.type().convert(next) != Type.MISMATCH || meantAsValue)) {
                    out.add(new Arg(a.name(), v.span(), next));
                    i++;
                } else {
                    out.add(new Arg(a.name(), v.span(), new Value.Word("true", v.span())));
                }
            } else if (a.type().isList()) {
                int j = i + 1;
                while (j < values.size() && !(values.get(j) instanceof Value.Word w2 && schema.has(w2.value()))) {
                    out.add(new Arg(a.name(), v.span(), Hyperparams.resolve(values.get(j))));
                    j++;
                }
                if (j == i + 1) out.add(new Arg(a.name(), v.span(), null));
                i = j - 1;
            } else if (next == null || (next instanceof Value.Word w2 && schema.has(w2.value()) && !a.type().choices().contains(w2.value()))) {
                // `dropout rate` with a search parameter `rate`: the word, with no value after it, is the parameter's value
                Value bound = Hyperparams.resolve(v);
                out.add(bound != v ? new Arg(null, null, bound) : new Arg(a.name(), v.span(), null));
            } else {
                out.add(new Arg(a.name(), v.span(), next));
                i++;
            }
        }
        return out;
    }

    public static Attrs bind(String owner, Schema schema, List<Arg> args, Span ownerSpan, Diagnostics sink) {
        return bind(owner, schema, args, ownerSpan, java.util.Set.of(), sink);
    }

    /**
     * As {@link #bind(String, Schema, List, Span, Diagnostics)}; {@code namesInScope} (block parameters)
     * turn a misspelt parameter into "unknown name, did you mean" instead of a type error.
     */
    public static Attrs bind(String owner, Schema schema, List<Arg> args, Span ownerSpan,
                             java.util.Collection<String> namesInScope, Diagnostics sink) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Span> spans = new LinkedHashMap<>();
        Map<String, List<Object>> lists = new LinkedHashMap<>();
        boolean complete = true;
        List<Attr> positional = schema.positional();
        int nextPositional = 0;
        boolean skipStray = false;
        for (int at = 0; at < args.size(); at++) {
            Arg arg = args.get(at);
            if (arg.value() != null) arg = new Arg(arg.name(), arg.nameSpan(), Hyperparams.resolve(arg.value()));
            Attr attr;
            Span where = arg.value() == null ? arg.nameSpan() : arg.value().span();
            if (arg.name() == null) {
                while (nextPositional < positional.size() && spans.containsKey(positional.get(nextPositional).name())) {
                    nextPositional++;
                }
                if (nextPositional >= positional.size()) {
                    if (skipStray) continue;
                    complete = false;
                    boolean followedByValue = at + 1 < args.size() && args.get(at + 1).name() == null;
                    reportExtra(owner, schema, arg.value(), followedByValue, sink);
                    skipStray = true;
                    continue;
                }
                attr = positional.get(nextPositional++);
            } else {
                Optional<Attr> found = schema.attr(arg.name());
                if (found.isEmpty()) {
                    complete = false;
                    reportUnknown(owner, schema, arg.name(), arg.nameSpan(), sink);
                    continue;
                }
                attr = found.get();
            }
            skipStray = false;
            if (arg.value() == null) {
                complete = false;
                sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, arg.nameSpan(),
                        "`" + attr.name() + "` needs a value")
                    .label("expected " + attr.type().description() + " after this")
                    .help(usageHelp(owner, schema)));
                continue;
            }
            if (spans.containsKey(attr.name()) && !attr.type().isList()) {
                complete = false;
                sink.report(Diagnostic.error(Code.DUPLICATE_ATTRIBUTE, where,
                        "`" + attr.name() + "` of `" + owner + "` is given twice")
                    .label("second value")
                    .secondary(spans.get(attr.name()), "first value")
                    .help("remove one of them"));
                continue;
            }
            Object converted = attr.type().convert(arg.value());
            if (converted == Type.MISMATCH) {
                complete = false;
                Optional<String> meant = arg.value() instanceof Value.Word w && attr.type().choices().isEmpty()
                        && attr.type() != Type.NAME && attr.type() != Type.NAMES
                    ? Suggest.closest(w.value(), namesInScope) : Optional.empty();
                if (meant.isPresent()) {
                    sink.report(Diagnostic.error(Code.UNKNOWN_NAME, where, "unknown name `" + arg.value() + "`")
                        .label("not defined here")
                        .help("did you mean `" + meant.get() + "`?"));
                } else {
                    reportType(owner, attr, arg.value(), sink);
                }
                spans.put(attr.name(), where);
                continue;
            }
            if (!checkRange(owner, attr, converted, arg.value(), sink)) complete = false;
            if (attr.type().isList()) {
                lists.computeIfAbsent(attr.name(), k -> new ArrayList<>()).add(converted);
                spans.merge(attr.name(), where, Span::to);
            } else {
                values.put(attr.name(), converted);
                spans.put(attr.name(), where);
            }
        }
        lists.forEach((name, list) -> values.put(name, List.copyOf(list)));
        for (Attr a : schema.attrs()) {
            if (spans.containsKey(a.name())) continue;
            if (a.isRequired()) {
                complete = false;
                sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, ownerSpan,
                        "`" + owner + "` is missing its " + (a.isPositional() ? "" : "attribute ") + "`" + a.name() + "`")
                    .label("needs " + a.type().description() + " for `" + a.name() + "`")
                    .note("`" + a.name() + "`: " + a.doc())
                    .help(usageHelp(owner, schema)));
            } else if (a.defaultValue() != null || a.type().isList()) {
                values.put(a.name(), a.defaultValue() == null ? List.of() : a.defaultValue());
            }
        }
        return new Attrs(values, spans, ownerSpan, complete);
    }

    private static boolean checkRange(String owner, Attr attr, Object converted, Value written, Diagnostics sink) {
        List<Double> numbers = new ArrayList<>();
        if (converted instanceof Number n) numbers.add(n.doubleValue());
        else if (converted instanceof double[] r) { numbers.add(r[0]); numbers.add(r[1]); }
        else if (converted instanceof List<?> l && attr.type() == Type.SIZES) {
            for (Object o : l) numbers.add(((Number) o).doubleValue());
        } else if (converted instanceof dev.dlx.compiler.shape.Padding p) {
            for (int amount : p.explicit()) numbers.add((double) amount);
        }
        for (double n : numbers) {
            if (!attr.inRange(n)) {
                sink.report(Diagnostic.error(Code.OUT_OF_RANGE, written.span(),
                        "`" + attr.name() + "` of `" + owner + "` must be " + rangeWords(attr) + ", found " + written)
                    .label("out of range")
                    .note("`" + attr.name() + "`: " + attr.doc()));
                return false;
            }
        }
        if (converted instanceof double[] r && r[0] > r[1]) {
            sink.report(Diagnostic.error(Code.OUT_OF_RANGE, written.span(),
                    "range `" + written + "` of `" + owner + "` is empty: its start is past its end")
                .label("start > end")
                .help("write the smaller bound first"));
            return false;
        }
        return true;
    }

    private static String rangeWords(Attr a) {
        String r = a.rangeText();
        return r.startsWith("[") || r.startsWith("(") ? "in " + r : r;
    }

    private static void reportType(String owner, Attr attr, Value v, Diagnostics sink) {
        List<String> choices = attr.type().choices();
        Diagnostic.Builder b = Diagnostic.error(choices.isEmpty() ? Code.WRONG_TYPE : Code.INVALID_CHOICE, v.span(),
                "`" + attr.name() + "` of `" + owner + "` expects " + attr.type().description() + ", found " + Value.kindOf(v))
            .label("expected " + attr.type().description());
        if (v instanceof Value.Word w && !choices.isEmpty()) {
            Suggest.closest(w.value(), choices).ifPresent(s -> b.help("did you mean `" + s + "`?"));
        } else if (attr.type() == Type.INT && v instanceof Value.Num n && !n.integral()) {
            b.help("use a whole number such as `" + Math.round(n.value()) + "`");
        } else if (v instanceof Value.Word w && attr.type() == Type.STRING) {
            b.help("put the text in quotes: `\"" + w.value() + "\"`");
        }
        sink.report(b.note("`" + attr.name() + "`: " + attr.doc()));
    }

    private static void reportUnknown(String owner, Schema schema, String name, Span span, Diagnostics sink) {
        List<String> names = schema.attrs().stream().map(Attr::name).toList();
        Diagnostic.Builder b = Diagnostic.error(Code.UNKNOWN_ATTRIBUTE, span,
                "`" + owner + "` has no attribute `" + name + "`")
            .label("unknown attribute");
        Optional<String> close = Suggest.closest(name, names);
        if (close.isPresent()) b.help("did you mean `" + close.get() + "`?");
        else b.help(names.isEmpty() ? "`" + owner + "` takes no attributes" : "its attributes are " + Suggest.listAll(names));
        sink.report(b);
    }

    /**
     * A positional argument beyond the last one. A word followed by a value (`init zeros seed 3`) reads
     * as a `name value` pair, so it is reported as an unknown attribute, not as an extra argument.
     */
    private static void reportExtra(String owner, Schema schema, Value v, boolean followedByValue, Diagnostics sink) {
        List<String> names = schema.attrs().stream().filter(a -> !a.isPositional()).map(Attr::name).toList();
        if (v instanceof Value.Word w && followedByValue && Suggest.closest(w.value(), names).isEmpty()) {
            reportUnknown(owner, schema, w.value(), v.span(), sink);
            return;
        }
        if (v instanceof Value.Word w) {
            Optional<String> close = Suggest.closest(w.value(), names);
            if (close.isPresent()) {
                sink.report(Diagnostic.error(Code.UNKNOWN_ATTRIBUTE, v.span(),
                        "`" + owner + "` has no attribute `" + w.value() + "`")
                    .label("unknown attribute")
                    .help("did you mean `" + close.get() + "`?"));
                return;
            }
        }
        int n = schema.positional().size();
        sink.report(Diagnostic.error(Code.TOO_MANY_ARGUMENTS, v.span(),
                "`" + owner + "` takes " + (n == 0 ? "no" : n == 1 ? "1" : String.valueOf(n)) + " positional argument"
                + (n == 1 ? "" : "s") + ", found an extra " + Value.kindOf(v))
            .label("unexpected argument")
            .help(usageHelp(owner, schema)));
    }

    static String usageHelp(String owner, Schema schema) {
        return "usage: `" + schema.usage(owner) + "`";
    }
}
