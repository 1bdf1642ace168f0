package dev.dlx.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.nio.file.Path;

/**
 * The peer: the same networks in DJL 0.35.1 on its PyTorch 2.7.1 engine, CPU, data in NDArrays
 * in memory, each shuffled batch of 64 gathered by one indexing op (DJL's `ArrayDataset` sampler
 * builds a batch sample by sample and ran at a few hundred samples/s here), a gradient collector,
 * Adam 1e-3, sparse softmax cross-entropy.
 * W3 trains the Fashion-MNIST sample's network without augmentation (DJL has no such pipeline
 * for in-memory arrays).
 */
public final class DjlPeer {
    private DjlPeer() {}

    public static Measurement run(Workload w, Path repo, int epochs) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Mnist[] data = Mnist.folder(w.data(repo));
        long t0 = System.nanoTime();
        try (Model model = Model.newInstance(w.name(), Device.cpu(), "PyTorch")) {
            model.setBlock(network(w));
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(Workload.LR)).optEpsilon(1e-7f).build())
                .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                NDManager nd = model.getNDManager();
                Shape sample = w == Workload.W1 ? new Shape(784) : new Shape(1, 28, 28);
                trainer.initialize(withBatch(Workload.BATCH, sample));
                NDArray x = nd.create(data[0].x(), withBatch(data[0].count(), sample));
                float[] labels = new float[data[0].count()];
                for (int i = 0; i < labels.length; i++) labels[i] = data[0].y()[i];
                NDArray y = nd.create(labels, new Shape(labels.length));
                double setup = (System.nanoTime() - t0) / 1e9;
                double first = Double.NaN, seconds = 0, last = 0;
                int n = Integer.getInteger("bench.samples", data[0].count()); // fewer for a quick look
                int[] order = new int[n];
                for (int i = 0; i < n; i++) order[i] = i;
                for (int e = 0; e < epochs; e++) {
                    java.util.Random r = new java.util.Random(e + 1);
                    for (int i = n - 1; i > 0; i--) {
                        int j = r.nextInt(i + 1), t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
                    long s = System.nanoTime();
                    for (int from = 0; from < n; from += Workload.BATCH) {
                        long b0 = System.nanoTime();
                        int count = Math.min(Workload.BATCH, n - from);
                        try (NDManager step = nd.newSubManager()) {
                            NDArray idx = step.create(java.util.Arrays.copyOfRange(order, from, from + count));
                            // the batch, and so everything computed from it, belongs to this step's manager
                            NDArray xb = x.get(new ai.djl.ndarray.index.NDIndex("{}", idx));
                            NDArray yb = y.get(new ai.djl.ndarray.index.NDIndex("{}", idx));
                            xb.attach(step);
                            yb.attach(step);
                            try (ai.djl.training.GradientCollector gc = trainer.newGradientCollector()) {
                                NDList out = trainer.forward(new NDList(xb));
                                NDArray loss = trainer.getLoss().evaluate(new NDList(yb), out);
                                gc.backward(loss);
                            }
                            trainer.step();
                        }
                        if (Double.isNaN(first)) first = (System.nanoTime() - b0) / 1e9;
                    }
                    last = (System.nanoTime() - s) / 1e9;
                    if (e == 0) seconds = last;
                }
                double sps = n / seconds;
                double acc = accuracy(trainer, nd, data[1], sample);
                return new Measurement("djl", w.name(), setup, first * 1e3, seconds, sps, n / last, acc, Measurement.processPeakRssMb(),
                    sps * w.trainFlops() / 1e9, w == Workload.W3 ? "no augmentation" : "");
            }
        }
    }

    private static SequentialBlock network(Workload w) {
        SequentialBlock net = new SequentialBlock();
        if (w == Workload.W1) {
            net.add(Linear.builder().setUnits(128).build()).add(Activation::relu).add(Linear.builder().setUnits(10).build());
            return net;
        }
        boolean same = w == Workload.W2;
        Shape pad = same ? new Shape(1, 1) : new Shape(0, 0);
        net.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(pad).setFilters(32).build()).add(Activation::relu)
            .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
            .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(pad).setFilters(64).build()).add(Activation::relu)
            .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(128).build()).add(Activation::relu);
        if (w == Workload.W3) net.add(ai.djl.nn.norm.Dropout.builder().optRate(0.3f).build());
        net.add(Linear.builder().setUnits(10).build());
        return net;
    }

    private static Shape withBatch(long n, Shape sample) {
        long[] dims = new long[sample.dimension() + 1];
        dims[0] = n;
        System.arraycopy(sample.getShape(), 0, dims, 1, sample.dimension());
        return new Shape(dims);
    }

    private static double accuracy(Trainer trainer, NDManager nd, Mnist test, Shape sample) {
        int correct = 0, batch = 1000, d = test.pixels();
        for (int from = 0; from < test.count(); from += batch) {
            int count = Math.min(batch, test.count() - from);
            float[] xb = java.util.Arrays.copyOfRange(test.x(), from * d, (from + count) * d);
            try (NDManager sub = nd.newSubManager()) {
                NDArray x = sub.create(xb, withBatch(count, sample));
                NDArray out = trainer.evaluate(new NDList(x)).singletonOrThrow();
                long[] pred = out.argMax(1).toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
                for (int i = 0; i < count; i++) if (pred[i] == test.y()[from + i]) correct++;
            }
        }
        return correct / (double) test.count();
    }
}
