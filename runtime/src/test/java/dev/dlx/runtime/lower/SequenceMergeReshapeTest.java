package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.dlx.runtime.testing.Reference;
import dev.dlx.runtime.testing.Reference.Array;
import dev.dlx.runtime.testing.Run;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat64;

class SequenceMergeReshapeTest {

    @Test
    void embeddingLooksUpRows() {
        try (Run<TFloat64> run = Run.of("model M(tokens [3]) { embedding 4 2 }", TFloat64.class)) {
            run.set("embedding_1/embeddings", 0, 1, 10, 11, 20, 21, 30, 31);
            assertArrayEquals(new double[] {30, 31, 0, 1, 30, 31, 10, 11, 20, 21, 20, 21},
                run.forward(false, new double[] {3, 0, 3, 1, 2, 2}), 0);
        }
    }

    /** softmax(q kᵀ / s) v for one sample, with an optional causal mask. */
    static double[] attention(double[][] q, double[][] k, double[][] v, double scale, boolean causal) {
        double[] out = new double[q.length * v[0].length];
        for (int i = 0; i < q.length; i++) {
            double[] e = new double[k.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k.length; j++) {
                for (int d = 0; d < q[i].length; d++) e[j] += q[i][d] * k[j][d] / scale;
                if (causal && j > i) e[j] = Double.NEGATIVE_INFINITY;
                max = Math.max(max, e[j]);
            }
            double sum = 0;
            for (int j = 0; j < k.length; j++) sum += e[j] = Math.exp(e[j] - max);
            for (int j = 0; j < k.length; j++) {
                for (int d = 0; d < v[0].length; d++) out[i * v[0].length + d] += e[j] / sum * v[j][d];
            }
        }
        return out;
    }

    static double[][] rows(double[] flat, int offset, int n, int d) {
        double[][] m = new double[n][d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) m[i][j] = flat[offset + i * d + j];
        return m;
    }

    @Test
    void selfAttentionScaledAndCausal() {
        Random r = new Random(9);
        double[] x = new double[2 * 4 * 3];
        for (int i = 0; i < x.length; i++) x[i] = 2 * r.nextDouble() - 1;
        for (String attrs : new String[] {"", "score scaled_dot", "causal", "score scaled_dot causal"}) {
            try (Run<TFloat64> run = Run.of("model M(x [4, 3]) { attention " + attrs + " }", TFloat64.class)) {
                double scale = attrs.contains("scaled") ? Math.sqrt(3) : 1;
                double[] expected = new double[x.length];
                for (int s = 0; s < 2; s++) {
                    double[][] m = rows(x, s * 12, 4, 3);
                    System.arraycopy(attention(m, m, m, scale, attrs.contains("causal")), 0, expected, s * 12, 12);
                }
                assertArrayEquals(expected, run.forward(false, x), 1e-12, attrs);
            }
        }
    }

    @Test
    void attentionFromQueriesToKeysAndValues() {
        Random r = new Random(4);
        double[] q = new double[3 * 2];
        double[] v = new double[4 * 3];
        for (int i = 0; i < q.length; i++) q[i] = 2 * r.nextDouble() - 1;
        for (int i = 0; i < v.length; i++) v[i] = 2 * r.nextDouble() - 1;
        String source = "model M(q [3, 2], v [4, 3]) { let k = v -> dense 2 bias false\n attention(q, v, k, causal = true) }";
        try (Run<TFloat64> run = Run.of(source, TFloat64.class)) {
            double[] w = run.get("k/kernel");
            double[][] vm = rows(v, 0, 4, 3);
            double[][] km = new double[4][2];
            for (int i = 0; i < 4; i++) for (int j = 0; j < 2; j++) for (int f = 0; f < 3; f++) km[i][j] += vm[i][f] * w[f * 2 + j];
            assertArrayEquals(attention(rows(q, 0, 3, 2), km, vm, 1, true), run.forward(false, q, v), 1e-12);
        }
    }

    @Test
    void mergesAndConcat() {
        String branches = "let a = x -> dense 2 bias false\n let b = x -> dense 2 bias false\n";
        double[] x = {1, 2};
        // a = x [[1, 0], [0, 1]] = [1, 2]; b = x [[1, 0], [1, 1]] = [3, 2]
        double[] a = {1, 2};
        double[] b = {3, 2};
        String[] merges = {"add(a, b)", "multiply(a, b)", "average(a, b)", "maximum(a, b)", "subtract(a, b)", "concat(a, b)"};
        for (int i = 0; i < merges.length; i++) {
            try (Run<TFloat64> run = Run.of("model M(x [2]) { " + branches + merges[i] + " }", TFloat64.class)) {
                run.set("a/kernel", 1, 0, 0, 1).set("b/kernel", 1, 0, 1, 1);  // `let` names the layer
                double[] want = switch (i) {
                    case 0 -> new double[] {a[0] + b[0], a[1] + b[1]};
                    case 1 -> new double[] {a[0] * b[0], a[1] * b[1]};
                    case 2 -> new double[] {(a[0] + b[0]) / 2, (a[1] + b[1]) / 2};
                    case 3 -> new double[] {Math.max(a[0], b[0]), Math.max(a[1], b[1])};
                    case 4 -> new double[] {a[0] - b[0], a[1] - b[1]};
                    default -> new double[] {a[0], a[1], b[0], b[1]};
                };
                assertArrayEquals(want, run.forward(false, x), 1e-12, merges[i]);
            }
        }
    }

    @Test
    void concatAlongAnEarlierAxis() {
        try (Run<TFloat64> run = Run.of("model M(x [2, 2]) { let a = x -> linear\n let b = x -> relu\n concat(a, b, axis = 0) }",
                TFloat64.class)) {
            assertArrayEquals(new double[] {1, -2, 3, -4, 1, 0, 3, 0}, run.forward(false, new double[] {1, -2, 3, -4}), 0);
        }
    }

    @Test
    void flattenAndReshapeKeepRowMajorOrder() {
        double[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        try (Run<TFloat64> run = Run.of("model M(x [2, 3, 2]) { flatten -> reshape [?, 4] }", TFloat64.class)) {
            assertArrayEquals(x, run.forward(false, x), 0);
        }
    }

    @Test
    void zeropadAndUpsample() {
        double[] x = {1, 2, 3, 4};  // [2, 2, 1]
        try (Run<TFloat64> run = Run.of("model M(x [2, 2, 1]) { zeropad 1x0 }", TFloat64.class)) {
            assertArrayEquals(new double[] {0, 0, 1, 2, 3, 4, 0, 0}, run.forward(false, x), 0);
        }
        try (Run<TFloat64> run = Run.of("model M(x [2, 2, 1]) { upsample 2x3 }", TFloat64.class)) {
            assertArrayEquals(new double[] {
                1, 1, 1, 2, 2, 2,
                1, 1, 1, 2, 2, 2,
                3, 3, 3, 4, 4, 4,
                3, 3, 3, 4, 4, 4}, run.forward(false, x), 0);
        }
        Random r = new Random(2);
        Array in = ConvLoweringTest.random(r, 2, 2, 3, 2, 2);
        try (Run<TFloat64> run = Run.of("model M(x [2, 3, 2, 2]) { upsample 2x1x3 }", TFloat64.class)) {
            assertArrayEquals(Reference.upsample(in, new int[] {2, 1, 3}).data(), run.forward(false, in.data()), 0);
        }
        Array seq = ConvLoweringTest.random(r, 2, 3, 2);
        try (Run<TFloat64> run = Run.of("model M(x [3, 2]) { upsample 2 }", TFloat64.class)) {
            assertArrayEquals(Reference.upsample(seq, new int[] {2}).data(), run.forward(false, seq.data()), 0);
        }
    }
}
