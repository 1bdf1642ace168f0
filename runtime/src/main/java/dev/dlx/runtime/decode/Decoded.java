package dev.dlx.runtime.decode;

import java.util.Arrays;

/**
 * A generated continuation: its tokens (the prime not included; the stop token, when one was
 * produced, included), {@code log P(tokens | prime) = sum_t log p(y<t> | prime, y<1..t-1>)}, and the
 * score the decoder ranked it by (the log probability, or its length-normalized form for beam search).
 */
public record Decoded(int[] tokens, double logProbability, double score) {
    public Decoded {
        tokens = tokens.clone();
    }

    @Override public int[] tokens() { return tokens.clone(); }

    public int length() { return tokens.length; }

    @Override public boolean equals(Object o) {
        return o instanceof Decoded d && Arrays.equals(tokens, d.tokens) && logProbability == d.logProbability && score == d.score;
    }

    @Override public int hashCode() { return Arrays.hashCode(tokens) * 31 + Double.hashCode(logProbability); }

    @Override public String toString() {
        return "Decoded" + Arrays.toString(tokens) + " log p " + logProbability + " score " + score;
    }
}
