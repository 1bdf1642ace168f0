package dev.dlx.bench.predict;

import dev.dlx.aot.freeze.FrozenRun;
import dev.dlx.aot.jar.ModelJar;
import dev.dlx.aot.support.FrozenModel;
import dev.dlx.aot.support.PredictMain;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.Samples;
import dev.dlx.runtime.run.SavedRun;
import dev.dlx.runtime.train.TrainGraph;
import java.io.PrintWriter;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Prediction speed of a built model class against the runtime's own `predict` path, in one JVM on
 * the same inputs:
 * <ul>
 *   <li>single-sample latency: one call per sample, median and p90 over {@code --calls} calls after
 *       {@code --warmup} calls;</li>
 *   <li>batch throughput: batches of {@code --batch} samples, samples per second over {@code --rounds}
 *       batches after warm-up.</li>
 * </ul>
 * The built class is generated into a thin JAR and loaded from it in a class loader of its own
 * (frozen graph: weights as constants, normalization in the graph). The runtime path is what
 * `dlxc predict` runs: the training graph with the run's weights, samples normalized on the host by
 * the batch feeder. Both first check that they agree to 1e-6.
 * <pre>
 * java -cp bench/target/classes:$(cat bench/target/classpath.txt) dev.dlx.bench.predict.PredictLatency RUN DATA.csv
 * </pre>
 */
public final class PredictLatency {
    private PredictLatency() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: PredictLatency RUN DATA.csv [--calls N] [--warmup N] [--batch N] [--rounds N]");
            System.exit(2);
        }
        Path runDir = Path.of(args[0]);
        Path data = Path.of(args[1]);
        int calls = option(args, "--calls", 3000), warmup = option(args, "--warmup", 1000);
        int batch = option(args, "--batch", 256), rounds = option(args, "--rounds", 60);

        SavedRun run = SavedRun.open(runDir, null, new PrintWriter(System.err, true));
        if (run == null) System.exit(1);
        Path tmp = Files.createTempDirectory("dlx-bench-predict");
        Path jar = tmp.resolve("model.jar");
        String className = "dlx.bench.Model";
        ModelJar.write(FrozenRun.of(run), className, jar, true);

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, PredictLatency.class.getClassLoader())) {
            Class<?> c = loader.loadClass(className);
            int[] shape = ((java.util.List<?>) c.getField("INPUT_SHAPE").get(null)).stream().mapToInt(o -> (Integer) o).toArray();
            int d = c.getField("INPUT_SIZE").getInt(null), width = c.getField("OUTPUT_SIZE").getInt(null);
            Method one = c.getMethod("predict", Array.newInstance(float.class, new int[shape.length]).getClass());
            Method many = c.getMethod("predict", Array.newInstance(float.class, new int[shape.length + 1]).getClass());

            float[] flat;
            try (FrozenModel reader = FrozenModel.load(c, ModelJar.resourceFolder(className))) {
                flat = PredictMain.samples(reader, data);
            }
            int n = flat.length / d;
            Object[] samples = new Object[n];
            for (int i = 0; i < n; i++) samples[i] = nest(flat, i * d, shape);
            Samples all = new Samples(flat, n, shape, null, null, 0);
            int b = Math.min(batch, n);
            Object[] batchSamples = (Object[]) Array.newInstance(samples[0].getClass(), b);
            System.arraycopy(samples, 0, batchSamples, 0, b);

            try (AutoCloseable model = (AutoCloseable) c.getMethod("load").invoke(null);
                 TrainGraph g = run.graph(0);
                 BatchFeeder single = new BatchFeeder(all.all(), null, run.normalizer(), null, 1);
                 BatchFeeder feeder = new BatchFeeder(all.all(), null, run.normalizer(), null, b)) {
                // agreement first
                float[][] built = (float[][]) many.invoke(model, (Object) batchSamples);
                g.evaluate(feeder.batch(null, 0, b, null));
                float[] ref = g.predictions();
                double worst = 0;
                for (int i = 0; i < b; i++) for (int j = 0; j < width; j++) worst = Math.max(worst, Math.abs(built[i][j] - ref[i * width + j]));
                System.out.printf(Locale.ROOT, "model %s %s -> [%d], %d samples from %s; largest difference built vs runtime: %.2e%n",
                    run.model().name(), Arrays.toString(shape), width, n, data.getFileName(), worst);
                if (worst > 1e-6) throw new AssertionError("the built model and the runtime disagree by " + worst);
                System.out.printf(Locale.ROOT, "threads: %d cores available; %s, %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vm.name"), System.getProperty("java.version"));

                long[] builtTimes = new long[calls], runtimeTimes = new long[calls];
                for (int i = 0; i < warmup + calls; i++) {
                    int k = i % n;
                    long t0 = System.nanoTime();
                    one.invoke(model, samples[k]);
                    long t1 = System.nanoTime();
                    g.evaluate(single.batch(null, k, 1, null));
                    g.predictions();
                    long t2 = System.nanoTime();
                    if (i >= warmup) {
                        builtTimes[i - warmup] = t1 - t0;
                        runtimeTimes[i - warmup] = t2 - t1;
                    }
                }
                double builtMedian = percentile(builtTimes, 50), runtimeMedian = percentile(runtimeTimes, 50);
                double builtP90 = percentile(builtTimes, 90), runtimeP90 = percentile(runtimeTimes, 90);
                System.out.printf(Locale.ROOT, "single sample (%d calls after %d warm-up, interleaved)%n", calls, warmup);
                System.out.printf(Locale.ROOT, "  built class     median %8.1f us   p90 %8.1f us%n", builtMedian / 1e3, builtP90 / 1e3);
                System.out.printf(Locale.ROOT, "  runtime predict median %8.1f us   p90 %8.1f us%n", runtimeMedian / 1e3, runtimeP90 / 1e3);
                System.out.printf(Locale.ROOT, "  runtime / built median %.2fx   p90 %.2fx%n", runtimeMedian / builtMedian, runtimeP90 / builtP90);

                for (int i = 0; i < Math.max(3, rounds / 5); i++) {
                    many.invoke(model, (Object) batchSamples);
                    g.evaluate(feeder.batch(null, 0, b, null));
                }
                long builtNs = 0, runtimeNs = 0;
                for (int i = 0; i < rounds; i++) {
                    long t0 = System.nanoTime();
                    many.invoke(model, (Object) batchSamples);
                    long t1 = System.nanoTime();
                    g.evaluate(feeder.batch(null, 0, b, null));
                    g.predictions();
                    long t2 = System.nanoTime();
                    builtNs += t1 - t0;
                    runtimeNs += t2 - t1;
                }
                double builtRate = (double) rounds * b / (builtNs / 1e9), runtimeRate = (double) rounds * b / (runtimeNs / 1e9);
                System.out.printf(Locale.ROOT, "batch of %d (%d rounds, interleaved)%n", b, rounds);
                System.out.printf(Locale.ROOT, "  built class     %,10.0f samples/s%n", builtRate);
                System.out.printf(Locale.ROOT, "  runtime predict %,10.0f samples/s%n", runtimeRate);
                System.out.printf(Locale.ROOT, "  built / runtime %.2fx%n", builtRate / runtimeRate);
            }
        }
        try (var files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Nested float arrays of {@code shape} holding {@code flat[offset..]} row-major. */
    private static Object nest(float[] flat, int offset, int[] shape) {
        Object out = Array.newInstance(float.class, shape);
        fill(out, flat, new int[] {offset}, 0, shape.length);
        return out;
    }

    private static void fill(Object array, float[] flat, int[] at, int depth, int rank) {
        if (depth == rank - 1) {
            float[] row = (float[]) array;
            System.arraycopy(flat, at[0], row, 0, row.length);
            at[0] += row.length;
            return;
        }
        for (Object sub : (Object[]) array) fill(sub, flat, at, depth + 1, rank);
    }

    private static double percentile(long[] values, int p) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(p / 100.0 * s.length) - 1)];
    }

    private static int option(String[] args, String name, int fallback) {
        for (int i = 2; i + 1 < args.length; i++) if (args[i].equals(name)) return Integer.parseInt(args[i + 1]);
        return fallback;
    }
}
