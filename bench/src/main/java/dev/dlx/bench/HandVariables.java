package dev.dlx.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The variables of a program written by hand against TensorFlow Java (W1 and W2 in {@link HandTf},
 * W4 in {@code lstm.HandLstm}), as its documentation suggests: each variable with an assignment of
 * its initial value (uniform draws from one seeded generator, in the order the program asks for
 * them), the trainable ones in that order, and Adam over them as the fused {@code ApplyAdam} kernel
 * per variable after gradients from {@code addGradients}.
 */
public final class HandVariables {
    private final Ops tf;
    private final Random random = new Random(1);
    private final List<Variable<TFloat32>> trainable = new ArrayList<>();
    private final List<Op> initializers = new ArrayList<>();

    public HandVariables(Ops tf) { this.tf = tf; }

    /** A Glorot-uniform kernel: fan-in the product of all but the last dimension, fan-out the last times the window's. */
    public Variable<TFloat32> glorot(long... shape) {
        long fanIn = 1, fanOut = shape[shape.length - 1];
        for (int i = 0; i < shape.length - 1; i++) fanIn *= shape[i];
        long receptive = 1;
        for (int i = 0; i < shape.length - 2; i++) receptive *= shape[i];
        if (shape.length > 2) fanOut *= receptive;
        return uniform(Math.sqrt(6.0 / (fanIn + fanOut)), shape);
    }

    /** A trainable variable drawn uniformly from [-limit, limit]. */
    public Variable<TFloat32> uniform(double limit, long... shape) {
        float[] v = new float[count(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
        return variable(shape, v, true);
    }

    /** A trainable variable of zeros (a bias). */
    public Variable<TFloat32> zeros(long... shape) { return variable(shape, new float[count(shape)], true); }

    /**
     * Adam's training step for {@code loss} over the trainable variables (lr, beta1 0.9, beta2 0.999,
     * epsilon 1e-7, Keras's defaults): one op that applies every update, then advances the powers of
     * the betas.
     */
    public Op adam(Graph graph, Operand<TFloat32> loss, float lr) {
        Output<?>[] grads = graph.addGradients(loss.asOutput(), trainable.stream().map(Variable::asOutput).toArray(Output<?>[]::new));
        Variable<TFloat32> beta1Power = scalar(0.9f), beta2Power = scalar(0.999f);
        List<Op> applies = new ArrayList<>();
        for (int i = 0; i < grads.length; i++) {
            Variable<TFloat32> v = trainable.get(i);
            Variable<TFloat32> m = state(v), s = state(v);
            @SuppressWarnings("unchecked") Operand<TFloat32> g = (Operand<TFloat32>) grads[i];
            applies.add(tf.train.applyAdam(v, m, s, beta1Power, beta2Power, tf.constant(lr), tf.constant(0.9f),
                tf.constant(0.999f), tf.constant(1e-7f), g));
        }
        Ops after = tf.withControlDependencies(applies);
        List<Op> updates = new ArrayList<>(applies);
        updates.add(after.assign(beta1Power, after.math.mul(beta1Power, after.constant(0.9f))));
        updates.add(after.assign(beta2Power, after.math.mul(beta2Power, after.constant(0.999f))));
        return tf.withControlDependencies(updates).noOp();
    }

    /** Runs every variable's initial assignment. */
    public void initialize(Session session) {
        Session.Runner init = session.runner();
        initializers.forEach(init::addTarget);
        try (Result r = init.run()) {
            // nothing to fetch
        }
    }

    /** Optimizer state shaped like {@code like}, zeros, not trained. */
    private Variable<TFloat32> state(Variable<TFloat32> like) {
        long[] shape = like.shape().asArray();
        return variable(shape, new float[count(shape)], false);
    }

    private Variable<TFloat32> scalar(float value) { return variable(new long[0], new float[] {value}, false); }

    private Variable<TFloat32> variable(long[] shape, float[] values, boolean trains) {
        Variable<TFloat32> v = tf.variable(Shape.of(shape), TFloat32.class);
        initializers.add(tf.assign(v, tf.constant(Shape.of(shape), DataBuffers.of(values, true, false))));
        if (trains) trainable.add(v);
        return v;
    }

    private static int count(long[] shape) {
        int n = 1;
        for (long d : shape) n *= (int) d;
        return n;
    }
}
