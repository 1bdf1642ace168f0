package dev.dlx.runtime.search;

import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.search.Hyperparam;
import dev.dlx.compiler.search.SearchSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Independent uniform draws of each parameter's position (so log-uniform on a loguniform range), seeded per trial. */
final class RandomStrategy implements Strategy {
    private final SearchSpec spec;

    RandomStrategy(SearchSpec spec) { this.spec = spec; }

    @Override public Map<String, Value> suggest(int index, List<Observation> observed) {
        return draw(spec.params(), rng(spec.seed(), index, 0));
    }

    static Map<String, Value> draw(List<Hyperparam> params, Random rng) {
        Map<String, Value> point = new LinkedHashMap<>();
        for (Hyperparam p : params) point.put(p.name(), p.at(rng.nextDouble()));
        return point;
    }

    /** The generator of trial {@code index}: a function of the seed and the index only. */
    static Random rng(long seed, int index, int stream) {
        long mixed = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + stream * 0x94D049BB133111EBL;
        return new Random(mixed ^ (mixed >>> 31));
    }
}
