package dev.dlx.runtime.decode;

import java.util.Arrays;

/** Always the most probable next token (the lowest id among equals). */
public final class Greedy implements Decoder {

    @Override public Decoded decode(NextToken model, int[] prime, int length, int stop) {
        Decoder.checkArguments(length, stop);
        int[] out = new int[length];
        int n = 0;
        double logp = 0;
        while (n < length) {
            double[] p = model.probabilities(Decoder.concat(prime, Arrays.copyOf(out, n)));
            Decoder.checkDistribution(p);
            int best = argmax(p);
            out[n++] = best;
            logp += Math.log(p[best]);
            if (best == stop) break;
        }
        return new Decoded(Arrays.copyOf(out, n), logp, logp);
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
        return best;
    }
}
