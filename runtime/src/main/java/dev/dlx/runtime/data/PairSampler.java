package dev.dlx.runtime.data;

import dev.dlx.compiler.data.Sampling;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Draws the pairs or triplets of a split ({@link Sampling}): every sample of the split is the
 * first of one draw (the `left` of a pair, the `anchor` of a triplet), and its partners are drawn
 * from the same split by class: a positive is another sample of its class (itself when its class
 * has no other sample there), a negative a sample of another class. The draws depend on the seed,
 * the split's samples and nothing else; training draws its split anew every epoch.
 */
public final class PairSampler {
    private PairSampler() {}

    /**
     * What was drawn for a split, position by position: {@code partners[k][j]} is the sample (an index
     * into the split's base) that feature {@code k + 1} feeds for the split's j-th sample, and {@code
     * same[j]} whether a pair is of one class (pairs only, else null).
     */
    public record Drawn(int[][] partners, boolean[] same) {}

    /** The seed of epoch {@code epoch}'s draws of a training split (epoch 0: also validation's and test's). */
    public static long epochSeed(long seed, int epoch) {
        long x = seed * 0x9E3779B97F4A7C15L + (epoch + 1) * 0xBF58476D1CE4E5B9L;
        return x ^ (x >>> 31);
    }

    public static Drawn draw(Sampling sampling, SampleSet split, long seed) throws DataException {
        int n = split.size();
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + 0x5851F42D4C957F2DL * (sampling.kind().ordinal() + 1));
        Map<Integer, List<Integer>> byClass = new HashMap<>();
        for (int j = 0; j < n; j++) byClass.computeIfAbsent(split.classOf(j), c -> new ArrayList<>()).add(j);
        if (n > 0 && byClass.size() < 2) {
            throw DataException.general("`" + sampling.kind().word() + "` need samples of two classes in each split, but a split of "
                + n + " samples holds class " + byClass.keySet().iterator().next() + " alone", "use a larger split, or `split ... stratify`");
        }
        int[] positive = new int[n], negative = new int[n];
        boolean[] same = sampling.kind() == Sampling.Kind.PAIRS ? new boolean[n] : null;
        for (int j = 0; j < n; j++) {
            int c = split.classOf(j);
            List<Integer> mine = byClass.get(c);
            int p = j;
            if (mine.size() > 1) {
                p = mine.get(random.nextInt(mine.size() - 1));
                if (p == j) p = mine.get(mine.size() - 1); // every other member with equal odds
            }
            int q;
            do {
                q = random.nextInt(n);
            } while (split.classOf(q) == c); // ends: another class exists; expected tries n / (n - |class|)
            positive[j] = split.index()[p];
            negative[j] = split.index()[q];
            if (same != null) same[j] = random.nextDouble() < sampling.positive();
        }
        if (same == null) return new Drawn(new int[][] {positive, negative}, null);
        int[] right = new int[n];
        for (int j = 0; j < n; j++) right[j] = same[j] ? positive[j] : negative[j];
        return new Drawn(new int[][] {right}, same);
    }
}
