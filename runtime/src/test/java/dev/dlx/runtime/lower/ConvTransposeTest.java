package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.runtime.testing.Run;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat64;

/**
 * `conv_transpose` against a direct scatter-add: each input position i adds x[i] W[k] to output
 * position `i S + k d - P_start`, over the kernel [k..., filters, C_in].
 */
class ConvTransposeTest {

    /**
     * The transposed convolution of x [batch, in..., c] by kernel [k..., f, c] plus bias, to
     * [batch, out..., f]: written as the definition, one loop over input positions and taps.
     */
    static double[] scatter(double[] x, int batch, int[] in, int c, double[] w, int[] k, int f, double[] bias,
                            int[] stride, int[] dilation, int[] start, int[] out) {
        int axes = in.length;
        int inCount = 1, outCount = 1, taps = 1;
        for (int a = 0; a < axes; a++) {
            inCount *= in[a];
            outCount *= out[a];
            taps *= k[a];
        }
        double[] y = new double[batch * outCount * f];
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < outCount; p++) for (int j = 0; j < f; j++) y[(b * outCount + p) * f + j] = bias[j];
            for (int i = 0; i < inCount; i++) {
                int[] ii = unravel(i, in);
                for (int t = 0; t < taps; t++) {
                    int[] kk = unravel(t, k);
                    int[] o = new int[axes];
                    boolean inside = true;
                    for (int a = 0; a < axes; a++) {
                        o[a] = ii[a] * stride[a] + kk[a] * dilation[a] - start[a];
                        inside &= o[a] >= 0 && o[a] < out[a];
                    }
                    if (!inside) continue;
                    int op = ravel(o, out);
                    for (int j = 0; j < f; j++) {
                        for (int ch = 0; ch < c; ch++) {
                            y[(b * outCount + op) * f + j] += x[(b * inCount + i) * c + ch] * w[(t * f + j) * c + ch];
                        }
                    }
                }
            }
        }
        return y;
    }

    private static int[] unravel(int index, int[] dims) {
        int[] r = new int[dims.length];
        for (int a = dims.length - 1; a >= 0; a--) {
            r[a] = index % dims[a];
            index /= dims[a];
        }
        return r;
    }

    private static int ravel(int[] idx, int[] dims) {
        int r = 0;
        for (int a = 0; a < dims.length; a++) r = r * dims[a] + idx[a];
        return r;
    }

    /** A case: the model, its input's spatial sizes and channels, the kernel, filters, strides, dilations, P_start, output sizes. */
    record Case(String source, int[] in, int c, int[] k, int f, int[] stride, int[] dilation, int[] start, int[] out) {}

    static final List<Case> CASES = List.of(
        // valid: O = (4 - 1) 2 + 3 = 9
        new Case("model M(x [4, 2]) { conv_transpose1d 3 3 stride 2 }",
            new int[] {4}, 2, new int[] {3}, 3, new int[] {2}, new int[] {1}, new int[] {0}, new int[] {9}),
        // same: O = I S; rows K = 3 > S = 2 crop 1 (0 before); columns K = 2 < S = 3 add output_padding 1
        new Case("model M(x [3, 4, 2]) { conv_transpose 2 3x2 stride 2x3 padding same }",
            new int[] {3, 4}, 2, new int[] {3, 2}, 2, new int[] {2, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {6, 12}),
        // same with output_padding: crops 3 / 2 = 1 each side, O = (3 - 1) 2 - 2 + 2 + 1 + 1 = 6
        new Case("model M(x [3, 3, 1]) { conv_transpose 2 3 stride 2 padding same output_padding 1 }",
            new int[] {3, 3}, 1, new int[] {3, 3}, 2, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, new int[] {6, 6}),
        // dilation 2 (K' = 3), an amount of 1: O = (3 - 1) 2 - 2 + 2 + 1 = 5
        new Case("model M(x [3, 2]) { conv_transpose 2 2 stride 2 dilation 2 padding 1 }",
            new int[] {3}, 2, new int[] {2}, 2, new int[] {2}, new int[] {2}, new int[] {1}, new int[] {5}),
        // 3D same: O = I S on every axis; the stride-1 axis crops K - 1 = 1 (0 before)
        new Case("model M(x [2, 2, 3, 1]) { conv_transpose3d 2 2 stride 2x1x2 padding same }",
            new int[] {2, 2, 3}, 1, new int[] {2, 2, 2}, 2, new int[] {2, 1, 2}, new int[] {1, 1, 1}, new int[] {0, 0, 0},
            new int[] {4, 2, 6}));

    @Test
    void equalsTheScatterAddDefinition() {
        Random r = new Random(3);
        for (Case c : CASES) {
            try (Run<TFloat64> run = Run.of(c.source(), TFloat64.class)) {
                run.randomizeWeights(7);
                int batch = 2, count = batch * c.c();
                for (int d : c.in()) count *= d;
                double[] x = new double[count];
                for (int i = 0; i < x.length; i++) x[i] = 2 * r.nextDouble() - 1;
                double[] expected = scatter(x, batch, c.in(), c.c(), run.get("conv_transpose_1/kernel"), c.k(), c.f(),
                    run.get("conv_transpose_1/bias"), c.stride(), c.dilation(), c.start(), c.out());
                double[] y = run.forward(false, x);
                assertEquals(expected.length, y.length, c.source());
                assertArrayEquals(expected, y, 1e-12, c.source());
            }
        }
    }

    @Test
    void aStrideTwoTransposeSpreadsOneInputByTheKernel() {
        // a single 1 at position 1 of [0, 1, 0] lands the kernel [1, 2, 3] at outputs 2, 3, 4 (= 1 * 2 + k)
        try (Run<TFloat64> run = Run.of("model M(x [3, 1]) { conv_transpose 1 3 stride 2 bias false }", TFloat64.class)) {
            run.set("conv_transpose_1/kernel", 1, 2, 3);
            assertArrayEquals(new double[] {0, 0, 1, 2, 3, 0, 0}, run.forward(false, new double[] {0, 1, 0}), 0);
            // neighbours overlap on the kernel's ends: 1 at 0 and 1 at 1 -> [1, 2, 3 + 1, 2, 3, 0, 0]
            assertArrayEquals(new double[] {1, 2, 4, 2, 3, 0, 0}, run.forward(false, new double[] {1, 1, 0}), 0);
        }
    }
}
