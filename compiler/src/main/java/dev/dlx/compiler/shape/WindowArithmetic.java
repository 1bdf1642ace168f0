package dev.dlx.compiler.shape;

/**
 * The output-size formulas of convolution and pooling, in one place (the cheatsheet's
 * `O = (I - F + P_start + P_end) / S + 1`, with dilation d making the window `d(F-1) + 1` wide).
 */
public final class WindowArithmetic {
    private WindowArithmetic() {}

    /** Padding added before and after one axis of length {@code in}. */
    public static long[] pads(long in, int kernel, int stride, int dilation, Padding padding, int axis) {
        long window = (long) dilation * (kernel - 1) + 1;
        return switch (padding.mode()) {
            case VALID -> new long[] {0, 0};
            case SAME -> {
                // P_start = floor((S ceil(I/S) - I + F - S) / 2), P_end = ceil(...): output ceil(I/S)
                long total = Math.max(0, (ceilDiv(in, stride) - 1) * stride + window - in);
                yield new long[] {total / 2, total - total / 2};
            }
            case FULL -> new long[] {window - 1, window - 1};
            case EXPLICIT -> {
                long p = padding.explicitAt(axis);
                yield new long[] {p, p};
            }
        };
    }

    /** Output length of one axis; zero or less when the window does not fit. */
    public static long outSize(long in, int kernel, int stride, int dilation, Padding padding, int axis) {
        long[] p = pads(in, kernel, stride, dilation, padding, axis);
        long window = (long) dilation * (kernel - 1) + 1;
        long span = in + p[0] + p[1] - window;
        if (span < 0) return 0;
        return Math.floorDiv(span, stride) + 1;
    }

    static long ceilDiv(long a, long b) { return -Math.floorDiv(-a, b); }
}
