package dev.dlx.runtime.decode;

import java.util.Arrays;

/**
 * Generates up to {@code length} tokens after a prime, one at a time, from a {@link NextToken}
 * model: {@link Greedy}, {@link Sampler} (with a temperature) or {@link BeamSearch}. Generation
 * ends early when the stop token (if any, {@code stop >= 0}) is produced.
 */
public interface Decoder {

    /** No stop token: always {@code length} tokens. */
    int NO_STOP = -1;

    Decoded decode(NextToken model, int[] prime, int length, int stop);

    default Decoded decode(NextToken model, int[] prime, int length) {
        return decode(model, prime, length, NO_STOP);
    }

    /** {@code prime} followed by {@code generated}. */
    static int[] concat(int[] prime, int[] generated) {
        int[] out = Arrays.copyOf(prime, prime.length + generated.length);
        System.arraycopy(generated, 0, out, prime.length, generated.length);
        return out;
    }

    static void checkDistribution(double[] p) {
        if (p == null || p.length == 0) throw new IllegalArgumentException("the model gave an empty distribution");
        double sum = 0;
        for (double v : p) {
            if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("the model gave a probability of " + v);
            sum += v;
        }
        if (sum <= 0) throw new IllegalArgumentException("the model gave probabilities summing to " + sum);
    }

    static void checkArguments(int length, int stop) {
        if (length < 0) throw new IllegalArgumentException("cannot generate " + length + " tokens");
        if (stop < NO_STOP) throw new IllegalArgumentException("stop token " + stop);
    }

    /**
     * One token at a time: {@code choose} picks each next token from the model's distribution
     * given the prime and what was generated so far, until {@code length} tokens or {@code stop}.
     */
    static Decoded tokenByToken(NextToken model, int[] prime, int length, int stop, java.util.function.ToIntFunction<double[]> choose) {
        checkArguments(length, stop);
        int[] out = new int[length];
        int n = 0;
        double logp = 0;
        while (n < length) {
            double[] p = model.probabilities(concat(prime, java.util.Arrays.copyOf(out, n)));
            checkDistribution(p);
            int token = choose.applyAsInt(p);
            out[n++] = token;
            logp += Math.log(p[token]);
            if (token == stop) break;
        }
        return new Decoded(java.util.Arrays.copyOf(out, n), logp, logp);
    }
}
