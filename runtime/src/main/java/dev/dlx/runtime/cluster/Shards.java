package dev.dlx.runtime.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the workers of a cluster share an epoch: every worker shuffles the whole training split with
 * the same seed, cuts it into batches, and takes batch b when b mod N is its task; an epoch is the
 * whole rounds of N full batches (the fewer than N x batch samples left over are not trained on in
 * that epoch, a different few each epoch when shuffled), so every worker takes the same number of
 * steps and each step's N batches, averaged, are one global batch of N x batch samples.
 */
public final class Shards {
    private Shards() {}

    /** The samples one worker trains on per epoch. */
    public static int samples(int total, int batch, int workers) {
        return total / (batch * workers) * batch;
    }

    /** This worker's samples of {@code order}, batch after batch. */
    public static int[] of(int[] order, int total, int batch, Cluster cluster) {
        int n = cluster.size();
        int rounds = total / (batch * n);
        int[] mine = new int[rounds * batch];
        for (int k = 0; k < rounds; k++) {
            System.arraycopy(order, (k * n + cluster.task()) * batch, mine, k * batch, batch);
        }
        return mine;
    }

    /** Each metric's mean over the workers (each worker measured the same number of samples). */
    public static Map<String, Double> mean(Cluster cluster, Map<String, Double> metrics) {
        if (cluster.size() < 2) return metrics;
        float[] v = new float[metrics.size()];
        int i = 0;
        for (double d : metrics.values()) v[i++] = (float) d;
        float[] sum = Collectives.reduce(cluster, v, "Add");
        Map<String, Double> out = new LinkedHashMap<>();
        i = 0;
        for (String k : metrics.keySet()) out.put(k, (double) sum[i++] / cluster.size());
        return out;
    }
}
