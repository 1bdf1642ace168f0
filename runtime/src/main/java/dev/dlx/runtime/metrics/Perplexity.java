package dev.dlx.runtime.metrics;

import dev.dlx.runtime.data.SampleSet;
import java.util.Locale;

/**
 * Perplexity, {@code exp(-1/N sum_i log p(y_i))}: the exponential of the mean per-token
 * cross-entropy (the `perplexity` metric), and the baseline a language model has to beat: a
 * unigram model that predicts every token with its frequency in the training split, whatever came
 * before. Its frequencies are add-one smoothed over the whole vocabulary, so that a token the
 * training split lacks still has a probability.
 */
public final class Perplexity {
    private Perplexity() {}

    /** {@code exp(meanCrossEntropy)}, the cross-entropy in nats. */
    public static double of(double meanCrossEntropy) { return Math.exp(meanCrossEntropy); }

    /** Add-one smoothed token frequencies of the labels of {@code train} (every step's): {@code (count_v + 1) / (N + V)}. */
    public static double[] unigram(SampleSet train, int vocab) {
        long[] counts = new long[vocab];
        for (int y : train.allClasses()) if (y >= 0) counts[y]++; // a padded step is no token
        return unigram(counts);
    }

    static double[] unigram(long[] counts) {
        long n = 0;
        for (long c : counts) n += c;
        double[] p = new double[counts.length];
        for (int v = 0; v < p.length; v++) p[v] = (counts[v] + 1.0) / (n + counts.length);
        return p;
    }

    /** The perplexity of the unigram model {@code p} on the labels of {@code eval}. */
    public static double unigramPerplexity(double[] p, SampleSet eval) {
        return perplexity(p, eval.allClasses());
    }

    static double perplexity(double[] p, int[] labels) {
        double sum = 0;
        long n = 0;
        for (int y : labels) {
            if (y < 0) continue; // a padded step
            sum += Math.log(p[y]);
            n++;
        }
        return n == 0 ? Double.NaN : Math.exp(-sum / n);
    }

    /**
     * The line `dlxc run` prints for language-model data: the unigram baseline on the validation
     * split (or on the training split itself when there is none).
     */
    public static String baselineLine(SampleSet train, SampleSet val, int vocab) {
        double[] p = unigram(train, vocab);
        boolean onVal = val != null && !val.isEmpty();
        double ppl = unigramPerplexity(p, onVal ? val : train);
        return String.format(Locale.ROOT, "unigram baseline perplexity %.2f on %s (next-token frequencies of the training split; "
            + "a language model should score well below it)", ppl, onVal ? "val" : "train");
    }
}
