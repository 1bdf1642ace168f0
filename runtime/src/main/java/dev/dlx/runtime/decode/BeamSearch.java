package dev.dlx.runtime.decode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Beam search: keeps the B most probable partial sequences at every step (B = 1 is greedy
 * decoding); a sequence that produces the stop token is finished and leaves the beam. The answer
 * is the finished or surviving sequence with the best length-normalized objective
 * {@code 1/T_y^α * sum_t log p(y<t> | x, y<1>, ..., y<t-1>)}: α = 0 is the raw log probability
 * (which favours short outputs), α = 1 the mean log probability per token; 0.5 to 1 is usual, 0.7
 * the default.
 */
public final class BeamSearch implements Decoder {
    public static final double DEFAULT_ALPHA = 0.7;

    private final int width;
    private final double alpha;

    public BeamSearch(int width, double alpha) {
        if (width < 1) throw new IllegalArgumentException("the beam width must be at least 1, found " + width);
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("α must lie in [0, 1], found " + alpha);
        this.width = width;
        this.alpha = alpha;
    }

    public int width() { return width; }
    public double alpha() { return alpha; }

    private record Hypothesis(int[] tokens, double logp) {}

    @Override public Decoded decode(NextToken model, int[] prime, int length, int stop) {
        Decoder.checkArguments(length, stop);
        List<Hypothesis> beam = new ArrayList<>(List.of(new Hypothesis(new int[0], 0)));
        List<Hypothesis> finished = new ArrayList<>();
        for (int step = 0; step < length && !beam.isEmpty(); step++) {
            int[][] prefixes = new int[beam.size()][];
            for (int b = 0; b < beam.size(); b++) prefixes[b] = Decoder.concat(prime, beam.get(b).tokens);
            double[][] dist = model.probabilities(prefixes);
            List<Hypothesis> candidates = new ArrayList<>();
            for (int b = 0; b < beam.size(); b++) {
                double[] p = dist[b];
                Decoder.checkDistribution(p);
                Hypothesis h = beam.get(b);
                for (int v = 0; v < p.length; v++) {
                    if (p[v] <= 0) continue;
                    int[] t = Arrays.copyOf(h.tokens, h.tokens.length + 1);
                    t[h.tokens.length] = v;
                    candidates.add(new Hypothesis(t, h.logp + Math.log(p[v])));
                }
            }
            // stable: among equals the earlier beam and the lower token id win, as in greedy decoding
            candidates.sort(Comparator.comparingDouble((Hypothesis h) -> h.logp).reversed());
            beam = new ArrayList<>();
            for (Hypothesis h : candidates.subList(0, Math.min(width, candidates.size()))) {
                if (h.tokens[h.tokens.length - 1] == stop) finished.add(h);
                else beam.add(h);
            }
        }
        finished.addAll(beam);
        Hypothesis best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Hypothesis h : finished) {
            double s = score(h.logp, h.tokens.length);
            if (best == null || s > bestScore) {
                best = h;
                bestScore = s;
            }
        }
        return new Decoded(best.tokens, best.logp, bestScore);
    }

    /** {@code logp / T^α}; an empty sequence scores its log probability (0). */
    public double score(double logp, int length) {
        return length == 0 ? logp : logp / Math.pow(length, alpha);
    }
}
