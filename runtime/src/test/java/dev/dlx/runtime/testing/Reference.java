package dev.dlx.runtime.testing;

import dev.dlx.compiler.shape.Padding;
import dev.dlx.compiler.shape.WindowArithmetic;

/**
 * Plain-Java reference implementations, written from the definitions (loops over every output
 * position and every window tap), for comparing lowered graphs. Arrays are flat, row-major,
 * channels last: x [N, spatial..., C].
 */
public final class Reference {
    private Reference() {}

    /** A tensor with its shape. */
    public record Array(double[] data, int[] shape) {
        int index(int... idx) {
            int i = 0;
            for (int d = 0; d < shape.length; d++) i = i * shape[d] + idx[d];
            return i;
        }
    }

    /** Spatial output sizes and paddings of a window over {@code spatial} sizes. */
    private static int[][] geometry(int[] spatial, int[] k, int[] s, int[] d, Padding p) {
        int[] out = new int[spatial.length];
        int[] before = new int[spatial.length];
        for (int i = 0; i < spatial.length; i++) {
            out[i] = (int) WindowArithmetic.outSize(spatial[i], k[i], s[i], d[i], p, i);
            before[i] = (int) WindowArithmetic.pads(spatial[i], k[i], s[i], d[i], p, i)[0];
        }
        return new int[][] {out, before};
    }

    /**
     * Convolution (cross-correlation, as every framework computes it) with zero padding. Kernel
     * [k..., C, F]; with {@code depthwise}, kernel [k..., C, m] and output channel c*m + j.
     */
    public static Array conv(Array x, Array kernel, int[] stride, int[] dilation, Padding padding, boolean depthwise) {
        int axes = x.shape.length - 2;
        int n = x.shape[0];
        int c = x.shape[axes + 1];
        int[] spatial = java.util.Arrays.copyOfRange(x.shape, 1, axes + 1);
        int[] k = java.util.Arrays.copyOfRange(kernel.shape, 0, axes);
        int outer = kernel.shape[axes + 1];
        int f = depthwise ? c * outer : outer;
        int[][] g = geometry(spatial, k, stride, dilation, padding);
        int[] out = g[0];
        int[] outShape = new int[axes + 2];
        outShape[0] = n;
        System.arraycopy(out, 0, outShape, 1, axes);
        outShape[axes + 1] = f;
        double[] y = new double[size(outShape)];
        Array result = new Array(y, outShape);
        for (int b = 0; b < n; b++) {
            for (int[] o : positions(out)) {
                for (int[] t : positions(k)) {
                    int[] at = new int[axes + 2];
                    at[0] = b;
                    boolean inside = true;
                    for (int i = 0; i < axes; i++) {
                        int pos = o[i] * stride[i] + t[i] * dilation[i] - g[1][i];
                        inside &= pos >= 0 && pos < spatial[i];
                        at[i + 1] = pos;
                    }
                    if (!inside) continue;
                    int[] ko = new int[axes + 2];
                    System.arraycopy(t, 0, ko, 0, axes);
                    int[] yo = new int[axes + 2];
                    yo[0] = b;
                    System.arraycopy(o, 0, yo, 1, axes);
                    for (int ci = 0; ci < c; ci++) {
                        at[axes + 1] = ci;
                        double xv = x.data[x.index(at)];
                        ko[axes] = ci;
                        for (int j = 0; j < outer; j++) {
                            ko[axes + 1] = j;
                            yo[axes + 1] = depthwise ? ci * outer + j : j;
                            y[result.index(yo)] += xv * kernel.data[kernel.index(ko)];
                        }
                    }
                }
            }
        }
        return result;
    }

    /** Max or average pooling; the average counts only positions inside the input. */
    public static Array pool(Array x, int[] k, int[] stride, Padding padding, boolean max) {
        int axes = x.shape.length - 2;
        int[] spatial = java.util.Arrays.copyOfRange(x.shape, 1, axes + 1);
        int[] ones = new int[axes];
        java.util.Arrays.fill(ones, 1);
        int[][] g = geometry(spatial, k, stride, ones, padding);
        int[] outShape = x.shape.clone();
        System.arraycopy(g[0], 0, outShape, 1, axes);
        Array result = new Array(new double[size(outShape)], outShape);
        int c = x.shape[axes + 1];
        for (int b = 0; b < x.shape[0]; b++) {
            for (int[] o : positions(g[0])) {
                for (int ci = 0; ci < c; ci++) {
                    double acc = max ? Double.NEGATIVE_INFINITY : 0;
                    int count = 0;
                    for (int[] t : positions(k)) {
                        int[] at = new int[axes + 2];
                        at[0] = b;
                        at[axes + 1] = ci;
                        boolean inside = true;
                        for (int i = 0; i < axes; i++) {
                            int pos = o[i] * stride[i] + t[i] - g[1][i];
                            inside &= pos >= 0 && pos < spatial[i];
                            at[i + 1] = pos;
                        }
                        if (!inside) continue;
                        double v = x.data[x.index(at)];
                        acc = max ? Math.max(acc, v) : acc + v;
                        count++;
                    }
                    int[] yo = new int[axes + 2];
                    yo[0] = b;
                    System.arraycopy(o, 0, yo, 1, axes);
                    yo[axes + 1] = ci;
                    result.data[result.index(yo)] = max ? acc : acc / count;
                }
            }
        }
        return result;
    }

    /** Nearest-neighbour upsampling by a factor per spatial axis. */
    public static Array upsample(Array x, int[] factor) {
        int axes = x.shape.length - 2;
        int[] outShape = x.shape.clone();
        for (int i = 0; i < axes; i++) outShape[i + 1] *= factor[i];
        Array result = new Array(new double[size(outShape)], outShape);
        for (int[] o : positions(outShape)) {
            int[] at = o.clone();
            for (int i = 0; i < axes; i++) at[i + 1] = o[i + 1] / factor[i];
            result.data[result.index(o)] = x.data[x.index(at)];
        }
        return result;
    }

    /** Every multi-index below {@code sizes}, in row-major order. */
    static Iterable<int[]> positions(int[] sizes) {
        java.util.List<int[]> all = new java.util.ArrayList<>();
        int total = size(sizes);
        for (int flat = 0; flat < total; flat++) {
            int[] idx = new int[sizes.length];
            int rest = flat;
            for (int d = sizes.length - 1; d >= 0; d--) {
                idx[d] = rest % sizes[d];
                rest /= sizes[d];
            }
            all.add(idx);
        }
        return all;
    }

    public static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    public static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }
}
