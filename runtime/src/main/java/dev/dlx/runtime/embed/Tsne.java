package dev.dlx.runtime.embed;

import java.util.Random;

/**
 * Exact t-SNE (van der Maaten and Hinton 2008): points of any dimension placed in the plane so
 * that neighbours stay neighbours. Each point's Gaussian conditional p(j|i) has its precision found
 * by bisection so that the distribution's perplexity 2^H (H in bits) is the one asked for; P is
 * symmetrized, p_ij = (p(j|i) + p(i|j)) / 2n, and the plane's Student-t similarities q_ij follow
 * it by gradient descent on KL(P || Q): 4 Σ_j (p_ij - q_ij)(y_i - y_j) / (1 + |y_i - y_j|^2),
 * with early exaggeration (P times 12 for the first 250 steps), momentum 0.5 then 0.8,
 * per-coordinate gains and the learning rate max(n / 48, 50) (n / exaggeration / 4, Belkina et al.
 * 2019: a fixed 200 throws points of a small map far out). O(n^2) per step: for a few hundred or thousand points.
 */
public final class Tsne {
    private Tsne() {}

    public static final int ITERATIONS = 1000;
    private static final int EXAGGERATED = 250;
    private static final double EXAGGERATION = 12;

    /** The plane's coordinates of {@code x} (n points of equal dimension), [n][2]; seeded, so one seed gives one map. */
    public static double[][] embed(double[][] x, double perplexity, int iterations, long seed) {
        int n = x.length;
        if (n < 2) throw new IllegalArgumentException("t-SNE needs at least 2 points, found " + n);
        if (!(perplexity > 0) || perplexity >= n) {
            throw new IllegalArgumentException("the perplexity must lie between 0 and the number of points (" + n + "), not " + perplexity);
        }
        double[][] p = jointProbabilities(squaredDistances(x), perplexity);
        Random random = new Random(seed);
        double[][] y = new double[n][2], step = new double[n][2], gains = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 2; d++) {
                y[i][d] = 1e-4 * random.nextGaussian();
                gains[i][d] = 1;
            }
        }
        double rate = Math.max(n / EXAGGERATION / 4, 50);
        double[][] num = new double[n][n];
        for (int it = 0; it < iterations; it++) {
            double exaggeration = it < EXAGGERATED ? EXAGGERATION : 1;
            double momentum = it < EXAGGERATED ? 0.5 : 0.8;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    double dx = y[i][0] - y[j][0], dy = y[i][1] - y[j][1];
                    double q = 1 / (1 + dx * dx + dy * dy);
                    num[i][j] = q;
                    num[j][i] = q;
                    sum += 2 * q;
                }
            }
            for (int i = 0; i < n; i++) {
                double gx = 0, gy = 0;
                for (int j = 0; j < n; j++) {
                    if (j == i) continue;
                    double m = (exaggeration * p[i][j] - num[i][j] / sum) * num[i][j];
                    gx += m * (y[i][0] - y[j][0]);
                    gy += m * (y[i][1] - y[j][1]);
                }
                double[] g = {4 * gx, 4 * gy};
                for (int d = 0; d < 2; d++) {
                    // gains grow where the gradient keeps its sign against the step, shrink where it turns
                    gains[i][d] = Math.signum(g[d]) != Math.signum(step[i][d]) ? gains[i][d] + 0.2 : Math.max(0.01, gains[i][d] * 0.8);
                    step[i][d] = momentum * step[i][d] - rate * gains[i][d] * g[d];
                }
            }
            double mx = 0, my = 0;
            for (int i = 0; i < n; i++) {
                y[i][0] += step[i][0];
                y[i][1] += step[i][1];
                mx += y[i][0];
                my += y[i][1];
            }
            for (int i = 0; i < n; i++) {
                y[i][0] -= mx / n;
                y[i][1] -= my / n;
            }
        }
        return y;
    }

    static double[][] squaredDistances(double[][] x) {
        int n = x.length;
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int k = 0; k < x[i].length; k++) {
                    double t = x[i][k] - x[j][k];
                    s += t * t;
                }
                d[i][j] = s;
                d[j][i] = s;
            }
        }
        return d;
    }

    /** The symmetrized p_ij of squared distances {@code d}, each row's conditional calibrated to {@code perplexity}. */
    static double[][] jointProbabilities(double[][] d, double perplexity) {
        int n = d.length;
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) p[i] = conditional(d[i], i, perplexity);
        double[][] joint = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) joint[i][j] = Math.max((p[i][j] + p[j][i]) / (2.0 * n), 1e-12);
        }
        return joint;
    }

    /**
     * p(j|i) ∝ exp(-β d_ij) over j ≠ i, with β found by bisection (doubling while unbounded) so
     * that the entropy is log(perplexity) in nats, within 1e-5.
     */
    static double[] conditional(double[] di, int i, double perplexity) {
        double target = Math.log(perplexity);
        double beta = 1, lo = 0, hi = Double.POSITIVE_INFINITY;
        double[] p = new double[di.length];
        for (int tries = 0; tries < 200; tries++) {
            double h = distribution(di, i, beta, p);
            if (Math.abs(h - target) < 1e-5) break;
            if (h > target) { // too flat: sharpen
                lo = beta;
                beta = Double.isInfinite(hi) ? beta * 2 : (beta + hi) / 2;
            } else {
                hi = beta;
                beta = (beta + lo) / 2;
            }
        }
        return p;
    }

    /** Fills {@code p} with the row's distribution at precision {@code beta}; returns its entropy in nats. */
    static double distribution(double[] di, int i, double beta, double[] p) {
        double min = Double.POSITIVE_INFINITY;
        for (int j = 0; j < di.length; j++) if (j != i) min = Math.min(min, di[j]);
        double sum = 0;
        for (int j = 0; j < di.length; j++) {
            p[j] = j == i ? 0 : Math.exp(-beta * (di[j] - min)); // shifted by the nearest: no underflow to all zeros
            sum += p[j];
        }
        double h = 0;
        for (int j = 0; j < di.length; j++) {
            p[j] /= sum;
            if (p[j] > 0) h -= p[j] * Math.log(p[j]);
        }
        return h;
    }

    /** The entropy in nats of a distribution. */
    static double entropy(double[] p) {
        double h = 0;
        for (double v : p) if (v > 0) h -= v * Math.log(v);
        return h;
    }
}
