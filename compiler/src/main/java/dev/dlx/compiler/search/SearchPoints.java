package dev.dlx.compiler.search;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.schema.Suggest;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.train.Metrics;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.compiler.train.expr.ExpressionMetric;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What the checker does with a file's search beyond the block itself: the point a compilation
 * uses, the objective, unused parameters, and the other points of the search, each compiled and
 * checked before anything trains, their errors named by the point.
 */
public final class SearchPoints {
    /** Beyond this many combinations the points are checked one parameter at a time. */
    public static final int MAX_CHECKED = 256;

    private SearchPoints() {}

    /** The defaults, with the values given as text ({@code --param}) in their place; a wrong name or value is an error (DLX0804). */
    public static Map<String, Value> given(SearchSpec spec, Map<String, String> texts, Diagnostics sink) {
        Map<String, Value> point = spec.defaults();
        texts.forEach((name, text) -> {
            Hyperparam p = spec.param(name).orElse(null);
            if (p == null) {
                List<String> names = spec.params().stream().map(Hyperparam::name).toList();
                Diagnostic.Builder b = Diagnostic.error(Code.SEARCH_VALUE, spec.span(), "the search has no parameter `" + name + "` (given `"
                        + name + "=" + text + "`)").label("declares " + (names.isEmpty() ? "none" : Suggest.list(names)));
                Suggest.closest(name, names).ifPresent(c -> b.help("did you mean `" + c + "`?"));
                sink.report(b);
                return;
            }
            Value v = p.parse(text).orElse(null);
            if (v == null) {
                sink.report(Diagnostic.error(Code.SEARCH_VALUE, p.span(), "`" + name + "=" + text + "` is not a value of `" + name + "`")
                    .label("declared here").help("`" + name + "` takes " + p.describe()));
                return;
            }
            point.put(name, v);
        });
        return point;
    }

    /** The objective must be a metric the root file's trainings report (DLX0508). */
    public static void checkObjective(SearchSpec spec, Compilation c, Diagnostics sink) {
        for (TrainIR t : c.trainings()) {
            if (t == null) continue;
            List<String> named = t.expressionMetrics().stream().map(ExpressionMetric::name).toList();
            if (!Metrics.checkMonitor(spec.objective(), spec.objectiveSpan(), t.metrics(), named, c.datasets().get(t.dataset()), sink)) return;
        }
    }

    /** A parameter no attribute reads: a warning (DLX0802). */
    public static void checkUsed(SearchSpec spec, Set<String> used, Diagnostics sink) {
        for (Hyperparam p : spec.params()) {
            if (used.contains(p.name())) continue;
            sink.report(Diagnostic.warning(Code.SEARCH_UNUSED, p.span(), "search parameter `" + p.name() + "` is never used")
                .label("no attribute reads it")
                .help("write `" + p.name() + "` where its value goes, e.g. `dense " + p.name() + "` or `optimizer adam lr " + p.name() + "`"));
        }
    }

    /** The points the checker compiles: the grid, or every combination of choices and range ends; one at a time beyond {@link #MAX_CHECKED}. */
    public static List<Map<String, Value>> points(SearchSpec spec) {
        boolean grid = spec.strategy() == SearchSpec.Strategy.GRID;
        long combinations = 1;
        for (Hyperparam p : spec.params()) combinations = saturated(combinations, (grid ? p.gridValues() : p.extremes()).size());
        List<Map<String, Value>> out = new ArrayList<>();
        if (combinations <= MAX_CHECKED) {
            out.add(new LinkedHashMap<>());
            for (Hyperparam p : spec.params()) {
                List<Map<String, Value>> next = new ArrayList<>();
                for (Map<String, Value> partial : out) {
                    for (Value v : grid ? p.gridValues() : p.extremes()) {
                        Map<String, Value> m = new LinkedHashMap<>(partial);
                        m.put(p.name(), v);
                        next.add(m);
                    }
                }
                out = next;
            }
            return out;
        }
        for (Hyperparam p : spec.params()) {
            for (Value v : grid ? p.gridValues() : p.extremes()) {
                Map<String, Value> m = spec.defaults();
                m.put(p.name(), v);
                out.add(m);
            }
        }
        return out;
    }

    /**
     * Compiles every point of {@link #points} but {@code checked} (the compilation's own) with
     * {@code compile} and reports each error the point has and the compilation had not, once, with
     * the point it was found at.
     */
    public static void checkPoints(SearchSpec spec, Map<String, Value> checked, Diagnostics sink,
                                   Function<Map<String, Value>, Compilation> compile) {
        List<Map<String, Value>> points = points(spec);
        long combinations = 1;
        boolean grid = spec.strategy() == SearchSpec.Strategy.GRID;
        for (Hyperparam p : spec.params()) combinations = saturated(combinations, (grid ? p.gridValues() : p.extremes()).size());
        if (combinations > MAX_CHECKED) {
            sink.report(Diagnostic.warning(Code.SEARCH_POINTS, spec.span(), "the search has " + (combinations == Long.MAX_VALUE ? "too many"
                    : String.valueOf(combinations)) + " " + (grid ? "grid points" : "combinations of choices and range ends")
                    + "; each parameter's values were checked one at a time, the others at their defaults")
                .label(points.size() + " points checked")
                .help("fewer choices or `steps` check every combination"));
        }
        Set<String> known = new HashSet<>();
        for (Diagnostic d : sink.sorted()) known.add(key(d));
        for (Map<String, Value> point : points) {
            if (same(point, checked)) continue;
            Compilation c = compile.apply(point);
            for (Diagnostic d : c.diagnostics().sorted()) {
                if (!d.isError() || !known.add(key(d))) continue;
                List<String> notes = new ArrayList<>(d.notes());
                notes.add(0, "at the search point " + SearchSpec.text(point));
                sink.report(new Diagnostic(d.severity(), d.code(), d.message(), d.primary(), d.secondary(), notes, d.help()));
            }
        }
    }

    private static boolean same(Map<String, Value> a, Map<String, Value> b) {
        if (!a.keySet().equals(b.keySet())) return false;
        for (String k : a.keySet()) if (!Hyperparam.same(a.get(k), b.get(k))) return false;
        return true;
    }

    private static String key(Diagnostic d) {
        return d.code().id() + "@" + d.span().start() + ":" + d.span().end() + ":" + d.message();
    }

    private static long saturated(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
