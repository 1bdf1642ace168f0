package dev.dlx.runtime.run;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * Descent on values kept in the box [0, 1] (pixels from black to white): Adam, or L-BFGS with the
 * box as a projection. Each takes the point, its objective and gradient, and returns the next
 * point with its own (evaluated by {@code at}).
 */
abstract class BoxDescent {
    /** A point, its objective and the objective's gradient there; {@code value} whatever the caller keeps with it. */
    record Point<V>(float[] x, double objective, float[] gradient, V value) {}

    abstract <V> Point<V> step(Point<V> from, Function<float[], Point<V>> at);

    static float clamp(double v) { return (float) Math.max(0, Math.min(1, v)); }

    /** Adam (Kingma and Ba) with step size {@code rate}, each value clamped to the box after its step. */
    static final class Adam extends BoxDescent {
        private final double rate;
        private double[] m, v;
        private int t;

        Adam(double rate) { this.rate = rate; }

        @Override <V> Point<V> step(Point<V> from, Function<float[], Point<V>> at) {
            float[] x = from.x().clone(), g = from.gradient();
            if (m == null) {
                m = new double[x.length];
                v = new double[x.length];
            }
            t++;
            double b1 = 0.9, b2 = 0.999, c1 = 1 - Math.pow(b1, t), c2 = 1 - Math.pow(b2, t);
            for (int i = 0; i < x.length; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * (double) g[i];
                x[i] = clamp(x[i] - rate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
            }
            return at.apply(x);
        }
    }

    /**
     * L-BFGS (Nocedal) over the last {@link #MEMORY} steps: the two-loop direction, without the
     * values held at a bound it points out of, and a backtracking line search on the projected
     * point until the objective falls by a share of the directional derivative (Armijo). Its
     * first step is at most {@code rate} on any value; a direction that does not descend starts
     * the memory afresh along the gradient.
     */
    static final class Lbfgs extends BoxDescent {
        static final int MEMORY = 10, HALVINGS = 20;
        private final double rate;
        private final Deque<double[][]> pairs = new ArrayDeque<>();

        Lbfgs(double rate) { this.rate = rate; }

        @Override <V> Point<V> step(Point<V> from, Function<float[], Point<V>> at) {
            float[] x = from.x(), g = from.gradient();
            int n = x.length;
            double[] d = direction(g);
            boolean fresh = pairs.isEmpty();
            if (free(x, d, g) >= 0) {
                pairs.clear();
                fresh = true;
                for (int i = 0; i < n; i++) d[i] = -g[i];
                free(x, d, g);
            }
            double t = 1;
            if (fresh) {
                double largest = 0;
                for (double v : d) largest = Math.max(largest, Math.abs(v));
                t = largest == 0 ? 0 : rate / largest;
            }
            for (int k = 0; k <= HALVINGS && t > 0; k++, t /= 2) {
                float[] y = new float[n];
                double change = 0;
                for (int i = 0; i < n; i++) {
                    y[i] = clamp(x[i] + t * d[i]);
                    change += g[i] * (double) (y[i] - x[i]);
                }
                Point<V> next = at.apply(y);
                if (next.objective() <= from.objective() + 1e-4 * change) {
                    remember(x, g, next);
                    return next;
                }
            }
            pairs.clear();
            return from;
        }

        /** Zeroes the direction where the value sits at a bound and the direction points out; the directional derivative. */
        private static double free(float[] x, double[] d, float[] g) {
            double slope = 0;
            for (int i = 0; i < x.length; i++) {
                if ((x[i] <= 0 && d[i] < 0) || (x[i] >= 1 && d[i] > 0)) d[i] = 0;
                slope += d[i] * g[i];
            }
            return slope;
        }

        /** -H g by the two-loop recursion, H from the remembered (s, y) pairs (the newest first). */
        private double[] direction(float[] g) {
            int n = g.length;
            double[] q = new double[n];
            for (int i = 0; i < n; i++) q[i] = g[i];
            double[] alphas = new double[pairs.size()];
            int k = 0;
            for (double[][] p : pairs) {
                alphas[k] = p[2][0] * dot(p[0], q);
                for (int i = 0; i < n; i++) q[i] -= alphas[k] * p[1][i];
                k++;
            }
            if (!pairs.isEmpty()) {
                double[][] newest = pairs.peekFirst();
                double gamma = dot(newest[0], newest[1]) / dot(newest[1], newest[1]);
                for (int i = 0; i < n; i++) q[i] *= gamma;
            }
            var oldest = pairs.descendingIterator();
            k = pairs.size() - 1;
            while (oldest.hasNext()) {
                double[][] p = oldest.next();
                double beta = p[2][0] * dot(p[1], q);
                for (int i = 0; i < n; i++) q[i] += p[0][i] * (alphas[k] - beta);
                k--;
            }
            for (int i = 0; i < n; i++) q[i] = -q[i];
            return q;
        }

        private void remember(float[] x, float[] g, Point<?> next) {
            int n = x.length;
            double[] s = new double[n], y = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = next.x()[i] - x[i];
                y[i] = next.gradient()[i] - g[i];
            }
            double sy = dot(s, y);
            if (sy <= 1e-12) return;
            pairs.addFirst(new double[][] {s, y, {1 / sy}});
            if (pairs.size() > MEMORY) pairs.removeLast();
        }

        private static double dot(double[] a, double[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) s += a[i] * b[i];
            return s;
        }
    }
}
