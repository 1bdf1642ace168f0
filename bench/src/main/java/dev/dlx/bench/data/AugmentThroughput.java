package dev.dlx.bench.data;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.data.AugmentBlock;
import dev.dlx.compiler.data.Augmentation;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.Augmenter;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.train.TrainGraph;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How fast augmented Fashion-MNIST training batches are made on the host, against how fast the
 * CNN sample consumes batches. Uses `samples/fashion_cnn.dlx`: its dataset, its `augment train`
 * block and its batch size; then a heavier block (rotate, shift, zoom, shear, erase, contrast,
 * noise) for comparison.
 *
 * <ol>
 * <li>augmentation alone: a batch is gathered from the training split and augmented sample by
 *     sample, on 1 and 2 threads (each thread its own {@link Augmenter}), samples/s;</li>
 * <li>the full host path of one batch (gather, augment, label encoding, copy into the tensor) by
 *     {@link BatchFeeder}, samples/s;</li>
 * <li>the CNN's training steps (forward, backward, Adam), each on a batch made just before it:
 *     without augmentation, with the sample's block and with the heavy block, in alternating rounds
 *     of 25 steps; the slowdown is what augmentation costs an epoch when nothing overlaps it.</li>
 * </ol>
 *
 * Usage: {@code java -cp ... dev.dlx.bench.data.AugmentThroughput [FILE.dlx] [steps]} from the
 * repository root (defaults: samples/fashion_cnn.dlx, 300 steps).
 */
public final class AugmentThroughput {
    private AugmentThroughput() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "samples/fashion_cnn.dlx");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Compilation c = new Compiler().compile(file).orElseThrow();
        if (!c.ok()) throw new IllegalStateException(file + " has errors: run `dlxc check` on it");
        TrainIR t = c.trainings().get(0);
        ModelIR model = c.models().get(t.model());
        DatasetIR ds = c.datasets().get(t.dataset());
        long t0 = System.nanoTime();
        LoadedData data = LoadedData.load(ds);
        Splitter.Splits splits = Splitter.split(data, 1);
        SampleSet train = splits.train();
        int batch = t.batchSize();
        System.out.printf(Locale.ROOT, "%s: %,d training samples %s, batch %d, loaded in %.1f s, %d cores%n", file, train.size(),
            java.util.Arrays.toString(data.sampleShape()), batch, (System.nanoTime() - t0) / 1e9, Runtime.getRuntime().availableProcessors());

        List<Augmentation> sample = ds.augmentsFor(DatasetIR.TRAIN).map(AugmentBlock::steps).orElse(List.of());
        List<Augmentation> heavy = List.of(new Augmentation.Rotate(20, 0.5, null), new Augmentation.Shift(0.1, 0.5, null),
            new Augmentation.Zoom(0.8, 1.2, 0.5, null), new Augmentation.Shear(15, 0.3, null), new Augmentation.Erase(8, 8, 1, 0.5, null),
            new Augmentation.Contrast(0.6, 1.4, 0.5, null), new Augmentation.Noise(Augmentation.Distribution.GAUSSIAN, 0.05, 0.5, null));
        int[] shape = data.sampleShape();

        double[] sampleRates = new double[3], heavyRates = new double[3];
        for (int threads = 1; threads <= 2; threads++) {
            sampleRates[threads] = augmentRate(train, sample, shape, batch, threads, 2.0);
            heavyRates[threads] = augmentRate(train, heavy, shape, batch, threads, 2.0);
        }
        double feederRate = feederRate(train, ds, new Augmenter(sample, shape), batch, 2.0);
        double feederHeavy = feederRate(train, ds, new Augmenter(heavy, shape), batch, 2.0);
        System.out.printf(Locale.ROOT, "augmentation alone, the sample's block %s:%n", names(sample));
        System.out.printf(Locale.ROOT, "  1 thread  %,12.0f samples/s%n  2 threads %,12.0f samples/s%n", sampleRates[1], sampleRates[2]);
        System.out.printf(Locale.ROOT, "augmentation alone, a heavy block %s:%n", names(heavy));
        System.out.printf(Locale.ROOT, "  1 thread  %,12.0f samples/s%n  2 threads %,12.0f samples/s%n", heavyRates[1], heavyRates[2]);
        System.out.printf(Locale.ROOT, "whole host batch (gather, augment, labels, tensor copy), 1 thread: %,.0f samples/s (sample's block), "
            + "%,.0f samples/s (heavy block)%n", feederRate, feederHeavy);

        TrainGraph.Threads threads = TrainGraph.Threads.auto(model, batch);
        // rounds of 25 steps, alternating without / sample's block / heavy block, so a load that changes
        // during the run (a shared machine) weighs on all three alike
        double[] seconds = new double[3];
        try (TrainGraph g = TrainGraph.build(model, t, ds.labels(), 1, threads);
             BatchFeeder off = new BatchFeeder(train, ds.labels(), null, null, batch);
             BatchFeeder on = new BatchFeeder(train, ds.labels(), null, new Augmenter(sample, shape), batch);
             BatchFeeder onHeavy = new BatchFeeder(train, ds.labels(), null, new Augmenter(heavy, shape), batch)) {
            g.initialize();
            BatchFeeder[] feeds = {off, on, onHeavy};
            Random rng = new Random(5);
            int batches = train.size() / batch;
            for (int b = 0; b < 20; b++) g.step(off.batch(null, b * batch, batch, null), true);
            int round = 25;
            for (int done = 0, b = 20; done < steps; done += round) {
                for (int k = 0; k < 3; k++) {
                    long start = System.nanoTime();
                    for (int i = 0; i < round; i++, b++) g.step(feeds[k].batch(null, (b % batches) * batch, batch, k == 0 ? null : rng), true);
                    seconds[k] += (System.nanoTime() - start) / 1e9;
                }
            }
        }
        int measured = (steps + 24) / 25 * 25;
        double plain = measured * batch / seconds[0], withSample = measured * batch / seconds[1], withHeavy = measured * batch / seconds[2];
        System.out.printf(Locale.ROOT, "CNN training (%d steps of %d each way, TensorFlow threads intra %d inter %d):%n", measured, batch,
            threads.intraOp(), threads.interOp());
        System.out.printf(Locale.ROOT, "  no augmentation        %,10.0f samples/s (%.2f ms a step)%n", plain, 1000.0 * batch / plain);
        System.out.printf(Locale.ROOT, "  sample's block in line %,10.0f samples/s: %+.1f%% time%n", withSample, 100 * (plain / withSample - 1));
        System.out.printf(Locale.ROOT, "  heavy block in line    %,10.0f samples/s: %+.1f%% time%n", withHeavy, 100 * (plain / withHeavy - 1));
        System.out.printf(Locale.ROOT, "ratio of batch production to consumption: %.0fx (1 thread), %.0fx (2 threads); heavy block %.0fx, %.0fx "
            + "(target >= 10x)%n", sampleRates[1] / plain, sampleRates[2] / plain, heavyRates[1] / plain, heavyRates[2] / plain);
    }

    private static String names(List<Augmentation> steps) {
        return steps.stream().map(a -> a.name() + " p " + a.p()).toList().toString();
    }

    /** Samples per second that {@code threads} threads gather and augment, in batches, for about {@code seconds}. */
    static double augmentRate(SampleSet train, List<Augmentation> steps, int[] shape, int batch, int threads, double seconds) throws Exception {
        int d = train.base().sampleSize();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int warm = 0; warm < 2; warm++) {
                long deadline = System.nanoTime() + (long) ((warm == 0 ? 0.5 : seconds) * 1e9);
                List<Future<Long>> futures = new ArrayList<>();
                long start = System.nanoTime();
                for (int th = 0; th < threads; th++) {
                    int seed = th;
                    futures.add(pool.submit(() -> {
                        Augmenter aug = new Augmenter(steps, shape);
                        float[] buf = new float[batch * d];
                        float[] x = train.base().x();
                        int[] index = train.index();
                        Random rng = new Random(seed);
                        long done = 0;
                        int next = seed * 7919;
                        while (System.nanoTime() < deadline) {
                            for (int i = 0; i < batch; i++) {
                                int s = index[next++ % index.length];
                                System.arraycopy(x, s * d, buf, i * d, d);
                                aug.apply(buf, i * d, rng);
                            }
                            done += batch;
                        }
                        return done;
                    }));
                }
                long total = 0;
                for (Future<Long> f : futures) total += f.get();
                double rate = total / ((System.nanoTime() - start) / 1e9);
                if (warm == 1) return rate;
            }
            throw new AssertionError();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Samples per second through {@link BatchFeeder#batch}, augmenting, on this thread. */
    static double feederRate(SampleSet train, DatasetIR ds, Augmenter aug, int batch, double seconds) {
        try (BatchFeeder feed = new BatchFeeder(train, ds.labels(), null, aug, batch)) {
            int batches = train.size() / batch;
            Random rng = new Random(3);
            for (int b = 0; b < 50; b++) feed.batch(null, (b % batches) * batch, batch, rng);
            long start = System.nanoTime(), deadline = start + (long) (seconds * 1e9);
            long done = 0;
            for (int b = 0; System.nanoTime() < deadline; b++) {
                feed.batch(null, (b % batches) * batch, batch, rng);
                done += batch;
            }
            return done / ((System.nanoTime() - start) / 1e9);
        }
    }
}
