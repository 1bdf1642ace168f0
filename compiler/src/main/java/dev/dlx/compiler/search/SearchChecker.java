package dev.dlx.compiler.search;

import dev.dlx.compiler.data.Statements;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Suggest;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Directive;
import dev.dlx.compiler.train.EarlyStop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Checks a `search { ... }` block into a {@link SearchSpec}; every problem is reported and checking goes on. */
public final class SearchChecker {
    public static final List<String> STATEMENTS = List.of("param", "strategy", "trials", "objective", "budget", "parallel");

    public static final Schema STRATEGY = Schema.of(
        Attr.of("kind", Type.choice("grid", "random", "tpe"), "how configurations are chosen").positional().required(),
        Attr.of("seed", Type.INT, "seed of the random draws of `random` and `tpe`").defaults(1).atLeast(0));
    public static final Schema TRIALS = Schema.of(
        Attr.of("count", Type.INT, "how many configurations to train").positional().required().atLeast(1).atMost(10000));
    public static final Schema OBJECTIVE = Schema.of(
        Attr.of("metric", Type.NAME, "the metric that ranks trials, e.g. `val_accuracy`").positional().required(),
        Attr.of("direction", Type.choice("min", "max"), "whether smaller or larger is better (default: by the metric)").positional());
    public static final Schema BUDGET = Schema.of(
        Attr.of("epochs", Type.INT, "epochs of a trial that is never stopped early").required().atLeast(1),
        Attr.of("halving", Type.INT, "successive halving's factor: each rung keeps the best 1/N of its trials").atLeast(2));
    public static final Schema PARALLEL = Schema.of(
        Attr.of("count", Type.INT, "trials at once (processes)").positional().required().atLeast(1).atMost(256));

    private final Diagnostics sink;

    private SearchChecker(Diagnostics sink) { this.sink = sink; }

    public static SearchSpec check(Decl.Search search, Diagnostics sink) {
        return new SearchChecker(sink).run(search);
    }

    private SearchSpec run(Decl.Search search) {
        Map<String, Directive> seen = new LinkedHashMap<>();
        List<Hyperparam> params = new ArrayList<>();
        Map<String, Span> names = new LinkedHashMap<>();
        SearchSpec.Strategy strategy = SearchSpec.Strategy.RANDOM;
        long seed = 1;
        int trials = -1, epochs = 0, halving = 0, parallel = 1;
        String objective = "val_loss";
        Span objectiveSpan = search.span();
        Boolean maximize = null;
        for (Directive d : search.body()) {
            String word = d.word().name();
            Span head = Statements.head(d);
            if (!STATEMENTS.contains(word)) {
                Diagnostic.Builder b = Diagnostic.error(Code.UNKNOWN_DIRECTIVE, d.word().span(), "`search` has no statement `" + word + "`")
                    .label("unknown statement");
                Optional<String> close = Suggest.closest(word, STATEMENTS);
                b.help(close.map(c -> "did you mean `" + c + "`?").orElse("its statements are " + Suggest.listAll(STATEMENTS)));
                sink.report(b);
                continue;
            }
            Statements.noBlock(d, sink);
            if (word.equals("param")) {
                Hyperparam p = param(d, head);
                if (p == null) continue;
                Span first = names.putIfAbsent(p.name(), p.span());
                if (first != null) {
                    sink.report(Diagnostic.error(Code.SEARCH_PARAM, p.span(), "search parameter `" + p.name() + "` is declared twice")
                        .label("second declaration").secondary(first, "first declared here").help("rename or remove one of them"));
                    continue;
                }
                params.add(p);
                continue;
            }
            Directive earlier = seen.putIfAbsent(word, d);
            if (earlier != null) {
                Statements.duplicate(word, head, Statements.head(earlier), sink);
                continue;
            }
            List<Value> values = Statements.values(d, sink);
            switch (word) {
                case "strategy" -> {
                    Attrs a = Statements.bind("strategy", STRATEGY, values, head, sink);
                    if (a.complete()) {
                        strategy = SearchSpec.Strategy.valueOf(a.word("kind").toUpperCase(java.util.Locale.ROOT));
                        seed = a.integer("seed");
                    }
                }
                case "trials" -> {
                    Attrs a = Statements.bind("trials", TRIALS, values, head, sink);
                    if (a.complete()) trials = a.integer("count");
                }
                case "objective" -> {
                    Attrs a = Statements.bind("objective", OBJECTIVE, values, head, sink);
                    if (a.complete()) {
                        objective = a.word("metric");
                        objectiveSpan = a.span("metric");
                        if (a.given("direction")) maximize = a.word("direction").equals("max");
                    }
                }
                case "budget" -> {
                    Attrs a = Statements.bind("budget", BUDGET, values, head, sink);
                    if (a.complete()) {
                        epochs = a.integer("epochs");
                        if (a.given("halving")) halving = a.integer("halving");
                    }
                }
                case "parallel" -> {
                    Attrs a = Statements.bind("parallel", PARALLEL, values, head, sink);
                    if (a.complete()) parallel = a.integer("count");
                }
                default -> throw new IllegalStateException(word);
            }
        }
        if (params.isEmpty()) {
            sink.report(Diagnostic.error(Code.SEARCH_PARAM, search.span().file() == null ? search.span() : headOf(search),
                    "`search` declares no parameter to search over")
                .label("nothing to search")
                .help("declare one, e.g. `param lr loguniform 1e-4..1e-2`, and write `lr` where the value goes"));
        }
        if (maximize == null) maximize = EarlyStop.modeFor(objective) == EarlyStop.Mode.MAX;
        SearchSpec spec = new SearchSpec(List.copyOf(params), strategy, seed, 0, objective, objectiveSpan, maximize, epochs, halving,
            parallel, search.span());
        long grid = params.isEmpty() ? 0 : spec.gridSize();
        int count = trials > 0 ? trials : strategy == SearchSpec.Strategy.GRID ? (int) Math.min(grid, 10000) : SearchSpec.DEFAULT_TRIALS;
        if (strategy == SearchSpec.Strategy.GRID && grid > 0) count = (int) Math.min(count, grid);
        return new SearchSpec(spec.params(), strategy, seed, count, objective, objectiveSpan, maximize, epochs, halving, parallel, search.span());
    }

    private static Span headOf(Decl.Search s) {
        return Span.of(s.span().file(), s.span().start(), Math.min(s.span().end(), s.span().start() + "search".length()));
    }

    /** `param NAME KIND LOW..HIGH [default V] [steps N]` or `param NAME choice V1, V2, ... [default V]`. */
    private Hyperparam param(Directive d, Span head) {
        List<Value> values = Statements.values(d, sink);
        if (values.isEmpty() || !(values.get(0) instanceof Value.Word name) || name.value().contains(".")) {
            sink.report(Diagnostic.error(Code.SEARCH_PARAM, values.isEmpty() ? head : values.get(0).span(), "`param` needs a name first")
                .label(values.isEmpty() ? "no name" : "not a name")
                .help("for example `param lr loguniform 1e-4..1e-2`"));
            return null;
        }
        if (values.size() < 2 || !(values.get(1) instanceof Value.Word kindWord) || Hyperparam.Kind.byWord(kindWord.value()).isEmpty()) {
            Diagnostic.Builder b = Diagnostic.error(Code.SEARCH_PARAM, values.size() < 2 ? head : values.get(1).span(),
                    values.size() < 2 ? "`param " + name.value() + "` needs the values it takes"
                        : "`" + values.get(1) + "` is not a kind of search parameter")
                .label("expected " + Suggest.list(Hyperparam.Kind.words()));
            Optional<String> close = values.size() < 2 ? Optional.empty() : Suggest.closest(values.get(1).toString(), Hyperparam.Kind.words());
            b.help(close.map(c -> "did you mean `" + c + "`?").orElse("for example `param " + name.value() + " choice 32, 64, 128` or `param "
                + name.value() + " uniform 0.1..0.5`"));
            sink.report(b);
            return null;
        }
        Hyperparam.Kind kind = Hyperparam.Kind.byWord(kindWord.value()).orElseThrow();
        List<Value> rest = values.subList(2, values.size());
        int cut = indexOfWord(rest, "default", "steps");
        List<Value> body = rest.subList(0, cut);
        List<Value> options = rest.subList(cut, rest.size());
        double low = 0, high = 0;
        List<Value> choices = List.of();
        boolean ok = true;
        if (kind == Hyperparam.Kind.CHOICE) {
            if (body.isEmpty()) {
                sink.report(Diagnostic.error(Code.SEARCH_PARAM, head, "`param " + name.value() + " choice` needs at least one value")
                    .label("no values").help("list them: `choice 32, 64, 128`"));
                return null;
            }
            List<Value> list = new ArrayList<>();
            for (Value v : body) {
                if (!(v instanceof Value.Num || v instanceof Value.Word || v instanceof Value.Str)) {
                    sink.report(Diagnostic.error(Code.SEARCH_PARAM, v.span(), "a choice is a number or a word, found " + v)
                        .label("not a number or word"));
                    ok = false;
                    continue;
                }
                Optional<Value> twice = list.stream().filter(o -> Hyperparam.same(o, v)).findFirst();
                if (twice.isPresent()) {
                    sink.report(Diagnostic.error(Code.SEARCH_PARAM, v.span(), "choice `" + Hyperparam.text(v) + "` of `" + name.value() + "` is given twice")
                        .label("second time").secondary(twice.get().span(), "first time").help("remove one of them"));
                    ok = false;
                    continue;
                }
                list.add(v);
            }
            choices = List.copyOf(list);
            high = Math.max(0, choices.size() - 1);
        } else {
            if (body.size() != 1 || !(body.get(0) instanceof Value.RangeV r) || !(r.low() instanceof Value.Num lo)
                    || !(r.high() instanceof Value.Num hi) || lo.percent() || lo.degrees() || hi.percent() || hi.degrees()) {
                sink.report(Diagnostic.error(Code.SEARCH_PARAM, body.isEmpty() ? head : Statements.spanOf(body, head),
                        "`param " + name.value() + " " + kind.word() + "` takes one range of numbers, LOW..HIGH")
                    .label(body.isEmpty() ? "no range" : "expected LOW..HIGH")
                    .help("for example `param " + name.value() + " " + kind.word() + " " + example(kind) + "`"));
                return null;
            }
            low = lo.value();
            high = hi.value();
            if (!(low < high)) {
                sink.report(Diagnostic.error(Code.SEARCH_PARAM, r.span(), "range `" + r + "` of `" + name.value() + "` is empty: its start is not below its end")
                    .label("start >= end").help("write the smaller bound first"));
                ok = false;
            } else if (kind == Hyperparam.Kind.LOGUNIFORM && low <= 0) {
                sink.report(Diagnostic.error(Code.SEARCH_PARAM, r.low().span(), "a loguniform range starts above 0, found " + r.low())
                    .label("not above 0").help("`loguniform` spreads values evenly on the log scale; use `uniform` for a range through 0"));
                ok = false;
            } else if (kind == Hyperparam.Kind.INT && (!lo.integral() || !hi.integral())) {
                Value.Num bad = !lo.integral() ? lo : hi;
                sink.report(Diagnostic.error(Code.SEARCH_PARAM, bad.span(), "an int range has whole-number bounds, found " + bad)
                    .label("not a whole number").help("use `" + Math.round(bad.value()) + "`, or `uniform` for fractions"));
                ok = false;
            }
        }
        Value given = null;
        int steps = Hyperparam.DEFAULT_STEPS;
        for (int i = 0; i < options.size(); i++) {
            Value key = options.get(i);
            Value v = i + 1 < options.size() ? options.get(i + 1) : null;
            String k = key.toString();
            if (!(key instanceof Value.Word) || !(k.equals("default") || k.equals("steps"))) {
                sink.report(Diagnostic.error(Code.SEARCH_PARAM, key.span(), "unexpected `" + key + "` in `param " + name.value() + "`")
                    .label("not `default` or `steps`").help("after the values come `default V` and `steps N`"));
                ok = false;
                break;
            }
            if (v == null) {
                sink.report(Diagnostic.error(Code.SEARCH_PARAM, key.span(), "`" + k + "` needs a value").label("nothing after it"));
                ok = false;
                break;
            }
            i++;
            if (k.equals("steps")) {
                if (kind == Hyperparam.Kind.CHOICE || !(v instanceof Value.Num n) || !n.integral() || n.value() < 2 || n.value() > 100) {
                    sink.report(Diagnostic.error(Code.SEARCH_PARAM, v.span(), kind == Hyperparam.Kind.CHOICE
                            ? "`steps` is for ranges; a choice's grid is its values" : "`steps` is a whole number in [2, 100], found " + v)
                        .label("invalid steps"));
                    ok = false;
                } else {
                    steps = (int) n.value();
                }
            } else {
                given = v;
            }
        }
        if (!ok) return null;
        Hyperparam p = new Hyperparam(name.value(), kind, low, high, choices, null, steps, name.span());
        if (given != null) {
            if (!p.admits(given)) {
                sink.report(Diagnostic.error(Code.SEARCH_PARAM, given.span(), "default " + given + " of `" + name.value() + "` is not one of its values")
                    .label("outside its values").help("it takes " + p.describe()));
                return null;
            }
            Value written = given;
            Value chosen = kind == Hyperparam.Kind.CHOICE
                ? choices.stream().filter(c -> Hyperparam.same(c, written)).findFirst().orElseThrow() : given;
            p = new Hyperparam(name.value(), kind, low, high, choices, chosen, steps, name.span());
        }
        return p;
    }

    private static String example(Hyperparam.Kind kind) {
        return switch (kind) {
            case LOGUNIFORM -> "1e-4..1e-2";
            case INT -> "16..128";
            default -> "0.1..0.5";
        };
    }

    private static int indexOfWord(List<Value> values, String... words) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) instanceof Value.Word w && List.of(words).contains(w.value())) return i;
        }
        return values.size();
    }
}
