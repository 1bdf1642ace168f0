package dev.dlx.bench;

import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.search.SearchChecker;
import dev.dlx.compiler.search.SearchSpec;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Parser;
import dev.dlx.runtime.search.Observation;
import dev.dlx.runtime.search.Strategy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * `bench/run search`: the search strategies on synthetic objectives with a known optimum (0), over
 * 20 seeds and fixed budgets of trials: the mean and median of the best value found, and on how
 * many seeds TPE ends below random search. Counted, not timed.
 */
public final class SearchStrategies {
    private SearchStrategies() {}

    record Objective(String name, String params, ToDoubleFunction<Map<String, Value>> f) {}

    static double num(Map<String, Value> p, String name) { return ((Value.Num) p.get(name)).value(); }

    static final List<Objective> OBJECTIVES = List.of(
        new Objective("1-D bowl (log10 x + 2.7)^2, x loguniform 1e-5..1", "param x loguniform 1e-5..1",
            p -> Math.pow(Math.log10(num(p, "x")) + 2.7, 2)),
        new Objective("2-D: (log10 lr + 2.5)^2 + (w - 0.3)^2, lr loguniform 1e-5..1, w uniform 0..1",
            "param lr loguniform 1e-5..1\nparam w uniform 0..1",
            p -> Math.pow(Math.log10(num(p, "lr")) + 2.5, 2) + Math.pow(num(p, "w") - 0.3, 2)));

    static SearchSpec spec(String params, String strategy, long seed, int trials) {
        Diagnostics sink = new Diagnostics();
        String text = "search {\n" + params + "\nstrategy " + strategy + " seed " + seed + "\ntrials " + trials + "\n}\n";
        Decl.Search s = Parser.parse(new SourceFile(Path.of("bench.dlx"), "bench.dlx", text), sink).all(Decl.Search.class).get(0);
        return SearchChecker.check(s, sink);
    }

    static double best(Objective o, String strategy, long seed, int trials) {
        SearchSpec spec = spec(o.params(), strategy, seed, trials);
        Strategy s = Strategy.of(spec);
        List<Observation> obs = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < trials; i++) {
            Map<String, Value> p = s.suggest(i, obs);
            double v = o.f().applyAsDouble(p);
            obs.add(new Observation(p, v));
            best = Math.min(best, v);
        }
        return best;
    }

    public static void main(String[] args) {
        int seeds = 20;
        System.out.println("| objective | trials | random: mean (median) best | TPE: mean (median) best | seeds where TPE < random |");
        System.out.println("|---|---|---|---|---|");
        for (Objective o : OBJECTIVES) {
            for (int trials : new int[] {10, 20, 30}) {
                double[] r = new double[seeds], t = new double[seeds];
                int wins = 0;
                for (int s = 0; s < seeds; s++) {
                    r[s] = best(o, "random", s + 1, trials);
                    t[s] = best(o, "tpe", s + 1, trials);
                    if (t[s] < r[s]) wins++;
                }
                System.out.println(String.format(Locale.ROOT, "| %s | %d | %.2e (%.2e) | %.2e (%.2e) | %d of %d |", o.name(), trials,
                    mean(r), median(r), mean(t), median(t), wins, seeds));
            }
        }
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}
