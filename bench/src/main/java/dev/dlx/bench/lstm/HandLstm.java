package dev.dlx.bench.lstm;

import static dev.dlx.bench.lstm.CharData.BATCH;
import static dev.dlx.bench.lstm.CharData.EMBED;
import static dev.dlx.bench.lstm.CharData.STEPS;
import static dev.dlx.bench.lstm.CharData.UNITS;
import static dev.dlx.bench.lstm.CharData.VOCAB;

import dev.dlx.bench.HandVariables;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Stack;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * W4 written by hand against TensorFlow Java 1.1 in the fastest form of an unrolled LSTM: the
 * input projection x W + b of all 40 steps as one matrix product before the recurrence, then per
 * step one product a<t-1> R for the four gates together, split into the gates. Embedding by
 * gather, per-step dense and softmax cross-entropy over the 40 x 64 outputs (the fused kernel,
 * labels one-hot in the graph), gradients from {@code addGradients}, the fused Adam kernel per
 * variable, one {@code Session.run} per step.
 */
public final class HandLstm implements AutoCloseable {
    private final Graph graph = new Graph();
    private final Ops tf = Ops.create(graph);
    private final HandVariables variables = new HandVariables(tf);
    private final Placeholder<TInt32> x;
    private final Placeholder<TInt32> y;
    private final Operand<TFloat32> loss;
    private final Op train;
    private final Session session;

    public HandLstm(int intraOp, int interOp) {
        x = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, STEPS)));
        y = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, STEPS)));
        Variable<TFloat32> embeddings = variables.uniform(0.05, VOCAB, EMBED);
        Variable<TFloat32> kernel = variables.glorot(EMBED, 4 * UNITS), recurrent = variables.glorot(UNITS, 4 * UNITS), bias = variables.zeros(4 * UNITS);
        Variable<TFloat32> dense = variables.glorot(UNITS, VOCAB), denseBias = variables.zeros(VOCAB);

        Operand<TFloat32> e = tf.gather(embeddings, x, tf.constant(0));                       // [N, T, E]
        Operand<TFloat32> projected = tf.nn.biasAdd(tf.linalg.matMul(tf.reshape(e, tf.constant(new long[] {-1, EMBED})), kernel), bias);
        List<Output<TFloat32>> xs = tf.unstack(tf.reshape(projected, tf.constant(new long[] {-1, STEPS, 4 * UNITS})), (long) STEPS,
            Unstack.axis(1L)).output();
        Operand<TFloat32> zeros = tf.zeros(tf.stack(List.of(tf.stridedSlice(tf.shape(x), org.tensorflow.ndarray.index.Indices.at(0)), tf.constant(UNITS))), TFloat32.class);
        Operand<TFloat32> h = zeros, c = zeros;
        List<Operand<TFloat32>> hs = new ArrayList<>();
        for (int t = 0; t < STEPS; t++) {
            List<Output<TFloat32>> z = tf.split(tf.constant(1), tf.math.add(xs.get(t), tf.linalg.matMul(h, recurrent)), 4L).output();
            Operand<TFloat32> in = tf.math.sigmoid(z.get(0)), forget = tf.math.sigmoid(z.get(1));
            Operand<TFloat32> candidate = tf.math.tanh(z.get(2)), out = tf.math.sigmoid(z.get(3));
            c = tf.math.add(tf.math.mul(in, candidate), tf.math.mul(forget, c));
            h = tf.math.mul(out, tf.math.tanh(c));
            hs.add(h);
        }
        Operand<TFloat32> all = tf.reshape(tf.stack(hs, Stack.axis(1L)), tf.constant(new long[] {-1, UNITS}));  // [N*T, U]
        Operand<TFloat32> logits = tf.nn.biasAdd(tf.linalg.matMul(all, dense), denseBias);
        Operand<TFloat32> labels = tf.oneHot(tf.reshape(y, tf.constant(new long[] {-1})), tf.constant(VOCAB), tf.constant(1f), tf.constant(0f));
        loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss(), tf.constant(0));

        train = variables.adam(graph, loss, CharData.LR);
        session = new Session(graph, ConfigProto.newBuilder().setIntraOpParallelismThreads(intraOp).setInterOpParallelismThreads(interOp).build());
        variables.initialize(session);
    }

    /** One epoch in a shuffled order, the last smaller batch included; returns the losses of its steps. */
    public float[] epoch(CharData data, long seed, double[] firstStepSeconds) {
        int n = data.count(), steps = (n + BATCH - 1) / BATCH;
        int[] order = Lstm.shuffled(n, seed);
        float[] losses = new float[steps];
        int[] xb = new int[BATCH * STEPS], yb = new int[BATCH * STEPS];
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            int from = s * BATCH, count = Math.min(BATCH, n - from);
            for (int i = 0; i < count; i++) {
                int k = order[from + i];
                System.arraycopy(data.ids(), k * STEPS, xb, i * STEPS, STEPS);
                System.arraycopy(data.targets(), k * STEPS, yb, i * STEPS, STEPS);
            }
            try (TInt32 xt = TInt32.tensorOf(Shape.of(count, STEPS), DataBuffers.of(xb, true, false).narrow(count * STEPS));
                 TInt32 yt = TInt32.tensorOf(Shape.of(count, STEPS), DataBuffers.of(yb, true, false).narrow(count * STEPS));
                 Result r = session.runner().feed(x, xt).feed(y, yt).addTarget(train).fetch(loss).run()) {
                losses[s] = ((TFloat32) r.get(0)).getFloat();
            }
            if (s == 0) firstStepSeconds[0] = (System.nanoTime() - t0) / 1e9;
        }
        return losses;
    }

    /** {@code steps} training steps on the batches {@code first}, {@code first + 1}, ... of {@code order} (wrapping around). */
    public void steps(CharData data, int[] order, int first, int steps) {
        int[] xb = new int[BATCH * STEPS], yb = new int[BATCH * STEPS];
        for (int s = first; s < first + steps; s++) {
            for (int i = 0; i < BATCH; i++) {
                int k = order[(s * BATCH + i) % order.length];
                System.arraycopy(data.ids(), k * STEPS, xb, i * STEPS, STEPS);
                System.arraycopy(data.targets(), k * STEPS, yb, i * STEPS, STEPS);
            }
            try (TInt32 xt = TInt32.tensorOf(Shape.of(BATCH, STEPS), DataBuffers.of(xb, true, false));
                 TInt32 yt = TInt32.tensorOf(Shape.of(BATCH, STEPS), DataBuffers.of(yb, true, false));
                 Result r = session.runner().feed(x, xt).feed(y, yt).addTarget(train).fetch(loss).run()) {
                if (!Float.isFinite(((TFloat32) r.get(0)).getFloat())) throw new IllegalStateException("loss not finite");
            }
        }
    }

    /** {@code warm} untraced steps, then {@code traced} steps with TensorFlow's step statistics. */
    public String profile(CharData data, int warm, int traced) {
        StepProfile profile = new StepProfile();
        int[] order = Lstm.shuffled(data.count(), 1);
        int[] xb = new int[BATCH * STEPS], yb = new int[BATCH * STEPS];
        for (int s = 0; s < warm + traced; s++) {
            for (int i = 0; i < BATCH; i++) {
                int k = order[(s * BATCH + i) % order.length];
                System.arraycopy(data.ids(), k * STEPS, xb, i * STEPS, STEPS);
                System.arraycopy(data.targets(), k * STEPS, yb, i * STEPS, STEPS);
            }
            try (TInt32 xt = TInt32.tensorOf(Shape.of(BATCH, STEPS), DataBuffers.of(xb, true, false));
                 TInt32 yt = TInt32.tensorOf(Shape.of(BATCH, STEPS), DataBuffers.of(yb, true, false))) {
                Session.Runner runner = session.runner().feed(x, xt).feed(y, yt).addTarget(train).fetch(loss);
                if (s < warm) {
                    runner.run().close();
                } else {
                    runner.setOptions(org.tensorflow.proto.RunOptions.newBuilder()
                        .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE).build());
                    try (Result r = runner.runAndFetchMetadata()) {
                        profile.add(r.getMetadata().orElseThrow());
                    }
                }
            }
        }
        return profile.table("hand-written TensorFlow Java (unrolled)", 15);
    }

    @Override public void close() {
        session.close();
        graph.close();
    }
}
