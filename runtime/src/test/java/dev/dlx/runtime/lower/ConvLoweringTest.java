package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.dlx.compiler.shape.Padding;
import dev.dlx.runtime.testing.Reference;
import dev.dlx.runtime.testing.Reference.Array;
import dev.dlx.runtime.testing.Run;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.types.TFloat64;

class ConvLoweringTest {
    /** 1..16 as a 4x4 single-channel image. */
    static final double[] IMAGE = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    /** Two 3x3 filters, [3, 3, 1, 2] row-major: Sobel-x (1 0 -1 / 2 0 -2 / 1 0 -1) and all ones. */
    static final double[] KERNEL = {
        1, 1, 0, 1, -1, 1,
        2, 1, 0, 1, -2, 1,
        1, 1, 0, 1, -1, 1};

    @Test
    void conv2dValidStride2ByHand() {
        try (Run<TFloat64> run = Run.of("model M(x [4, 4, 1]) { conv 2 3 stride 2 }", TFloat64.class)) {
            run.set("conv_1/kernel", KERNEL).set("conv_1/bias", 0.5, -1);
            // one window, rows and columns 0..2: Sobel (1-3) + 2(5-7) + (9-11) = -8; ones 1+2+3+5+6+7+9+10+11 = 54
            assertArrayEquals(new double[] {-8 + 0.5, 54 - 1}, run.forward(false, IMAGE), 1e-12);
        }
    }

    @Test
    void conv2dSameStride2ByHand() {
        try (Run<TFloat64> run = Run.of("model M(x [4, 4, 1]) { conv 2 3 stride 2 padding same }", TFloat64.class)) {
            run.set("conv_1/kernel", KERNEL).set("conv_1/bias", 0, 0);
            // output ceil(4/2) = 2; padding T = (2-1)2 + 3 - 4 = 1: none before, one zero row/column after;
            // windows start at rows/columns 0 and 2
            double[] expected = {
                -8, 54,                    // rows 0..2, columns 0..2
                3 + 2 * 7 + 11, 45,        // columns 2, 3 and the zero padding: Sobel 3 + 14 + 11
                (9 - 11) + 2 * (13 - 15), 72,
                11 + 2 * 15, 54};
            assertArrayEquals(expected, run.forward(false, IMAGE), 1e-12);
        }
    }

    static Array random(Random r, int... shape) {
        double[] d = new double[Reference.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = 2 * r.nextDouble() - 1;
        return new Array(d, shape);
    }

    static int[] ints(String sizes) { return java.util.Arrays.stream(sizes.split("x")).mapToInt(Integer::parseInt).toArray(); }

    static Padding padding(String word) {
        return switch (word) {
            case "valid" -> Padding.VALID;
            case "same" -> Padding.SAME;
            case "full" -> Padding.FULL;
            default -> Padding.explicit(List.of(Integer.parseInt(word)));
        };
    }

    /** Convolutions of every rank against the reference: input, kernel, stride, dilation, padding. */
    @ParameterizedTest(name = "conv {0} kernel {1} stride {2} dilation {3} padding {4}")
    @CsvSource({
        "7x2, 3, 2, 1, same",
        "9x2, 3, 1, 2, valid",
        "5x2, 3, 1, 1, full",
        "6x1, 2, 3, 1, 1",
        "5x5x2, 3x3, 2x2, 1x1, same",
        "6x5x2, 2x3, 2x1, 1x1, valid",
        "7x7x1, 3x3, 1x1, 2x2, 1",
        "6x6x2, 3x2, 2x2, 2x1, same",
        "4x4x2, 2x2, 1x1, 1x1, full",
        "5x4x4x2, 3x3x3, 2x2x2, 1x1x1, same",
        "5x5x5x1, 2x2x2, 1x1x1, 2x1x1, valid",
        "4x5x3x2, 2x3x2, 1x2x1, 1x1x1, 1",
        "3x3x3x1, 2x2x2, 1x1x1, 1x1x1, full"})
    void convMatchesTheReference(String in, String kernel, String stride, String dilation, String pad) {
        int[] shape = ints(in);
        int axes = shape.length - 1;
        int[] k = ints(kernel);
        int filters = 3;
        String source = "model M(x [" + in.replace("x", ", ") + "]) { conv " + filters + " " + kernel + " stride " + stride
            + " dilation " + dilation + " padding " + pad + " }";
        try (Run<TFloat64> run = Run.of(source, TFloat64.class)) {
            Random r = new Random(7);
            int[] kshape = new int[axes + 2];
            System.arraycopy(k, 0, kshape, 0, axes);
            kshape[axes] = shape[axes];
            kshape[axes + 1] = filters;
            Array w = random(r, kshape);
            double[] bias = random(r, filters).data();
            int[] xshape = new int[axes + 2];
            xshape[0] = 2;
            System.arraycopy(shape, 0, xshape, 1, axes + 1);
            Array x = random(r, xshape);
            run.set("conv_1/kernel", w.data()).set("conv_1/bias", bias);
            double[] expected = Reference.conv(x, w, ints(stride), ints(dilation), padding(pad), false).data().clone();
            for (int i = 0; i < expected.length; i++) expected[i] += bias[i % filters];
            assertArrayEquals(expected, run.forward(false, x.data()), 1e-10);
        }
    }

    @ParameterizedTest(name = "depthwise {0} kernel {1} stride {2} dilation {3} padding {4}")
    @CsvSource({
        "7x2, 3, 2, 1, same",
        "8x2, 2, 1, 3, full",
        "6x6x2, 3x3, 1x1, 2x2, valid",
        "5x5x3, 3x3, 2x2, 1x1, same",
        "5x6x2, 2x3, 1x2, 1x1, same",
        "6x5x2, 3x2, 2x1, 1x1, 1",
        "4x4x4x2, 2x2x2, 1x1x1, 1x1x1, same",
        "5x4x5x1, 3x2x2, 2x1x2, 1x1x1, valid"})
    void depthwiseMatchesTheReference(String in, String kernel, String stride, String dilation, String pad) {
        int[] shape = ints(in);
        int axes = shape.length - 1;
        int c = shape[axes];
        int m = 2;
        String source = "model M(x [" + in.replace("x", ", ") + "]) { depthwise_conv " + kernel + " multiplier " + m
            + " stride " + stride + " dilation " + dilation + " padding " + pad + " }";
        try (Run<TFloat64> run = Run.of(source, TFloat64.class)) {
            Random r = new Random(11);
            int[] kshape = new int[axes + 2];
            System.arraycopy(ints(kernel), 0, kshape, 0, axes);
            kshape[axes] = c;
            kshape[axes + 1] = m;
            Array w = random(r, kshape);
            double[] bias = random(r, c * m).data();
            int[] xshape = new int[axes + 2];
            xshape[0] = 2;
            System.arraycopy(shape, 0, xshape, 1, axes + 1);
            Array x = random(r, xshape);
            run.set("depthwise_conv_1/depthwise_kernel", w.data()).set("depthwise_conv_1/bias", bias);
            double[] expected = Reference.conv(x, w, ints(stride), ints(dilation), padding(pad), true).data().clone();
            for (int i = 0; i < expected.length; i++) expected[i] += bias[i % (c * m)];
            assertArrayEquals(expected, run.forward(false, x.data()), 1e-10);
        }
    }

    @ParameterizedTest(name = "separable {0} kernel {1} stride {2}")
    @CsvSource({"8x2, 3, 1, valid", "6x6x2, 3x3, 2x2, same", "5x5x4x2, 2x2x2, 1x1x1, same"})
    void separableIsDepthwiseThenPointwise(String in, String kernel, String stride, String pad) {
        int[] shape = ints(in);
        int axes = shape.length - 1;
        int c = shape[axes];
        int m = 2;
        int filters = 3;
        String source = "model M(x [" + in.replace("x", ", ") + "]) { separable_conv " + filters + " " + kernel
            + " multiplier " + m + " stride " + stride + " padding " + pad + " }";
        try (Run<TFloat64> run = Run.of(source, TFloat64.class)) {
            Random r = new Random(3);
            int[] dshape = new int[axes + 2];
            System.arraycopy(ints(kernel), 0, dshape, 0, axes);
            dshape[axes] = c;
            dshape[axes + 1] = m;
            int[] pshape = new int[axes + 2];
            java.util.Arrays.fill(pshape, 1);
            pshape[axes] = c * m;
            pshape[axes + 1] = filters;
            Array dw = random(r, dshape);
            Array pw = random(r, pshape);
            double[] bias = random(r, filters).data();
            int[] xshape = new int[axes + 2];
            xshape[0] = 2;
            System.arraycopy(shape, 0, xshape, 1, axes + 1);
            Array x = random(r, xshape);
            run.set("separable_conv_1/depthwise_kernel", dw.data()).set("separable_conv_1/pointwise_kernel", pw.data())
                .set("separable_conv_1/bias", bias);
            int[] ones = new int[axes];
            java.util.Arrays.fill(ones, 1);
            Array mid = Reference.conv(x, dw, ints(stride), ones, padding(pad), true);
            double[] expected = Reference.conv(mid, pw, ones, ones, Padding.VALID, false).data().clone();
            for (int i = 0; i < expected.length; i++) expected[i] += bias[i % filters];
            assertArrayEquals(expected, run.forward(false, x.data()), 1e-10);
        }
    }
}
