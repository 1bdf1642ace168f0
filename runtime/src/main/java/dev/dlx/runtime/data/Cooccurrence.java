package dev.dlx.runtime.data;

import java.util.HashMap;
import java.util.Map;

/**
 * GloVe's co-occurrence counts of a text's word ids: X_ij grows by 1/d for every occurrence of
 * word j at distance d (1..window) before or after an occurrence of word i, so X is symmetric.
 * The examples are the pairs with X_ij above 0, ordered by i, then j.
 *
 * @param target  i of each pair
 * @param context j of each pair
 * @param count   X_ij of each pair
 */
public record Cooccurrence(int[] target, int[] context, double[] count) {

    public int pairs() { return target.length; }

    /** The counts of {@code words} (ids below {@code vocab}) within {@code window} words. */
    public static Cooccurrence of(int[] words, int vocab, int window) {
        Map<Long, Double> x = new HashMap<>();
        for (int p = 0; p < words.length; p++) {
            for (int d = 1; d <= window && p + d < words.length; d++) {
                int i = words[p], j = words[p + d];
                x.merge((long) i * vocab + j, 1.0 / d, Double::sum);
                x.merge((long) j * vocab + i, 1.0 / d, Double::sum);
            }
        }
        long[] keys = x.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        int[] ti = new int[keys.length], cj = new int[keys.length];
        double[] c = new double[keys.length];
        for (int k = 0; k < keys.length; k++) {
            ti[k] = (int) (keys[k] / vocab);
            cj[k] = (int) (keys[k] % vocab);
            c[k] = x.get(keys[k]);
        }
        return new Cooccurrence(ti, cj, c);
    }

    /** X_ij, 0 when the words never occur near each other. */
    public double get(int i, int j) {
        for (int k = 0; k < target.length; k++) if (target[k] == i && context[k] == j) return count[k];
        return 0;
    }
}
