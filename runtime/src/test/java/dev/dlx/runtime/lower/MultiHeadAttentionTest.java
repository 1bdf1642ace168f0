package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dlx.runtime.testing.Run;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat64;

/** `multihead_attention` against a direct computation, its causal mask and its padding mask. */
class MultiHeadAttentionTest {

    /**
     * One example: x_q [Tq, dq], x_v [Tk, dv], x_k [Tk, dk]; kernels flat in Keras's layout
     * ([d_in, H, D], output [H, V, d]), biases [H, D] and [d]; keys with keep[j] = 0 are left out.
     */
    static double[][] reference(double[][] xq, double[][] xv, double[][] xk, double[] wq, double[] bq, double[] wk, double[] bk,
                                double[] wv, double[] bv, double[] wo, double[] bo, int h, int d, int v, boolean causal,
                                double[] keep) {
        int tq = xq.length, tk = xk.length, dm = xq[0].length;
        double[][] out = new double[tq][dm];
        for (int t = 0; t < tq; t++) out[t] = bo.clone();
        for (int head = 0; head < h; head++) {
            double[][] q = project(xq, wq, bq, h, head, d), k = project(xk, wk, bk, h, head, d), vv = project(xv, wv, bv, h, head, v);
            for (int i = 0; i < tq; i++) {
                double[] e = new double[tk];
                double max = Double.NEGATIVE_INFINITY;
                boolean any = false;
                for (int j = 0; j < tk; j++) {
                    boolean seen = (!causal || j <= i) && (keep == null || keep[j] != 0);
                    for (int a = 0; a < d; a++) e[j] += q[i][a] * k[j][a] / Math.sqrt(d);
                    if (!seen) e[j] = Double.NEGATIVE_INFINITY;
                    else any = true;
                    max = Math.max(max, e[j]);
                }
                if (!any) continue;                       // nothing to attend to: a zero context
                double sum = 0;
                for (int j = 0; j < tk; j++) sum += e[j] = Math.exp(e[j] - max);
                double[] c = new double[v];
                for (int j = 0; j < tk; j++) for (int a = 0; a < v; a++) c[a] += e[j] / sum * vv[j][a];
                for (int a = 0; a < v; a++) for (int m = 0; m < dm; m++) out[i][m] += c[a] * wo[(head * v + a) * dm + m];
            }
        }
        return out;
    }

    private static double[][] project(double[][] x, double[] w, double[] b, int h, int head, int size) {
        double[][] y = new double[x.length][size];
        for (int t = 0; t < x.length; t++) {
            for (int a = 0; a < size; a++) {
                double s = b[head * size + a];
                for (int i = 0; i < x[t].length; i++) s += x[t][i] * w[(i * h + head) * size + a];
                y[t][a] = s;
            }
        }
        return y;
    }

    private static double[] random(Random r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = 2 * r.nextDouble() - 1;
        return x;
    }

    private static double[] flat(double[][]... examples) {
        return Arrays.stream(examples).flatMap(Arrays::stream).flatMapToDouble(Arrays::stream).toArray();
    }

    private static double[][] example(double[] flat, int index, int t, int d) {
        return SequenceMergeReshapeTest.rows(flat, index * t * d, t, d);
    }

    @Test
    void selfAttentionEqualsTheDirectComputation() {
        for (boolean causal : new boolean[] {false, true}) {
            String source = "model M(x [3, 4]) { multihead_attention 2 3 value_dim 2" + (causal ? " causal" : "") + " }";
            try (Run<TFloat64> run = Run.of(source, TFloat64.class)) {
                run.randomizeWeights(11);
                double[] x = random(new Random(5), 2 * 3 * 4);
                String l = "multihead_attention_1/";
                double[] expected = new double[0];
                for (int b = 0; b < 2; b++) {
                    double[][] xb = example(x, b, 3, 4);
                    expected = concat(expected, flat(reference(xb, xb, xb, run.get(l + "query_kernel"), run.get(l + "query_bias"),
                        run.get(l + "key_kernel"), run.get(l + "key_bias"), run.get(l + "value_kernel"), run.get(l + "value_bias"),
                        run.get(l + "output_kernel"), run.get(l + "output_bias"), 2, 3, 2, causal, null)));
                }
                assertArrayEquals(expected, run.forward(false, x), 1e-12, source);
            }
        }
    }

    @Test
    void crossAttentionTakesQueryValueKeyInKerasOrder() {
        String source = "model M(q [2, 4], v [3, 5], k [3, 6]) { multihead_attention(q, v, k, heads = 3, key_dim = 2) }";
        try (Run<TFloat64> run = Run.of(source, TFloat64.class)) {
            run.randomizeWeights(4);
            Random r = new Random(6);
            double[] q = random(r, 2 * 4), v = random(r, 3 * 5), k = random(r, 3 * 6);
            String l = "multihead_attention_1/";
            double[] expected = flat(reference(example(q, 0, 2, 4), example(v, 0, 3, 5), example(k, 0, 3, 6),
                run.get(l + "query_kernel"), run.get(l + "query_bias"), run.get(l + "key_kernel"), run.get(l + "key_bias"),
                run.get(l + "value_kernel"), run.get(l + "value_bias"), run.get(l + "output_kernel"), run.get(l + "output_bias"),
                3, 2, 2, false, null));
            assertArrayEquals(expected, run.forward(false, q, v, k), 1e-12);
        }
    }

    /** Changing the inputs after step t leaves the outputs up to t as they were, and changing step t moves output t. */
    @Test
    void causalOutputsDoNotSeeLaterSteps() {
        try (Run<TFloat64> run = Run.of("model M(x [5, 3]) { dense 4 -> multihead_attention 2 2 causal -> dense 3 }", TFloat64.class)) {
            run.randomizeWeights(21);
            double[] x = random(new Random(8), 5 * 3);
            double[] before = run.forward(false, x);
            for (int t = 0; t < 5; t++) {
                double[] later = x.clone();
                Random r = new Random(100 + t);
                for (int i = (t + 1) * 3; i < later.length; i++) later[i] = 5 * (2 * r.nextDouble() - 1);
                double[] after = run.forward(false, later);
                assertArrayEquals(Arrays.copyOf(before, (t + 1) * 3), Arrays.copyOf(after, (t + 1) * 3), 1e-12, "steps <= " + t);
                double[] here = x.clone();
                here[t * 3] += 1;
                assertFalse(Arrays.equals(Arrays.copyOfRange(before, t * 3, t * 3 + 3),
                    Arrays.copyOfRange(run.forward(false, here), t * 3, t * 3 + 3)), "step " + t + " sees itself");
            }
        }
        // without `causal` the first step sees the last one
        try (Run<TFloat64> run = Run.of("model M(x [5, 3]) { dense 4 -> multihead_attention 2 2 -> dense 3 }", TFloat64.class)) {
            run.randomizeWeights(21);
            double[] x = random(new Random(8), 5 * 3);
            double[] later = x.clone();
            later[14] += 1;
            assertFalse(Arrays.equals(Arrays.copyOf(run.forward(false, x), 3), Arrays.copyOf(run.forward(false, later), 3)));
        }
    }

    @Test
    void paddedKeyStepsAreLeftOut() {
        double[] ids = {4, 2, 6, 0, 0, 0, 0, 0, 0, 0};                 // 3 real steps, then an all-padding sequence
        try (Run<TFloat64> run = Run.of("model M(tokens [5]) { embedding 7 4 mask_zero -> multihead_attention 2 3 }", TFloat64.class)) {
            run.randomizeWeights(3);
            double[] e = run.get("embedding_1/embeddings");
            double[][] x = new double[5][];
            for (int t = 0; t < 5; t++) x[t] = Arrays.copyOfRange(e, (int) ids[t] * 4, (int) ids[t] * 4 + 4);
            String l = "multihead_attention_1/";
            double[][] expected = reference(x, x, x, run.get(l + "query_kernel"), run.get(l + "query_bias"), run.get(l + "key_kernel"),
                run.get(l + "key_bias"), run.get(l + "value_kernel"), run.get(l + "value_bias"), run.get(l + "output_kernel"),
                run.get(l + "output_bias"), 2, 3, 3, false, new double[] {1, 1, 1, 0, 0});
            double[] y = run.forward(false, ids);
            assertArrayEquals(Arrays.copyOf(flat(expected), 12), Arrays.copyOf(y, 12), 1e-12);
            // all keys padding: a zero context, so every step is the output bias
            double[] bias = run.get(l + "output_bias");
            for (int i = 20; i < 40; i++) assertEquals(bias[i % 4], y[i], 1e-12);
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
