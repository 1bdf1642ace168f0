package dev.dlx.bench;

import java.util.List;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The floor for dlx's overhead: W1 and W2 written by hand directly against TensorFlow Java 1.1 the
 * way its documentation suggests. Placeholders for a batch of images and one-hot labels, variables
 * with Glorot-uniform kernels, the fused softmax cross-entropy, gradients from {@code addGradients},
 * the fused Adam kernel per variable, and one {@code Session.run} per step that feeds the batch
 * (copied into two reused tensors) and fetches the loss.
 */
public final class HandTf implements AutoCloseable {
    private final Graph graph = new Graph();
    private final Ops tf = Ops.create(graph);
    private final HandVariables variables = new HandVariables(tf);
    private final Placeholder<TFloat32> x;
    private final Placeholder<TFloat32> y;
    private final Operand<TFloat32> logits;
    private final Operand<TFloat32> loss;
    private final Op train;
    private final Session session;
    private final long[] sampleShape;

    public HandTf(Workload w, int threads) {
        boolean conv = w != Workload.W1;
        sampleShape = conv ? new long[] {28, 28, 1} : new long[] {784};
        x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(batchShape(-1))));
        y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 10)));
        Operand<TFloat32> h;
        if (conv) {
            h = maxPool(tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, variables.glorot(3, 3, 1, 32), List.of(1L, 1L, 1L, 1L), "SAME"), variables.zeros(32))));
            h = maxPool(tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(h, variables.glorot(3, 3, 32, 64), List.of(1L, 1L, 1L, 1L), "SAME"), variables.zeros(64))));
            h = tf.reshape(h, tf.constant(new long[] {-1, 7 * 7 * 64}));
            h = tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(h, variables.glorot(7 * 7 * 64, 128)), variables.zeros(128)));
        } else {
            h = tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(x, variables.glorot(784, 128)), variables.zeros(128)));
        }
        logits = tf.nn.biasAdd(tf.linalg.matMul(h, variables.glorot(128, 10)), variables.zeros(10));
        loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, y).loss(), tf.constant(0));

        train = variables.adam(graph, loss, Workload.LR);
        ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads).build();
        session = new Session(graph, config);
        variables.initialize(session);
    }

    private long[] batchShape(long n) {
        long[] s = new long[sampleShape.length + 1];
        s[0] = n;
        System.arraycopy(sampleShape, 0, s, 1, sampleShape.length);
        return s;
    }

    private Operand<TFloat32> maxPool(Operand<TFloat32> in) {
        return tf.nn.maxPool(in, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
    }

    /**
     * One step on the {@code batch} samples from {@code from}, traced (TensorFlow's full trace), or
     * untraced with {@code sink} null; the trace goes to {@code sink}.
     */
    public void step(Mnist data, int from, int batch, java.util.function.Consumer<org.tensorflow.proto.RunMetadata> sink) {
        int d = data.pixels();
        float[] xb = java.util.Arrays.copyOfRange(data.x(), from * d, (from + batch) * d), yb = new float[batch * 10];
        for (int i = 0; i < batch; i++) yb[i * 10 + data.y()[from + i]] = 1f;
        try (TFloat32 xt = TFloat32.tensorOf(Shape.of(batchShape(batch)), DataBuffers.of(xb, true, false));
             TFloat32 yt = TFloat32.tensorOf(Shape.of(batch, 10), DataBuffers.of(yb, true, false))) {
            Session.Runner runner = session.runner().feed(x, xt).feed(y, yt).addTarget(train).fetch(loss);
            if (sink != null) {
                runner.setOptions(org.tensorflow.proto.RunOptions.newBuilder()
                    .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE).build());
            }
            try (Result res = sink != null ? runner.runAndFetchMetadata() : runner.run()) {
                if (sink != null) res.getMetadata().ifPresent(sink);
            }
        }
    }

    /** One epoch over {@code data} in a shuffled order; returns the seconds of the first step. */
    public double epoch(Mnist data, long seed) {
        int d = data.pixels(), n = data.count(), batch = Workload.BATCH;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float[] xb = new float[batch * d], yb = new float[batch * 10];
        double first = 0;
        try (TFloat32 xt = TFloat32.tensorOf(Shape.of(batchShape(batch))); TFloat32 yt = TFloat32.tensorOf(Shape.of(batch, 10))) {
            for (int from = 0; from + batch <= n; from += batch) {
                long t0 = System.nanoTime();
                java.util.Arrays.fill(yb, 0f);
                for (int i = 0; i < batch; i++) {
                    int s = order[from + i];
                    System.arraycopy(data.x(), s * d, xb, i * d, d);
                    yb[i * 10 + data.y()[s]] = 1f;
                }
                xt.asRawTensor().data().asFloats().write(xb);
                yt.asRawTensor().data().asFloats().write(yb);
                try (Result res = session.runner().feed(x, xt).feed(y, yt).addTarget(train).fetch(loss).run()) {
                    float l = ((TFloat32) res.get(0)).getFloat();
                    if (!Float.isFinite(l)) throw new IllegalStateException("loss " + l);
                }
                if (from == 0) first = (System.nanoTime() - t0) / 1e9;
            }
            // the last, smaller batch
            int rest = n % batch;
            if (rest > 0) {
                try (TFloat32 xs = TFloat32.tensorOf(Shape.of(batchShape(rest))); TFloat32 ys = TFloat32.tensorOf(Shape.of(rest, 10))) {
                    float[] xr = new float[rest * d], yr = new float[rest * 10];
                    for (int i = 0; i < rest; i++) {
                        int s = order[n - rest + i];
                        System.arraycopy(data.x(), s * d, xr, i * d, d);
                        yr[i * 10 + data.y()[s]] = 1f;
                    }
                    xs.asRawTensor().data().asFloats().write(xr);
                    ys.asRawTensor().data().asFloats().write(yr);
                    try (Result res = session.runner().feed(x, xs).feed(y, ys).addTarget(train).fetch(loss).run()) {
                        // loss unused
                    }
                }
            }
        }
        return first;
    }

    /** Accuracy of the current weights on {@code data}. */
    public double accuracy(Mnist data) {
        int d = data.pixels(), n = data.count(), batch = 1000, correct = 0;
        for (int from = 0; from < n; from += batch) {
            int count = Math.min(batch, n - from);
            float[] xb = java.util.Arrays.copyOfRange(data.x(), from * d, (from + count) * d);
            try (TFloat32 xt = TFloat32.tensorOf(Shape.of(batchShape(count)), DataBuffers.of(xb, true, false));
                 Result res = session.runner().feed(x, xt).fetch(logits).run()) {
                float[] out = new float[count * 10];
                ((TFloat32) res.get(0)).asRawTensor().data().asFloats().read(out);
                for (int i = 0; i < count; i++) {
                    int best = 0;
                    for (int k = 1; k < 10; k++) if (out[i * 10 + k] > out[i * 10 + best]) best = k;
                    if (best == data.y()[from + i]) correct++;
                }
            }
        }
        return correct / (double) n;
    }

    @Override public void close() {
        session.close();
        graph.close();
    }
}
