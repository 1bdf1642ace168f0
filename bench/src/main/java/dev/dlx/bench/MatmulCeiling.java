package dev.dlx.bench;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The machine's float32 matrix-multiply ceiling through TensorFlow Java: the best of several
 * 2048x2048 products on all cores (2 n^3 operations each), the yardstick for achieved GFLOP/s.
 */
public final class MatmulCeiling {
    private MatmulCeiling() {}

    public static Measurement measure() {
        int n = 2048, cores = Runtime.getRuntime().availableProcessors();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> a = tf.random.randomUniform(tf.constant(new long[] {n, n}), TFloat32.class);
            Operand<TFloat32> b = tf.variable(tf.random.randomUniform(tf.constant(new long[] {n, n}), TFloat32.class));
            // four products of one operand per run, so the call's own cost vanishes
            Operand<TFloat32> p = tf.linalg.matMul(a, b);
            Operand<TFloat32> sum = p;
            for (int i = 0; i < 3; i++) sum = tf.math.add(sum, tf.linalg.matMul(tf.math.add(a, tf.constant((float) i)), b));
            Operand<TFloat32> probe = tf.reduceSum(sum, tf.constant(new int[] {0, 1}));
            ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(cores).setInterOpParallelismThreads(1).build();
            try (Session s = new Session(g, config)) {
                s.initialize();
                double best = 0;
                for (int rep = 0; rep < 8; rep++) {
                    long t0 = System.nanoTime();
                    try (Result r = s.runner().fetch(probe).run()) {
                        // the value is not needed
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    if (rep > 0) best = Math.max(best, 4 * 2.0 * n * n * (double) n / seconds / 1e9);
                }
                return new Measurement("matmul", "-", 0, 0, 0, 0, 0, Double.NaN, Measurement.processPeakRssMb(), best, n + "x" + n + " float32, " + cores + " threads");
            }
        }
    }
}
