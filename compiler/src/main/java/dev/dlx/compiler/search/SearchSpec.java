package dev.dlx.compiler.search;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A file's `search` block, checked: its parameters and how to explore them.
 *
 * @param trials     how many configurations to try (a grid: at most its number of points)
 * @param objective  the metric to rank trials by (`val_accuracy`; the k-fold mean with `kfold`)
 * @param maximize   whether a larger objective is better
 * @param epochs     the budget: epochs of a trial that is never stopped early (0: the training's own `epochs`)
 * @param halving    successive halving's factor η (0: no early stopping of trials): a trial trains
 *                   epochs/η^k epochs first and only the best 1/η of each rung goes on
 * @param parallel   how many trials run at once unless `--parallel` says otherwise
 */
public record SearchSpec(List<Hyperparam> params, Strategy strategy, long seed, int trials, String objective, Span objectiveSpan,
                         boolean maximize, int epochs, int halving, int parallel, Span span) {

    /** How the next configurations are chosen. */
    public enum Strategy {
        GRID, RANDOM, TPE;

        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public static final int DEFAULT_TRIALS = 10;

    public Optional<Hyperparam> param(String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Every parameter at its default ({@link Hyperparam#defaultValue}). */
    public Map<String, Value> defaults() {
        Map<String, Value> out = new LinkedHashMap<>();
        for (Hyperparam p : params) out.put(p.name(), p.defaultValue());
        return out;
    }

    /** `lr = 0.001, width = 64` */
    public static String text(Map<String, Value> point) {
        StringBuilder s = new StringBuilder();
        point.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(" = ").append(Hyperparam.text(v)));
        return s.toString();
    }

    /** The points of a full grid, in order (the last parameter varies fastest). */
    public List<Map<String, Value>> grid() {
        List<Map<String, Value>> out = new java.util.ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Hyperparam p : params) {
            List<Map<String, Value>> next = new java.util.ArrayList<>();
            for (Map<String, Value> partial : out) {
                for (Value v : p.gridValues()) {
                    Map<String, Value> m = new LinkedHashMap<>(partial);
                    m.put(p.name(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }

    /** Number of points of the full grid. */
    public long gridSize() {
        long n = 1;
        for (Hyperparam p : params) n = Math.multiplyExact(n, p.gridValues().size());
        return n;
    }
}
