package dev.dlx.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * How fast TensorFlow's convolution kernels run on W2's two convolutions (batch 64, 3x3, `same`:
 * [28, 28, 1] -> 32 and [14, 14, 32] -> 64), each on its own: the forward convolution, the input's
 * gradient ({@code Conv2DBackpropInput}) and the filter's ({@code Conv2DBackpropFilter}), in
 * float32 and in bfloat16, against the float32 matrix-multiply ceiling measured in the same run.
 * A training step cannot run faster than its kernels: this says how much of the ceiling W2's
 * step could reach with TensorFlow's own kernels, whatever graph is built around them.
 *
 * <pre>bench/run kernels [RUNS]</pre>
 * Inputs are variables (no feeding); each kernel runs alone in its session on all cores, its
 * median of RUNS timed runs after 5 untimed ones; a run's own cost (about 20-50 us) is included.
 */
public final class ConvKernels {
    private ConvKernels() {}

    private record Conv(String name, int size, int in, int out) {
        double flop() { return 2.0 * 64 * size * size * in * out * 9; }
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        System.out.println(Machine.describe());
        double ceiling = MatmulCeiling.measure().gflops();
        System.out.printf(Locale.ROOT, "float32 matmul ceiling (2048x2048, all cores): %.0f GFLOP/s%n%n", ceiling);
        System.out.println("| convolution | kernel | float32 us | float32 GFLOP/s | % of ceiling | bfloat16 us | bfloat16 GFLOP/s | % of ceiling |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Conv c : List.of(new Conv("conv 1: [28, 28, 1] -> 32", 28, 1, 32), new Conv("conv 2: [14, 14, 32] -> 64", 14, 32, 64))) {
            double[] f32 = times(c, TFloat32.class, runs), bf16 = times(c, TBfloat16.class, runs);
            String[] kernels = {"forward", "input gradient", "filter gradient"};
            for (int k = 0; k < 3; k++) {
                System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %.1f | %.0f%% | %.0f | %.1f | %.0f%% |%n", c.name(), kernels[k],
                    f32[k], c.flop() / f32[k] / 1e3, 100 * c.flop() / f32[k] / 1e3 / ceiling,
                    bf16[k], c.flop() / bf16[k] / 1e3, 100 * c.flop() / bf16[k] / 1e3 / ceiling);
            }
        }
        System.out.println("load average at the end: " + Machine.loadAverage());
    }

    /** Median microseconds of the forward, input-gradient and filter-gradient kernels of {@code c} in {@code type}. */
    private static <T extends TFloating> double[] times(Conv c, Class<T> type, int runs) {
        int cores = Runtime.getRuntime().availableProcessors();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<T> x = random(tf, type, 64, c.size(), c.size(), c.in());
            Operand<T> w = random(tf, type, 3, 3, c.in(), c.out());
            Operand<T> dy = random(tf, type, 64, c.size(), c.size(), c.out());
            List<Long> ones = List.of(1L, 1L, 1L, 1L);
            List<Operand<T>> kernels = new ArrayList<>();
            kernels.add(tf.nn.conv2d(x, w, ones, "SAME"));
            kernels.add(tf.nn.conv2dBackpropInput(tf.constant(new int[] {64, c.size(), c.size(), c.in()}), w, dy, ones, "SAME"));
            kernels.add(tf.nn.conv2dBackpropFilter(x, tf.constant(new int[] {3, 3, c.in(), c.out()}), dy, ones, "SAME"));
            ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(cores).setInterOpParallelismThreads(1).build();
            try (Session s = new Session(g, config)) {
                s.initialize();
                double[] out = new double[kernels.size()];
                for (int k = 0; k < kernels.size(); k++) {
                    long[] ns = new long[runs];
                    for (int i = -5; i < runs; i++) {
                        long t0 = System.nanoTime();
                        try (Result r = s.runner().addTarget(kernels.get(k)).run()) {
                            // run for its time only
                        }
                        if (i >= 0) ns[i] = System.nanoTime() - t0;
                    }
                    Arrays.sort(ns);
                    out[k] = ns[runs / 2] / 1e3;
                }
                return out;
            }
        }
    }

    /** A variable of standard normal values in {@code type}. */
    private static <T extends TFloating> Operand<T> random(Ops tf, Class<T> type, long... shape) {
        return tf.variable(tf.dtypes.cast(tf.random.randomStandardNormal(tf.constant(shape), TFloat32.class), type));
    }
}
