package dev.dlx.runtime.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.search.Hyperparam;
import dev.dlx.compiler.search.SearchSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategyTest {
    static double num(Map<String, Value> point, String name) { return ((Value.Num) point.get(name)).value(); }

    static String text(Map<String, Value> point) { return SearchSpec.text(point); }

    @Test
    void gridVisitsEveryPointInOrderTheLastParameterFastest() {
        SearchSpec spec = Specs.of("param k choice 3, 5\nparam lr loguniform 1e-4..1e-2 steps 3\nstrategy grid");
        assertEquals(6, spec.trials());
        Strategy grid = Strategy.of(spec);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) seen.add(text(grid.suggest(i, List.of())));
        assertEquals(List.of("k = 3, lr = 0.0001", "k = 3, lr = 0.001", "k = 3, lr = 0.01",
            "k = 5, lr = 0.0001", "k = 5, lr = 0.001", "k = 5, lr = 0.01"), seen);
    }

    @Test
    void intRangeGridHasDistinctWholeNumbers() {
        SearchSpec spec = Specs.of("param n int 2..3 steps 5\nstrategy grid");
        assertEquals(2, spec.trials());
        assertEquals("n = 2", text(Strategy.of(spec).suggest(0, List.of())));
        assertEquals("n = 3", text(Strategy.of(spec).suggest(1, List.of())));
    }

    @Test
    void randomIsReproducibleBySeedAndLogUniformOnALogRange() {
        SearchSpec a = Specs.of("param lr loguniform 1e-4..1e-2\nparam w choice 8, 16, 32\nstrategy random seed 5");
        SearchSpec b = Specs.of("param lr loguniform 1e-4..1e-2\nparam w choice 8, 16, 32\nstrategy random seed 5");
        SearchSpec c = Specs.of("param lr loguniform 1e-4..1e-2\nparam w choice 8, 16, 32\nstrategy random seed 6");
        List<String> first = new ArrayList<>(), second = new ArrayList<>(), other = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            first.add(text(Strategy.of(a).suggest(i, List.of())));
            second.add(text(Strategy.of(b).suggest(i, List.of())));
            other.add(text(Strategy.of(c).suggest(i, List.of())));
        }
        assertEquals(first, second);
        assertNotEquals(first, other);
        // log-uniform: a third of the draws in each decade-and-a-half third, the median near 1e-3
        double[] lrs = new double[3000];
        int[] widths = new int[3];
        Strategy s = Strategy.of(a);
        for (int i = 0; i < lrs.length; i++) {
            Map<String, Value> p = s.suggest(i, List.of());
            lrs[i] = num(p, "lr");
            assertTrue(lrs[i] >= 1e-4 && lrs[i] <= 1e-2, "in range: " + lrs[i]);
            widths[List.of(8.0, 16.0, 32.0).indexOf(num(p, "w"))]++;
        }
        Arrays.sort(lrs);
        double median = lrs[lrs.length / 2];
        assertTrue(median > 0.8e-3 && median < 1.25e-3, "median " + median);
        for (int n : widths) assertTrue(n > 900 && n < 1100, "choice counts " + Arrays.toString(widths));
    }

    @Test
    void defaultsAreTheFirstChoiceAndTheMiddles() {
        SearchSpec spec = Specs.of("param lr loguniform 1e-4..1e-2\nparam w choice 8, 16\nparam d uniform 0.1..0.5\n"
            + "param n int 1..4\nparam m int 1..9 default 2");
        assertEquals("lr = 0.001, w = 8, d = 0.3, n = 3, m = 2", text(spec.defaults()));
    }

    @Test
    void tpeIsReproducibleForTheSameObservations() {
        SearchSpec spec = Specs.of("param lr loguniform 1e-4..1e-2\nparam w choice 8, 16, 32\nstrategy tpe seed 2\ntrials 20");
        List<Observation> obs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Map<String, Value> p = Strategy.of(spec).suggest(i, obs);
            obs.add(new Observation(p, Math.abs(Math.log10(num(p, "lr")) + 3) + num(p, "w") / 100));
        }
        assertEquals(text(Strategy.of(spec).suggest(8, obs)), text(Strategy.of(spec).suggest(8, obs)));
    }

    /** f(x) = (log10 x + 2.7)^2 over loguniform 1e-5..1: the minimum 0 at x = 10^-2.7. */
    static double bowl(Map<String, Value> p) {
        double z = Math.log10(num(p, "x")) + 2.7;
        return z * z;
    }

    /** The best loss after {@code budget} trials of {@code strategy} on {@link #bowl}. */
    static double best(String strategy, long seed, int budget) {
        SearchSpec spec = Specs.of("param x loguniform 1e-5..1\nstrategy " + strategy + " seed " + seed + "\ntrials " + budget);
        Strategy s = Strategy.of(spec);
        List<Observation> obs = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < budget; i++) {
            Map<String, Value> p = s.suggest(i, obs);
            double loss = bowl(p);
            obs.add(new Observation(p, loss));
            best = Math.min(best, loss);
        }
        return best;
    }

    /** Over 20 seeds, with 20 trials each, TPE ends closer to the optimum than random search on most seeds and on average. */
    @Test
    void tpeBeatsRandomOnAKnownOneDimensionalFunction() {
        int wins = 0;
        double tpeSum = 0, randomSum = 0;
        for (long seed = 1; seed <= 20; seed++) {
            double t = best("tpe", seed, 20), r = best("random", seed, 20);
            tpeSum += t;
            randomSum += r;
            if (t < r) wins++;
        }
        assertTrue(wins >= 13, "TPE better on " + wins + " of 20 seeds");
        assertTrue(tpeSum < randomSum / 2, "mean best: TPE " + tpeSum / 20 + ", random " + randomSum / 20);
    }

    @Test
    void tpeFavoursTheGoodChoice() {
        SearchSpec spec = Specs.of("param w choice a, b, c, d\nstrategy tpe seed 9\ntrials 30");
        Strategy s = Strategy.of(spec);
        List<Observation> obs = new ArrayList<>();
        int picksOfC = 0;
        for (int i = 0; i < 30; i++) {
            Map<String, Value> p = s.suggest(i, obs);
            boolean c = Hyperparam.text(p.get("w")).equals("c");
            if (i >= 10 && c) picksOfC++;
            obs.add(new Observation(p, c ? 0 : 1));
        }
        assertTrue(picksOfC >= 12, "c picked " + picksOfC + " of the 20 model-based trials");
    }

    @Test
    void failedTrialsCountAsWorst() {
        assertEquals(Double.POSITIVE_INFINITY, Observation.loss(Double.NaN, true));
        assertEquals(-0.9, Observation.loss(0.9, true));
        assertEquals(0.4, Observation.loss(0.4, false));
    }
}
