package dev.dlx.runtime.loss;

import dev.dlx.compiler.train.Loss;
import dev.dlx.compiler.train.LossSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * The losses, composed from elementary operations whose gradients TensorFlow's graph mode has
 * (the fused sparse cross-entropy op has none). Each returns the mean over the batch (and over
 * steps for sequence outputs), as Keras does. Probabilities are clipped to [1e-7, 1 - 1e-7]
 * before a logarithm (Keras's epsilon); with `from_logits` the stable log-softmax and
 * log-sigmoid forms are used instead. With a sparse label at every step, a padded step (class
 * -1, `source tagged`) counts in no sample's mean.
 */
public final class Losses {
    /** Keras's fuzz factor. */
    public static final double EPSILON = 1e-7;

    private Losses() {}

    public static <T extends TFloating> Operand<T> build(Ops tf, LossSpec spec, Operand<T> predictions, Operand<T> targets) {
        return build(tf, spec.loss(), spec.labelSmoothing(), spec.fromLogits(), spec.delta(), predictions, targets);
    }

    /** With the defaults: no smoothing, probabilities (not logits), Huber's delta 1. */
    public static <T extends TFloating> Operand<T> build(Ops tf, Loss loss, Operand<T> predictions, Operand<T> targets) {
        return build(tf, loss, 0, false, 1, predictions, targets);
    }

    /**
     * {@code targets} has the predictions' shape, except for sparse categorical cross-entropy, whose
     * targets are class indices (in the graph's float type) without the class axis, or with a class axis of 1.
     */
    public static <T extends TFloating> Operand<T> build(Ops tf, Loss loss, double labelSmoothing, boolean fromLogits,
                                                         double delta, Operand<T> predictions, Operand<T> targets) {
        return compute(tf, loss, labelSmoothing, fromLogits, delta, predictions, targets, false);
    }

    /**
     * The loss of each sample, [batch]: the mean over every axis but the batch axis (after the class
     * axis's sum for the cross-entropies). Its batch mean is {@link #build}'s value.
     */
    public static <T extends TFloating> Operand<T> perSample(Ops tf, LossSpec spec, Operand<T> predictions, Operand<T> targets) {
        return compute(tf, spec.loss(), spec.labelSmoothing(), spec.fromLogits(), spec.delta(), predictions, targets, true);
    }

    /** With {@code perSample}, every mean leaves the batch axis. */
    private static <T extends TFloating> Operand<T> compute(Ops tf, Loss loss, double labelSmoothing, boolean fromLogits, double delta,
                                                            Operand<T> predictions, Operand<T> targets, boolean perSample) {
        Class<T> type = predictions.type();
        if (loss != Loss.SPARSE_CATEGORICAL_CROSSENTROPY && targets.shape().numDimensions() == predictions.shape().numDimensions() - 1) {
            // two classes as indices ([batch]) against one sigmoid unit ([batch, 1]): one label per prediction, not a
            // [batch, batch] broadcast of every label against every prediction
            targets = tf.expandDims(targets, tf.constant(-1));
        }
        switch (loss) {
            case CATEGORICAL_CROSSENTROPY:
                return categorical(tf, smooth(tf, targets, labelSmoothing, classes(predictions)), predictions, fromLogits, perSample);
            case SPARSE_CATEGORICAL_CROSSENTROPY: {
                Operand<T> indices = targets;
                if (targets.shape().numDimensions() == predictions.shape().numDimensions()) {
                    indices = tf.squeeze(targets, Squeeze.axis(-1L));
                }
                Operand<T> onehot = tf.oneHot(tf.dtypes.cast(indices, TInt32.class), tf.constant((int) classes(predictions)),
                    tf.constant(type, 1.0), tf.constant(type, 0.0));
                if (indices.shape().numDimensions() >= 2) return perStep(tf, onehot, predictions, fromLogits, indices, perSample);
                return categorical(tf, onehot, predictions, fromLogits, perSample);
            }
            case BINARY_CROSSENTROPY: {
                Operand<T> y = smooth(tf, targets, labelSmoothing, 2);
                if (fromLogits) {
                    // max(z, 0) - z y + log(1 + e^-|z|)
                    Operand<T> z = predictions;
                    Operand<T> e = tf.math.add(tf.math.sub(tf.nn.relu(z), tf.math.mul(z, y)),
                        tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(z)))));
                    return mean(tf, e, perSample);
                }
                Operand<T> p = clip(tf, predictions);
                Operand<T> one = tf.constant(type, 1.0);
                Operand<T> ll = tf.math.add(tf.math.mul(y, tf.math.log(p)),
                    tf.math.mul(tf.math.sub(one, y), tf.math.log(tf.math.sub(one, p))));
                return tf.math.neg(mean(tf, ll, perSample));
            }
            case MSE:
                return mean(tf, tf.math.squaredDifference(predictions, targets), perSample);
            case MAE:
                return mean(tf, tf.math.abs(tf.math.sub(predictions, targets)), perSample);
            case HUBER: {
                // 0.5 q^2 + delta (|e| - q) with q = min(|e|, delta)
                Operand<T> abs = tf.math.abs(tf.math.sub(predictions, targets));
                Operand<T> d = tf.constant(type, delta);
                Operand<T> q = tf.math.minimum(abs, d);
                Operand<T> e = tf.math.add(tf.math.mul(tf.constant(type, 0.5), tf.math.square(q)),
                    tf.math.mul(d, tf.math.sub(abs, q)));
                return mean(tf, e, perSample);
            }
            default:
                throw new IllegalArgumentException("unknown loss " + loss);
        }
    }

    /** -sum_i y_i log p_i over the class axis, averaged over the rest. */
    private static <T extends TFloating> Operand<T> categorical(Ops tf, Operand<T> y, Operand<T> predictions, boolean fromLogits,
                                                                boolean perSample) {
        Operand<T> logp = fromLogits ? tf.nn.logSoftmax(predictions) : tf.math.log(clip(tf, predictions));
        Operand<T> perSampleSum = tf.reduceSum(tf.math.mul(y, logp), tf.constant(-1));
        return tf.math.neg(mean(tf, perSampleSum, perSample));
    }

    /**
     * Sparse labels at every step ([batch, T]): each sample's mean over its labelled steps, a step of
     * negative class (a padded step, whose one-hot row is all zeros) counting in neither the sum nor
     * the count; a sample with no labelled step adds 0.
     */
    private static <T extends TFloating> Operand<T> perStep(Ops tf, Operand<T> y, Operand<T> predictions, boolean fromLogits,
                                                            Operand<T> indices, boolean perSample) {
        Class<T> type = predictions.type();
        Operand<T> logp = fromLogits ? tf.nn.logSoftmax(predictions) : tf.math.log(clip(tf, predictions));
        Operand<T> steps = tf.math.neg(tf.reduceSum(tf.math.mul(y, logp), tf.constant(-1)));
        Operand<T> mask = tf.dtypes.cast(tf.math.greaterEqual(indices, tf.constant(type, 0.0)), type);
        Operand<TInt32> axes = tf.range(tf.constant(1), tf.rank(steps), tf.constant(1));
        Operand<T> count = tf.math.maximum(tf.reduceSum(mask, axes), tf.constant(type, 1.0));
        Operand<T> each = tf.math.div(tf.reduceSum(tf.math.mul(steps, mask), axes), count);
        return perSample ? each : tf.math.mean(each, tf.constant(0));
    }

    private static <T extends TFloating> Operand<T> smooth(Ops tf, Operand<T> y, double smoothing, long classes) {
        if (smoothing == 0) return y;
        Class<T> type = y.type();
        return tf.math.add(tf.math.mul(y, tf.constant(type, 1 - smoothing)), tf.constant(type, smoothing / classes));
    }

    private static <T extends TFloating> Operand<T> clip(Ops tf, Operand<T> p) {
        return tf.clipByValue(p, tf.constant(p.type(), EPSILON), tf.constant(p.type(), 1 - EPSILON));
    }

    /** The mean over every axis, or with {@code perSample} over every axis but the batch axis. */
    private static <T extends TFloating> Operand<T> mean(Ops tf, Operand<T> x, boolean perSample) {
        return tf.math.mean(x, tf.range(tf.constant(perSample ? 1 : 0), tf.rank(x), tf.constant(1)));
    }

    private static long classes(Operand<?> predictions) {
        org.tensorflow.ndarray.Shape s = predictions.shape();
        long k = s.get(s.numDimensions() - 1);
        if (k < 0) throw new IllegalArgumentException("the number of classes must be known, found " + s);
        return k;
    }
}
