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

    /**
     * log P(tokens, then {@code stop}): the sum over the steps of log p(token | the tokens before
     * it). By default every prefix's distribution in one batched call; a model that reads all steps
     * of a sequence at once (teacher forcing) overrides it with one run.
     */
    default double logProbability(int[] tokens, int stop) {
        int[][] prefixes = new int[tokens.length + 1][];
        for (int t = 0; t <= tokens.length; t++) prefixes[t] = java.util.Arrays.copyOf(tokens, t);
        double[][] p = probabilities(prefixes);
        double logp = 0;
        for (int t = 0; t <= tokens.length; t++) logp += Math.log(p[t][t < tokens.length ? tokens[t] : stop]);
        return logp;
    }

    /**
     * The distribution in {@code scores[from .. from + excluded.length)}, a model's output row of
     * softmax probabilities or (with {@code logits}) of logits, renormalized over the tokens a
     * decoder may produce: those {@code excluded} (padding, unknown, start) get 0.
     */
    static double[] renormalized(float[] scores, int from, boolean[] excluded, boolean logits) {
        int v = excluded.length;
        double[] p = new double[v];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) max = Math.max(max, scores[from + i]);
        double sum = 0;
        for (int i = 0; i < v; i++) {
            double q = excluded[i] ? 0 : logits ? Math.exp(scores[from + i] - max) : Math.max(0, scores[from + i]);
            p[i] = q;
            sum += q;
        }
        if (!(sum > 0)) throw new IllegalStateException("the model gave no probability to any token a decoder may produce");
        for (int i = 0; i < v; i++) p[i] /= sum;
        return p;
    }
}
