package dev.dlx.runtime.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DecodersTest {
    private static final int A = 0, B = 1, END = 2;

    /** A model given as a table from the generated tokens (prime excluded) to the next distribution. */
    private static NextToken table(int primeLength, Map<String, double[]> rows) {
        return prefix -> {
            double[] p = rows.get(Arrays.toString(Arrays.copyOfRange(prefix, primeLength, prefix.length)));
            if (p == null) throw new AssertionError("no row for " + Arrays.toString(prefix));
            return p;
        };
    }

    /** A fixed random model: every prefix gets its own distribution over {@code v} tokens. */
    private static NextToken randomModel(int v, long seed) {
        return prefix -> {
            Random r = new Random(seed * 31 + Arrays.hashCode(prefix));
            double[] p = new double[v];
            double s = 0;
            for (int i = 0; i < v; i++) s += p[i] = r.nextDouble() + 1e-3;
            for (int i = 0; i < v; i++) p[i] /= s;
            return p;
        };
    }

    @Test void beamWidthOneIsExactlyGreedy() {
        for (long seed = 0; seed < 50; seed++) {
            NextToken m = randomModel(6, seed);
            int[] prime = {1, 4, 2};
            for (int stop : new int[] {Decoder.NO_STOP, 3}) {
                Decoded g = new Greedy().decode(m, prime, 12, stop);
                Decoded b = new BeamSearch(1, 0.7).decode(m, prime, 12, stop);
                assertArrayEquals(g.tokens(), b.tokens(), "seed " + seed);
                assertEquals(g.logProbability(), b.logProbability(), 0.0);
            }
        }
    }

    /**
     * P(A) = 0.6, P(B) = 0.4; after A both next tokens have 0.5, after B the next is A with 0.9.
     * Greedy takes A then A: 0.6 * 0.5 = 0.30. The best pair is B A: 0.4 * 0.9 = 0.36, which a
     * beam of 2 keeps.
     */
    @Test void beamFindsTheBestSequenceGreedyMisses() {
        Map<String, double[]> rows = new HashMap<>();
        rows.put("[]", new double[] {0.6, 0.4});
        rows.put("[0]", new double[] {0.5, 0.5});
        rows.put("[1]", new double[] {0.9, 0.1});
        NextToken m = table(0, rows);
        Decoded g = new Greedy().decode(m, new int[0], 2);
        assertArrayEquals(new int[] {A, A}, g.tokens());
        assertEquals(Math.log(0.30), g.logProbability(), 1e-12);
        Decoded b = new BeamSearch(2, 0.7).decode(m, new int[0], 2);
        assertArrayEquals(new int[] {B, A}, b.tokens());
        assertEquals(Math.log(0.36), b.logProbability(), 1e-12);
        assertEquals(Math.log(0.36) / Math.pow(2, 0.7), b.score(), 1e-12);
    }

    /**
     * With a stop token: [END] has p 0.4 (log -0.916); [A, A, END] has 0.35 * 0.8 * 0.9 = 0.252
     * (log -1.378). Raw log probability (α = 0) prefers the short one; with α = 0.7 the long one
     * scores -1.378 / 3^0.7 = -0.639 > -0.916.
     */
    @Test void lengthNormalizationChangesTheChoice() {
        Map<String, double[]> rows = new HashMap<>();
        rows.put("[]", new double[] {0.35, 0.25, 0.40});
        rows.put("[0]", new double[] {0.8, 0.0, 0.2});
        rows.put("[1]", new double[] {0.1, 0.1, 0.8});
        rows.put("[0, 0]", new double[] {0.1, 0.0, 0.9});
        NextToken m = table(0, rows);
        Decoded raw = new BeamSearch(2, 0).decode(m, new int[0], 3, END);
        assertArrayEquals(new int[] {END}, raw.tokens());
        assertEquals(Math.log(0.4), raw.score(), 1e-12);
        Decoded norm = new BeamSearch(2, 0.7).decode(m, new int[0], 3, END);
        assertArrayEquals(new int[] {A, A, END}, norm.tokens());
        assertEquals(Math.log(0.252), norm.logProbability(), 1e-12);
        assertEquals(Math.log(0.252) / Math.pow(3, 0.7), norm.score(), 1e-12);
    }

    @Test void greedyStopsAtTheStopToken() {
        Map<String, double[]> rows = new HashMap<>();
        rows.put("[]", new double[] {0.6, 0.1, 0.3});
        rows.put("[0]", new double[] {0.2, 0.1, 0.7});
        Decoded g = new Greedy().decode(table(2, rows), new int[] {1, 1}, 10, END);
        assertArrayEquals(new int[] {A, END}, g.tokens());
        assertEquals(Math.log(0.6 * 0.7), g.logProbability(), 1e-12);
    }

    @Test void lowTemperatureApproachesGreedy() {
        for (long seed = 0; seed < 20; seed++) {
            NextToken m = randomModel(5, seed);
            Decoded g = new Greedy().decode(m, new int[] {3}, 10);
            Decoded s = new Sampler(1e-3, seed).decode(m, new int[] {3}, 10);
            assertArrayEquals(g.tokens(), s.tokens(), "seed " + seed);
        }
        // at T = 0.5 the weights are p^2 normalized: 0.25/0.38, 0.09/0.38, 0.04/0.38
        double[] q = Sampler.tempered(new double[] {0.5, 0.3, 0.2}, 0.5);
        assertArrayEquals(new double[] {0.25 / 0.38, 0.09 / 0.38, 0.04 / 0.38}, q, 1e-12);
    }

    @Test void temperatureOneSamplesTheDistribution() {
        double[] p = {0.5, 0.3, 0.15, 0.05, 0.0};
        Sampler s = new Sampler(1.0, 42);
        int n = 40_000;
        int[] counts = new int[p.length];
        for (int i = 0; i < n; i++) counts[s.draw(p)]++;
        for (int i = 0; i < p.length; i++) {
            // 4 standard errors: sqrt(p(1-p)/n) <= 0.0025
            assertEquals(p[i], counts[i] / (double) n, 0.01, "token " + i);
        }
        assertEquals(0, counts[4], "a token with probability 0 is never drawn");
        // the same seed draws the same tokens
        NextToken m = randomModel(7, 3);
        assertArrayEquals(new Sampler(1, 9).decode(m, new int[0], 30).tokens(), new Sampler(1, 9).decode(m, new int[0], 30).tokens());
    }

    @Test void highTemperatureFlattens() {
        double[] q = Sampler.tempered(new double[] {0.9, 0.1, 0.0}, 1e6);
        assertEquals(0.5, q[0], 1e-5);
        assertEquals(0.5, q[1], 1e-5);
        assertEquals(0.0, q[2], 0.0);
    }

    @Test void widerBeamsNeverScoreWorseOnFixedLengths() {
        for (long seed = 0; seed < 20; seed++) {
            NextToken m = randomModel(4, seed);
            double greedy = new Greedy().decode(m, new int[0], 6).logProbability();
            double beam = new BeamSearch(8, 0.7).decode(m, new int[0], 6).logProbability();
            assertTrue(beam >= greedy - 1e-12, "seed " + seed);
        }
    }

    @Test void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(0, 0.7));
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch(3, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new Sampler(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Greedy().decode(p -> new double[] {0.5, Double.NaN}, new int[0], 3));
    }
}
