package dev.dlx.runtime.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.compiler.train.Loss;
import dev.dlx.runtime.graph.Tensors;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

class LossesTest {
    static final double[] P = {0.7, 0.2, 0.1, 0.1, 0.1, 0.8};   // two samples, three classes
    static final double[] Y = {1, 0, 0, 0, 0, 1};

    static double value(Loss loss, double smoothing, boolean logits, double[] p, long[] pShape, double[] y, long[] yShape) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            try (TFloat64 pt = Tensors.of(TFloat64.class, pShape, p); TFloat64 yt = Tensors.of(TFloat64.class, yShape, y)) {
                Operand<TFloat64> l = Losses.build(tf, loss, smoothing, logits, 1.0, tf.constant(pt), tf.constant(yt));
                try (Result r = s.runner().fetch(l).run()) {
                    return Tensors.scalar(r.get(0));
                }
            }
        }
    }

    static final long[] SHAPE = {2, 3};

    @Test
    void categoricalCrossEntropy() {
        assertEquals(-(Math.log(0.7) + Math.log(0.8)) / 2, value(Loss.CATEGORICAL_CROSSENTROPY, 0, false, P, SHAPE, Y, SHAPE), 1e-12);
        // smoothing 0.3 over 3 classes: targets 0.8 / 0.1 / 0.1
        double smooth = -(0.8 * Math.log(0.7) + 0.1 * Math.log(0.2) + 0.1 * Math.log(0.1)
            + 0.1 * Math.log(0.1) + 0.1 * Math.log(0.1) + 0.8 * Math.log(0.8)) / 2;
        assertEquals(smooth, value(Loss.CATEGORICAL_CROSSENTROPY, 0.3, false, P, SHAPE, Y, SHAPE), 1e-12);
        double[] z = {2, 1, 0, 0, 0, 3};
        double lse0 = Math.log(Math.exp(2) + Math.exp(1) + 1);
        double lse1 = Math.log(2 + Math.exp(3));
        assertEquals(((lse0 - 2) + (lse1 - 3)) / 2, value(Loss.CATEGORICAL_CROSSENTROPY, 0, true, z, SHAPE, Y, SHAPE), 1e-12);
    }

    @Test
    void sparseCategoricalTakesClassIndices() {
        double expected = -(Math.log(0.7) + Math.log(0.8)) / 2;
        assertEquals(expected, value(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, 0, false, P, SHAPE, new double[] {0, 2}, new long[] {2}), 1e-12);
        assertEquals(expected, value(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, 0, false, P, SHAPE, new double[] {0, 2}, new long[] {2, 1}), 1e-12);
    }

    @Test
    void binaryCrossEntropyClipsAndTakesLogits() {
        double[] p = {0.9, 0.2, 0, 1};
        double[] y = {1, 0, 0, 0};
        long[] shape = {4, 1};
        double eps = Losses.EPSILON;
        double expected = -(Math.log(0.9) + Math.log(0.8) + Math.log(1 - eps) + Math.log(eps)) / 4;
        assertEquals(expected, value(Loss.BINARY_CROSSENTROPY, 0, false, p, shape, y, shape), 1e-9);
        double[] z = {2, -1, 0, 3};
        double logits = 0;
        for (int i = 0; i < 4; i++) {
            double q = 1 / (1 + Math.exp(-z[i]));
            logits -= y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
        }
        assertEquals(logits / 4, value(Loss.BINARY_CROSSENTROPY, 0, true, z, shape, y, shape), 1e-12);
    }

    @Test
    void regressionLosses() {
        double[] p = {1, 2, 3, 4};
        double[] y = {1.5, 0, 3, 7};
        long[] shape = {2, 2};
        assertEquals((0.25 + 4 + 0 + 9) / 4, value(Loss.MSE, 0, false, p, shape, y, shape), 1e-12);
        assertEquals((0.5 + 2 + 0 + 3) / 4, value(Loss.MAE, 0, false, p, shape, y, shape), 1e-12);
        // delta 1: 0.5 e^2 below 1, |e| - 0.5 above
        assertEquals((0.125 + 1.5 + 0 + 2.5) / 4, value(Loss.HUBER, 0, false, p, shape, y, shape), 1e-12);
    }
}
