package dev.dlx.runtime.decode;

/**
 * A language model as decoding sees it: the distribution of the next token given everything so
 * far (the prime followed by the tokens generated). Decoders call it with several prefixes at once
 * (one per beam) so that a model can evaluate them in one batch.
 */
@FunctionalInterface
public interface NextToken {

    /** Probabilities over the vocabulary (non-negative, summing to 1) of the token after {@code prefix}. */
    double[] probabilities(int[] prefix);

    /** One distribution per prefix; by default one call each. */
    default double[][] probabilities(int[][] prefixes) {
        double[][] out = new double[prefixes.length][];
        for (int i = 0; i < prefixes.length; i++) out[i] = probabilities(prefixes[i]);
        return out;
    }
}
