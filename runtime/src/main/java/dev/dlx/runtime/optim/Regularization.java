package dev.dlx.runtime.optim;

import dev.dlx.compiler.train.Regularizer;
import dev.dlx.runtime.graph.Weight;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Weight penalties added to the loss: for each `regularize` statement, over the kernels of its
 * layers (every layer with weights when it names none), λ[(1-α)||θ||₁ + α||θ||₂²] — LASSO is α = 0,
 * ridge α = 1. The weights penalized are those whose kind declares them regularizable (the kernels
 * of dense, conv, depthwise and pointwise, recurrent layers: {@link dev.dlx.compiler.ir.WeightRole});
 * biases, batch-norm parameters and embeddings are not, and neither are frozen layers.
 */
public final class Regularization {
    private Regularization() {}

    public static boolean penalized(Weight w) { return w.spec().role().regularizable(); }

    /** The kernels one regularizer penalizes. */
    public static List<Weight> targets(Regularizer r, Collection<Weight> trainable) {
        List<Weight> out = new ArrayList<>();
        for (Weight w : trainable) {
            if (!penalized(w)) continue;
            if (!r.layers().isEmpty() && !r.layers().contains(w.layer())) continue;
            out.add(w);
        }
        return out;
    }

    /** The summed penalty, or null when there is none. */
    @SuppressWarnings("unchecked")
    public static Operand<TFloat32> penalty(Ops tf, List<Regularizer> regularizers, Collection<Weight> trainable) {
        Operand<TFloat32> total = null;
        for (Regularizer r : regularizers) {
            if (r.lambda() == 0) continue;
            for (Weight w : targets(r, trainable)) {
                // read the ref variable as a value: some gradient functions (square's) cannot take a ref type
                Operand<TFloat32> v = tf.identity((Operand<TFloat32>) w.variable());
                Operand<TFloat32> term = null;
                double l1 = r.lambda() * (1 - r.alpha()), l2 = r.lambda() * r.alpha();
                if (l1 != 0) term = tf.math.mul(tf.constant((float) l1), Clipping.sumAll(tf, tf.math.abs(v)));
                if (l2 != 0) {
                    Operand<TFloat32> sq = tf.math.mul(tf.constant((float) l2), Clipping.sumAll(tf, tf.math.square(v)));
                    term = term == null ? sq : tf.math.add(term, sq);
                }
                if (term != null) total = total == null ? term : tf.math.add(total, term);
            }
        }
        return total;
    }
}
