package dev.dlx.runtime.search;

import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.search.Hyperparam;
import dev.dlx.compiler.search.SearchSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The tree-structured Parzen estimator (Bergstra et al., 2011): after {@code startup} random
 * trials, the observations are split into the best {@link #GAMMA} and the rest; each parameter gets
 * a density l(x) of the good ones and g(x) of the others (in its position in [0, 1]: a Gaussian per
 * observation, truncated to [0, 1], plus a uniform prior; a choice: smoothed counts), and of
 * {@link #CANDIDATES} draws from l the one with the largest l(x)/g(x) is the next point.
 */
final class Tpe implements Strategy {
    static final double GAMMA = 0.25;
    static final int CANDIDATES = 24;

    private final SearchSpec spec;
    private final int startup;

    Tpe(SearchSpec spec, int startup) {
        this.spec = spec;
        this.startup = startup;
    }

    /** Random trials before the model: a quarter of the budget, between 3 and 10. */
    static int startupFor(int trials) { return Math.max(3, Math.min(10, (trials + 3) / 4)); }

    @Override public Map<String, Value> suggest(int index, List<Observation> observed) {
        Random rng = RandomStrategy.rng(spec.seed(), index, 1);
        if (observed.size() < startup) return RandomStrategy.draw(spec.params(), rng);
        List<Observation> sorted = new ArrayList<>(observed);
        sorted.sort(Comparator.comparingDouble(Observation::loss));
        int good = Math.max(1, (int) Math.ceil(GAMMA * sorted.size()));
        List<Observation> below = sorted.subList(0, good), above = sorted.subList(good, sorted.size());
        List<Density> l = new ArrayList<>(), g = new ArrayList<>();
        for (Hyperparam p : spec.params()) {
            l.add(Density.of(p, below));
            g.add(Density.of(p, above));
        }
        double[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CANDIDATES; c++) {
            double[] u = new double[l.size()];
            double score = 0;
            for (int i = 0; i < u.length; i++) {
                u[i] = l.get(i).sample(rng);
                score += Math.log(l.get(i).density(u[i])) - Math.log(g.get(i).density(u[i]));
            }
            if (score > bestScore) {
                bestScore = score;
                best = u;
            }
        }
        Map<String, Value> point = new LinkedHashMap<>();
        for (int i = 0; i < spec.params().size(); i++) point.put(spec.params().get(i).name(), spec.params().get(i).at(best[i]));
        return point;
    }

    /**
     * One parameter's Parzen estimate over its position in [0, 1]: as in Bergstra et al.'s adaptive
     * Parzen estimator, each observation's Gaussian is as wide as the larger gap to its neighbours (the
     * ends of the range count as neighbours), clipped to [1/min(100, n + 1), 1], so that a few points
     * spread wide and many points refine.
     */
    static final class Density {
        private final double[] centers;
        private final double[] sigmas;
        private final int choices;
        private final double[] weights; // choice: probability per cell

        private Density(double[] centers, double[] sigmas, int choices, double[] weights) {
            this.centers = centers;
            this.sigmas = sigmas;
            this.choices = choices;
            this.weights = weights;
        }

        static Density of(Hyperparam p, List<Observation> obs) {
            List<Double> xs = new ArrayList<>();
            for (Observation o : obs) {
                double x = p.position(o.point().get(p.name()));
                if (!Double.isNaN(x)) xs.add(Math.min(1, Math.max(0, x)));
            }
            double[] centers = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (p.kind() == Hyperparam.Kind.CHOICE) {
                int k = p.choices().size();
                double[] w = new double[k];
                for (double x : centers) w[Math.min(k - 1, (int) Math.floor(x * k))] += 1;
                for (int i = 0; i < k; i++) w[i] = (w[i] + 1.0) / (centers.length + k);
                return new Density(centers, null, k, w);
            }
            return new Density(centers, bandwidths(centers), 0, null);
        }

        /** Each sorted center's width: the larger gap to its neighbours (0 and 1 at the ends), within [1/min(100, n + 1), 1]. */
        static double[] bandwidths(double[] sorted) {
            int n = sorted.length;
            double low = 1.0 / Math.min(100, n + 1);
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                double left = sorted[i] - (i == 0 ? 0 : sorted[i - 1]);
                double right = (i == n - 1 ? 1 : sorted[i + 1]) - sorted[i];
                out[i] = Math.max(low, Math.min(1, Math.max(left, right)));
            }
            return out;
        }

        /** A draw: a choice's cell by its weight, or a mixture component (the uniform prior, or a truncated Gaussian). */
        double sample(Random rng) {
            if (choices > 0) {
                double r = rng.nextDouble(), acc = 0;
                for (int i = 0; i < choices; i++) {
                    acc += weights[i];
                    if (r < acc) return (i + 0.5) / choices;
                }
                return (choices - 0.5) / choices;
            }
            int component = rng.nextInt(centers.length + 1);
            if (component == centers.length) return rng.nextDouble();
            for (int tries = 0; tries < 32; tries++) {
                double x = centers[component] + sigmas[component] * rng.nextGaussian();
                if (x >= 0 && x <= 1) return x;
            }
            return centers[component];
        }

        /** The density at {@code x} (a choice: its cell's probability). */
        double density(double x) {
            if (choices > 0) return weights[Math.min(choices - 1, (int) Math.floor(x * choices))];
            double sum = 1.0; // the uniform prior's density on [0, 1]
            for (int i = 0; i < centers.length; i++) {
                double c = centers[i], sigma = sigmas[i];
                double z = (x - c) / sigma;
                double mass = phi((1 - c) / sigma) - phi(-c / sigma);
                sum += Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI) * mass);
            }
            return sum / (centers.length + 1);
        }

        /** The standard normal distribution function (Abramowitz and Stegun 7.1.26 for erf). */
        static double phi(double z) {
            double t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.sqrt(2));
            double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
                * Math.exp(-z * z / 2);
            return z >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
        }
    }
}
