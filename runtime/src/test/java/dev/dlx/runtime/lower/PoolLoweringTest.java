package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.dlx.compiler.shape.Padding;
import dev.dlx.runtime.testing.Reference;
import dev.dlx.runtime.testing.Reference.Array;
import dev.dlx.runtime.testing.Run;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.types.TFloat64;

class PoolLoweringTest {

    @Test
    void maxAndAveragePoolOf4x4ByHand() {
        try (Run<TFloat64> max = Run.of("model M(x [4, 4, 1]) { maxpool 2 }", TFloat64.class);
             Run<TFloat64> avg = Run.of("model M(x [4, 4, 1]) { avgpool 2 }", TFloat64.class)) {
            assertArrayEquals(new double[] {6, 8, 14, 16}, max.forward(false, ConvLoweringTest.IMAGE), 0);
            assertArrayEquals(new double[] {3.5, 5.5, 11.5, 13.5}, avg.forward(false, ConvLoweringTest.IMAGE), 1e-12);
        }
    }

    /** `MaxPool` with its window as attributes: oneDNN replaces it and its gradient; `MaxPoolV2` it does not. */
    @Test
    void maxPoolingIsTheOpOneDnnReplaces() {
        try (Run<org.tensorflow.types.TFloat32> max = Run.of("model M(x [4, 4, 1]) { maxpool 2 }", org.tensorflow.types.TFloat32.class)) {
            java.util.List<String> types = new java.util.ArrayList<>();
            max.graph.graph().operations().forEachRemaining(o -> types.add(o.type()));
            org.junit.jupiter.api.Assertions.assertTrue(types.contains("MaxPool") && !types.contains("MaxPoolV2"), types.toString());
        }
    }

    /**
     * maxpool(relu(z)) is computed as relu(maxpool(z)): the same values (windows wholly negative
     * give 0, a window's largest positive value is kept), with the relu on the pooled tensor.
     */
    @Test
    void aMaxPoolOfAReluPoolsFirst() {
        double[] z = {-1, -2, 3, -4, -5, -6, 7, 8, 0, 1, -2, -3, -9, -1, -1, -7};   // 4x4: windows {-1,-2,-5,-6}, {3,-4,7,8}, {0,1,-9,-1}, {-2,-3,-1,-7}
        try (Run<TFloat64> run = Run.of("model M(x [4, 4, 1]) { relu\n maxpool 2 }", TFloat64.class)) {
            assertArrayEquals(new double[] {0, 8, 1, 0}, run.forward(false, z), 0);
            org.tensorflow.GraphOperation out = (org.tensorflow.GraphOperation) run.graph.output().op();
            org.junit.jupiter.api.Assertions.assertEquals("Relu", out.type(), "the relu comes last");
            org.junit.jupiter.api.Assertions.assertEquals("MaxPool", ((org.tensorflow.GraphOperation) out.input(0).op()).type());
            org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(-1L, 2L, 2L, 1L), java.util.Arrays.stream(out.output(0).shape().asArray()).boxed().toList(),
                "the relu runs on the pooled values");
        }
    }

    @Test
    void samePaddingIsLeftOutOfTheAverage() {
        double[] image = {1, 2, 3, 4, 5, 6, 7, 8, 9};  // 3x3; output 2x2, one padded row and column at the end
        try (Run<TFloat64> max = Run.of("model M(x [3, 3, 1]) { maxpool 2 padding same }", TFloat64.class);
             Run<TFloat64> avg = Run.of("model M(x [3, 3, 1]) { avgpool 2 padding same }", TFloat64.class)) {
            assertArrayEquals(new double[] {5, 6, 8, 9}, max.forward(false, image), 0);
            assertArrayEquals(new double[] {(1 + 2 + 4 + 5) / 4.0, (3 + 6) / 2.0, (7 + 8) / 2.0, 9}, avg.forward(false, image), 1e-12);
        }
    }

    @Test
    void globalPoolsReduceEverySpatialAxis() {
        double[] x = {1, -1, 2, -2, 3, -3, 4, -4};  // [2, 2, 2]: channel 0 is 1..4, channel 1 is -1..-4
        try (Run<TFloat64> max = Run.of("model M(x [2, 2, 2]) { global_maxpool }", TFloat64.class);
             Run<TFloat64> avg = Run.of("model M(x [2, 2, 2]) { global_avgpool }", TFloat64.class)) {
            assertArrayEquals(new double[] {4, -1}, max.forward(false, x), 0);
            assertArrayEquals(new double[] {2.5, -2.5}, avg.forward(false, x), 1e-12);
        }
    }

    @ParameterizedTest(name = "{0} {1} size {2} stride {3} {4}")
    @CsvSource({
        "maxpool, 7x2, 2, 2, same",
        "avgpool, 7x2, 3, 2, valid",
        "avgpool, 8x1, 3, 2, same",
        "maxpool, 5x5x2, 3x3, 2x2, same",
        "avgpool, 5x6x2, 2x3, 1x2, same",
        "maxpool, 5x4x4x2, 2x2x2, 2x2x2, same",
        "avgpool, 5x3x4x2, 3x3x3, 2x2x2, same",
        "avgpool, 4x4x4x1, 2x2x2, 2x2x2, valid",
        "maxpool, 6x5x5x1, 3x2x2, 2x1x2, valid",
        "avgpool, 6x5x4x2, 2x3x2, 3x2x1, same"})
    void poolsMatchTheReference(String kind, String in, String size, String stride, String pad) {
        int[] shape = ConvLoweringTest.ints(in);
        int axes = shape.length - 1;
        String source = "model M(x [" + in.replace("x", ", ") + "]) { " + kind + " " + size + " stride " + stride
            + " padding " + pad + " }";
        try (Run<TFloat64> run = Run.of(source, TFloat64.class)) {
            int[] xshape = new int[axes + 2];
            xshape[0] = 2;
            System.arraycopy(shape, 0, xshape, 1, axes + 1);
            Array x = ConvLoweringTest.random(new Random(5), xshape);
            Array expected = Reference.pool(x, ConvLoweringTest.ints(size), ConvLoweringTest.ints(stride),
                pad.equals("same") ? Padding.SAME : Padding.VALID, kind.equals("maxpool"));
            assertArrayEquals(expected.data(), run.forward(false, x.data()), 1e-12);
        }
    }
}
