package dev.dlx.runtime.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dlx.compiler.train.Loss;
import dev.dlx.compiler.train.LossSpec;
import dev.dlx.runtime.graph.Tensors;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * Sparse labels at every step with padded steps (class -1, `source tagged`): each sample's loss is
 * the mean over its labelled steps alone, worked out by hand; a padded step's prediction changes nothing.
 */
class PaddedStepsLossTest {
    // two samples of three steps over two classes
    static final double[] P = {0.9, 0.1, 0.3, 0.7, 0.5, 0.5,
                               0.2, 0.8, 0.6, 0.4, 0.99, 0.01};
    static final long[] P_SHAPE = {2, 3, 2};
    static final double[] Y = {0, 1, -1,
                               1, -1, -1};
    static final long[] Y_SHAPE = {2, 3};

    static double[] run(double[] p, boolean perSample) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            try (TFloat64 pt = Tensors.of(TFloat64.class, P_SHAPE, p); TFloat64 yt = Tensors.of(TFloat64.class, Y_SHAPE, Y)) {
                Operand<TFloat64> l = perSample
                    ? Losses.perSample(tf, new LossSpec(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, 0, false, 1, null, null), tf.constant(pt), tf.constant(yt))
                    : Losses.build(tf, Loss.SPARSE_CATEGORICAL_CROSSENTROPY, tf.constant(pt), tf.constant(yt));
                try (Result r = s.runner().fetch(l).run()) {
                    return perSample ? Tensors.doubles(r.get(0)) : new double[] {Tensors.scalar(r.get(0))};
                }
            }
        }
    }

    @Test
    void paddedStepsCountInNoMean() {
        double first = -(Math.log(0.9) + Math.log(0.7)) / 2;   // steps 1 and 2; step 3 is padding
        double second = -Math.log(0.8);                         // step 1 only
        assertArrayEquals(new double[] {first, second}, run(P, true), 1e-12);
        assertEquals((first + second) / 2, run(P, false)[0], 1e-12);
    }

    @Test
    void aPaddedStepsPredictionDoesNotMoveTheLoss() {
        double[] other = P.clone();
        other[4] = 0.01;   // sample 1, step 3 (padding)
        other[5] = 0.99;
        other[10] = 0.5;   // sample 2, step 3 (padding)
        other[11] = 0.5;
        assertEquals(run(P, false)[0], run(other, false)[0], 0);
    }
}
