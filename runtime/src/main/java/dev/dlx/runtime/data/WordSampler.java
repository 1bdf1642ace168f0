package dev.dlx.runtime.data;

import dev.dlx.compiler.data.WordExamples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Draws the skip-gram or CBOW examples of {@link WordExamples} from a text's word ids (words
 * outside the vocabulary already left out), into the feature arrays training reads. Every epoch
 * draws from its own seed: the occurrences subsampling keeps (each word w of frequency f(w) kept
 * with probability min(1, sqrt(t / f(w)))), for skip-gram each context word's reach (uniform in
 * 1..window), and the negatives, from the unigram distribution raised to the power 3/4 (a target
 * is not its own negative). An epoch holds as many examples as the first one drew; a later draw
 * that yields more is cut to a random subset of that size, one that yields fewer is filled up
 * with repeats of its own examples drawn at random (the counts differ by a fraction of a percent).
 */
public final class WordSampler {
    private final WordExamples spec;
    private final int[] words;
    private final double[] keep;
    private final double[] noise;
    private final long seed;
    /** The examples' features, in {@link WordExamples.Kind#features()} order, ids as floats; written in place by every draw. */
    private final float[][] features;
    private final int examples;

    private WordSampler(WordExamples spec, int[] words, int vocab, long seed) throws DataException {
        this.spec = spec;
        this.words = words.clone();
        this.seed = seed;
        long[] counts = new long[vocab];
        for (int w : words) counts[w]++;
        this.keep = keepProbabilities(counts, spec.subsample());
        this.noise = noiseDistribution(counts);
        List<int[]> first = draw(0);
        if (first.isEmpty()) {
            throw DataException.general("the text has " + words.length + " words in the vocabulary, too few for one `" + spec.kind().word()
                + "` example with `window " + spec.window() + "`", "use a longer text or a smaller `window`");
        }
        this.examples = first.size();
        this.features = new float[3][];
        for (int k = 0; k < 3; k++) features[k] = new float[Math.multiplyExact(examples, width(k))];
        write(first, new Random(0));
    }

    /** The sampler of {@code words} (ids 2..vocab-1), with its first epoch drawn. */
    public static WordSampler of(WordExamples spec, int[] words, int vocab, long seed) throws DataException {
        return new WordSampler(spec, words, vocab, seed);
    }

    /** Examples per epoch. */
    public int examples() { return examples; }

    /** The values of feature {@code k} (in {@link WordExamples.Kind#features()} order) of every example. */
    public float[] feature(int k) { return features[k]; }

    /** Ids per example of feature {@code k}. */
    public int width(int k) { return Math.toIntExact(spec.shape(spec.kind().features().get(k)).dim(0).size()); }

    /** Draws epoch {@code epoch}'s examples into the feature arrays (epoch 0's are there from the start). */
    public void redraw(int epoch) {
        List<int[]> drawn = draw(epoch);
        write(drawn, new Random(epochSeed(epoch) ^ 0x2545F4914F6CDD1DL));
    }

    /** The probability that subsampling keeps an occurrence of each word: min(1, sqrt(t / f)), 1 for all when t is 0. */
    static double[] keepProbabilities(long[] counts, double t) {
        long total = Arrays.stream(counts).sum();
        double[] out = new double[counts.length];
        for (int w = 0; w < counts.length; w++) {
            double f = total == 0 ? 0 : (double) counts[w] / total;
            out[w] = t <= 0 || f == 0 ? 1 : Math.min(1, Math.sqrt(t / f));
        }
        return out;
    }

    /** The cumulative unigram^(3/4) distribution over word ids (ids that never occur have none of it). */
    static double[] noiseDistribution(long[] counts) {
        double[] cdf = new double[counts.length];
        double sum = 0;
        for (int w = 0; w < counts.length; w++) {
            sum += Math.pow(counts[w], 0.75);
            cdf[w] = sum;
        }
        for (int w = 0; w < counts.length; w++) cdf[w] /= sum;
        cdf[counts.length - 1] = 1;
        return cdf;
    }

    /** A word drawn from the noise distribution. */
    static int noiseWord(double[] cdf, Random random) {
        double u = random.nextDouble();
        int lo = 0, hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > u) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    private long epochSeed(int epoch) { return PairSampler.epochSeed(seed, epoch); }

    /** The occurrences subsampling keeps in epoch {@code epoch}, in text order. */
    int[] kept(Random random) {
        int[] out = new int[words.length];
        int n = 0;
        for (int w : words) if (keep[w] >= 1 || random.nextDouble() < keep[w]) out[n++] = w;
        return Arrays.copyOf(out, n);
    }

    /** Epoch {@code epoch}'s examples, each the ids of its features one after another. */
    List<int[]> draw(int epoch) {
        Random random = new Random(epochSeed(epoch));
        int[] s = kept(random);
        int window = spec.window(), k = spec.negatives();
        List<int[]> out = new ArrayList<>();
        if (spec.kind() == WordExamples.Kind.SKIPGRAM) {
            for (int p = 0; p < s.length; p++) {
                int reach = 1 + random.nextInt(window);
                for (int q = Math.max(0, p - reach); q <= Math.min(s.length - 1, p + reach); q++) {
                    if (q == p) continue;
                    int[] e = new int[2 + k];
                    e[0] = s[p];
                    e[1] = s[q];
                    negatives(e, 2, s[q], random);
                    out.add(e);
                }
            }
        } else {
            for (int p = window; p + window < s.length; p++) {
                int[] e = new int[2 * window + 1 + k];
                int j = 0;
                for (int q = p - window; q <= p + window; q++) if (q != p) e[j++] = s[q];
                e[j++] = s[p];
                negatives(e, j, s[p], random);
                out.add(e);
            }
        }
        return out;
    }

    private void negatives(int[] e, int from, int target, Random random) {
        for (int i = from; i < e.length; i++) {
            int n = noiseWord(noise, random);
            for (int tries = 0; n == target && tries < 10; tries++) n = noiseWord(noise, random);
            e[i] = n;
        }
    }

    /** Writes {@code drawn} into the feature arrays: all of it when it has exactly {@link #examples}, else a subset or with repeats. */
    private void write(List<int[]> drawn, Random random) {
        int n = drawn.size();
        int[] pick = new int[examples];
        if (n >= examples) {
            int[] order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            if (n > examples) {
                for (int i = 0; i < examples; i++) { // a partial Fisher-Yates: a uniform subset, kept in text order
                    int j = i + random.nextInt(n - i);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                Arrays.sort(order, 0, examples);
            }
            System.arraycopy(order, 0, pick, 0, examples);
        } else {
            for (int i = 0; i < n; i++) pick[i] = i;
            for (int i = n; i < examples; i++) pick[i] = random.nextInt(n);
        }
        int[] widths = {width(0), width(1), width(2)};
        for (int i = 0; i < examples; i++) {
            int[] e = drawn.get(pick[i]);
            int at = 0;
            for (int f = 0; f < 3; f++) {
                for (int j = 0; j < widths[f]; j++) features[f][i * widths[f] + j] = e[at++];
            }
        }
    }
}
