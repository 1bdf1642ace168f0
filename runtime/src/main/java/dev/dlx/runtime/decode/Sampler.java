package dev.dlx.runtime.decode;

import java.util.Random;

/**
 * Draws each next token from the model's distribution sharpened or flattened by a temperature T:
 * {@code q_i = p_i^(1/T) / sum_j p_j^(1/T)} (a softmax of {@code log p / T}). T = 1 samples the model
 * as it is; T below 1 approaches greedy decoding, T above 1 approaches the uniform distribution over
 * the tokens the model does not rule out. The same seed gives the same tokens.
 */
public final class Sampler implements Decoder {
    private final double temperature;
    private final Random random;

    public Sampler(double temperature, long seed) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("the temperature must be a positive number, found " + temperature);
        }
        this.temperature = temperature;
        this.random = new Random(seed);
    }

    @Override public Decoded decode(NextToken model, int[] prime, int length, int stop) {
        return Decoder.tokenByToken(model, prime, length, stop, this::draw);
    }

    /** One token from {@code p} at this sampler's temperature. */
    public int draw(double[] p) {
        double[] q = tempered(p, temperature);
        double u = random.nextDouble();
        double acc = 0;
        int last = -1;
        for (int i = 0; i < q.length; i++) {
            if (q[i] <= 0) continue;
            acc += q[i];
            last = i;
            if (u < acc) return i;
        }
        return last;   // rounding left u above the running sum
    }

    /** {@code p^(1/T)}, normalized; computed from logarithms so that small T does not underflow. */
    static double[] tempered(double[] p, double temperature) {
        double[] z = new double[p.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p.length; i++) {
            z[i] = p[i] > 0 ? Math.log(p[i]) / temperature : Double.NEGATIVE_INFINITY;
            max = Math.max(max, z[i]);
        }
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            z[i] = z[i] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(z[i] - max);
            sum += z[i];
        }
        for (int i = 0; i < z.length; i++) z[i] /= sum;
        return z;
    }
}
