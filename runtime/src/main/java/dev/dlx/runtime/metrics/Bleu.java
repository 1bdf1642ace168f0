package dev.dlx.runtime.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU (Papineni, Roukos, Ward & Zhu, 2002): the geometric mean of the modified (clipped) n-gram
 * precisions for n = 1..N, times a brevity penalty.
 * <ul>
 *   <li>clipped precision p_n: each candidate n-gram counts at most as often as it occurs in the
 *       reference where it occurs most ({@code Count_clip = min(Count, Max_Ref_Count)}), divided by
 *       the number of candidate n-grams;</li>
 *   <li>brevity penalty: {@code BP = 1} if the candidate length c exceeds the effective reference
 *       length r (the reference length closest to c, the shorter one on ties), else
 *       {@code exp(1 - r/c)};</li>
 *   <li>{@code BLEU = BP * exp(sum_n w_n log p_n)} with uniform weights {@code w_n = 1/N}.</li>
 * </ul>
 * At corpus level the clipped counts, candidate n-gram counts, c and r are summed over all
 * sentences before the precisions are formed (the paper's definition); sentence level is the
 * corpus of one sentence. Without smoothing a zero precision makes the score 0; smoothing
 * {@link Smoothing#ADD_ONE} adds 1 to the numerator and denominator of p_n for n >= 2 (Lin & Och,
 * 2004), {@link Smoothing#EPSILON} replaces a zero numerator by 0.1.
 */
public final class Bleu {
    private Bleu() {}

    public enum Smoothing { NONE, ADD_ONE, EPSILON }

    /** The standard BLEU-4 of one candidate against its references, without smoothing. */
    public static <T> double sentence(List<T> candidate, List<List<T>> references) {
        return sentence(candidate, references, 4, Smoothing.NONE);
    }

    public static <T> double sentence(List<T> candidate, List<List<T>> references, int maxN, Smoothing smoothing) {
        return corpus(List.of(candidate), List.of(references), maxN, smoothing);
    }

    /** Corpus BLEU-4 without smoothing: {@code references.get(i)} are the references of candidate i. */
    public static <T> double corpus(List<List<T>> candidates, List<List<List<T>>> references) {
        return corpus(candidates, references, 4, Smoothing.NONE);
    }

    public static <T> double corpus(List<List<T>> candidates, List<List<List<T>>> references, int maxN, Smoothing smoothing) {
        return score(candidates, references, maxN, smoothing).bleu();
    }

    /** Everything BLEU is made of, for reports. */
    public record Score(double bleu, double[] precisions, double brevityPenalty, long candidateLength, long referenceLength) {}

    public static <T> Score score(List<List<T>> candidates, List<List<List<T>>> references, int maxN, Smoothing smoothing) {
        if (maxN < 1) throw new IllegalArgumentException("BLEU needs n-grams of order 1 or more, found " + maxN);
        if (candidates.size() != references.size()) {
            throw new IllegalArgumentException(candidates.size() + " candidates but " + references.size() + " reference sets");
        }
        long[] clipped = new long[maxN + 1];
        long[] total = new long[maxN + 1];
        long c = 0, r = 0;
        for (int s = 0; s < candidates.size(); s++) {
            List<T> cand = candidates.get(s);
            List<List<T>> refs = references.get(s);
            if (refs.isEmpty()) throw new IllegalArgumentException("candidate " + s + " has no reference");
            c += cand.size();
            r += closestLength(cand.size(), refs);
            for (int n = 1; n <= maxN; n++) {
                Map<List<T>, Integer> counts = ngrams(cand, n);
                Map<List<T>, Integer> maxRef = new HashMap<>();
                for (List<T> ref : refs) ngrams(ref, n).forEach((g, k) -> maxRef.merge(g, k, Math::max));
                for (Map.Entry<List<T>, Integer> e : counts.entrySet()) {
                    clipped[n] += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
                    total[n] += e.getValue();
                }
            }
        }
        double[] p = new double[maxN];
        double logSum = 0;
        boolean zero = false;
        for (int n = 1; n <= maxN; n++) {
            double num = clipped[n], den = total[n];
            if (smoothing == Smoothing.ADD_ONE && n >= 2) {
                num += 1;
                den += 1;
            } else if (smoothing == Smoothing.EPSILON && num == 0 && den > 0) {
                num = 0.1;
            }
            p[n - 1] = den == 0 ? 0 : num / den;
            if (p[n - 1] == 0) zero = true;
            else logSum += Math.log(p[n - 1]) / maxN;
        }
        double bp = c == 0 ? 0 : c > r ? 1 : Math.exp(1 - (double) r / c);
        double bleu = zero ? 0 : bp * Math.exp(logSum);
        return new Score(bleu, p, bp, c, r);
    }

    /** The reference length closest to {@code c}; the shorter one when two are as close. */
    static <T> int closestLength(int c, List<List<T>> refs) {
        int best = refs.get(0).size();
        for (List<T> ref : refs) {
            int len = ref.size();
            int d = Math.abs(len - c), bd = Math.abs(best - c);
            if (d < bd || (d == bd && len < best)) best = len;
        }
        return best;
    }

    static <T> Map<List<T>, Integer> ngrams(List<T> tokens, int n) {
        Map<List<T>, Integer> out = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) out.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        return out;
    }
}
