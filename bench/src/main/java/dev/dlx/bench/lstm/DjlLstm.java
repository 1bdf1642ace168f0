package dev.dlx.bench.lstm;

import static dev.dlx.bench.lstm.CharData.BATCH;
import static dev.dlx.bench.lstm.CharData.EMBED;
import static dev.dlx.bench.lstm.CharData.STEPS;
import static dev.dlx.bench.lstm.CharData.UNITS;
import static dev.dlx.bench.lstm.CharData.VOCAB;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;

/**
 * W4 in DJL 0.35.1 on its PyTorch 2.7.1 engine (CPU): an embedding table, DJL's `LSTM` block
 * (PyTorch's `lstm`, one call for the whole sequence and one for its gradient), a `Linear` on
 * every step, sparse softmax cross-entropy over the 40 x 64 outputs, Adam 3e-3. Data in NDArrays,
 * each shuffled batch gathered by one indexing op, as {@code DjlPeer} does for W1 and W2.
 */
public final class DjlLstm {
    private DjlLstm() {}

    /** Rows of a table by id: [N, T] ids to [N, T, E]. */
    static final class Table extends AbstractBlock {
        private final Parameter table;

        Table() {
            table = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT).optShape(new Shape(VOCAB, EMBED)).build());
        }

        @Override protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
            NDArray ids = in.singletonOrThrow();
            return Embedding.embedding(ids, ps.getValue(table, ids.getDevice(), training), SparseFormat.DENSE);
        }

        @Override public Shape[] getOutputShapes(Shape[] in) { return new Shape[] {in[0].addAll(new Shape(EMBED))}; }
    }

    /** Trains one epoch; returns {setup seconds, first step seconds, epoch seconds, mean loss of the epoch}. */
    public static double[] run(CharData data, long seed) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        long t0 = System.nanoTime();
        try (Model model = Model.newInstance("W4", Device.cpu(), "PyTorch")) {
            SequentialBlock net = new SequentialBlock();
            net.add(new Table())
                .add(LSTM.builder().setStateSize(UNITS).setNumLayers(1).optBatchFirst(true).optReturnState(false).build())
                .add(Linear.builder().setUnits(VOCAB).build());
            model.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(CharData.LR)).optEpsilon(1e-7f).build())
                .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                NDManager nd = model.getNDManager();
                trainer.initialize(new Shape(BATCH, STEPS));
                int n = data.count();
                NDArray x = nd.create(data.ids(), new Shape(n, STEPS)).toType(DataType.INT64, false);
                NDArray y = nd.create(data.targets(), new Shape(n, STEPS)).toType(DataType.FLOAT32, false);
                double setup = (System.nanoTime() - t0) / 1e9;
                int[] order = Lstm.shuffled(n, seed);
                int steps = (n + BATCH - 1) / BATCH;
                float[] losses = new float[steps];
                double first = 0;
                long s0 = System.nanoTime();
                for (int s = 0; s < steps; s++) {
                    long b0 = System.nanoTime();
                    int from = s * BATCH, count = Math.min(BATCH, n - from);
                    try (NDManager step = nd.newSubManager()) {
                        NDArray idx = step.create(java.util.Arrays.copyOfRange(order, from, from + count));
                        NDArray xb = x.get(new NDIndex("{}", idx));
                        NDArray yb = y.get(new NDIndex("{}", idx)).reshape(-1);
                        xb.attach(step);
                        yb.attach(step);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray out = trainer.forward(new NDList(xb)).singletonOrThrow().reshape(-1, VOCAB);
                            NDArray loss = trainer.getLoss().evaluate(new NDList(yb), new NDList(out));
                            gc.backward(loss);
                            losses[s] = loss.getFloat();
                        }
                        trainer.step();
                    }
                    if (s == 0) first = (System.nanoTime() - b0) / 1e9;
                }
                double seconds = (System.nanoTime() - s0) / 1e9;
                return new double[] {setup, first, seconds, Lstm.meanLoss(losses)};
            }
        }
    }
}
