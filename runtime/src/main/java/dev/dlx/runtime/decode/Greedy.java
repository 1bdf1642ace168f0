package dev.dlx.runtime.decode;

/** Always the most probable next token (the lowest id among equals). */
public final class Greedy implements Decoder {

    @Override public Decoded decode(NextToken model, int[] prime, int length, int stop) {
        return Decoder.tokenByToken(model, prime, length, stop, Greedy::argmax);
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) if (p[i] > p[best]) best = i;
        return best;
    }
}
