package dev.dlx.bench.lstm;

import java.util.Random;

/** What W4's systems share: the shuffled order of an epoch and the mean of its step losses. */
final class Lstm {
    private Lstm() {}

    /** 0..n-1 in a Fisher-Yates order drawn with {@code seed}. */
    static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** The mean of the step losses of an epoch. */
    static double meanLoss(float[] losses) {
        double sum = 0;
        for (float l : losses) sum += l;
        return sum / losses.length;
    }
}
