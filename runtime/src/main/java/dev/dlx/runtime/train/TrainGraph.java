package dev.dlx.runtime.train;

import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.train.LossTerms;
import dev.dlx.compiler.train.TrainFeed;
import dev.dlx.compiler.train.LossSpec;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.compiler.train.expr.ExpressionMetric;
import dev.dlx.compiler.train.expr.LossExpr;
import dev.dlx.runtime.cluster.Cluster;
import dev.dlx.runtime.cluster.Collectives;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.graph.GraphOptions;
import dev.dlx.runtime.graph.ModelGraph;
import dev.dlx.runtime.graph.Tensors;
import dev.dlx.runtime.graph.Weight;
import dev.dlx.runtime.loss.ExprLowering;
import dev.dlx.runtime.loss.Losses;
import dev.dlx.runtime.optim.Clipping;
import dev.dlx.runtime.optim.OptimizerGraph;
import dev.dlx.runtime.optim.Regularization;
import dev.dlx.runtime.optim.StateVariable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TargetedSession;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * A model's graph with everything training adds, and its session: a targets placeholder, the loss
 * (`Losses`) plus the weight penalties, gradients of the trainable weights that are not frozen
 * (`Graph.addGradients`), held back when the loss or a gradient is not finite (so a diverging step
 * leaves the weights and the optimizer's state as they were, for diagnosis), clipped, and applied by the optimizer; the
 * learning rate is a variable. One training step is one {@code Session.run}: it feeds the batch,
 * runs the updates (and batch norm's moving statistics), and fetches the loss and the predictions.
 *
 * <p>A step's graph is kept as small as the hand-written one, because on a small model each node
 * costs about as much as its arithmetic: a softmax output's cross-entropy differentiates from the
 * fused kernel's own gradient at the logits (no gradient of the batch mean to build), and
 * finiteness is one check on a sum of the gradients that aborts the step before any update runs.
 */
public final class TrainGraph implements AutoCloseable {
    private final ModelGraph<TFloat32> model;
    private final Session session;
    private final Operand<TFloat32> target;
    private Operand<TFloat32> dataLoss;
    private final Operand<TFloat32> objective;
    /** The `metric NAME = ...` expressions' batch means, fetched with the losses, and their last values. */
    private final List<String> metricNames = new ArrayList<>();
    private final List<Operand<TFloat32>> metricValues = new ArrayList<>();
    private final double[] metricResults;
    /** The logits under a softmax output whose cross-entropy is fused (null otherwise). */
    private Operand<TFloat32> logits;
    /** What a training step fetches for the metrics: the outputs, or the logits when only their arg max is read. */
    private Operand<TFloat32> stepScores;
    /** A staged training split: the labels' variable and the assignments of features and labels (null when not staged). */
    private final Variable<TFloat32> stagedLabels;
    private final Placeholder<TFloat32> stagedSamplesValue;
    private final Placeholder<TFloat32> stagedLabelsValue;
    private final Op stageSamples;
    private final Op stageLabels;
    private int stagedSize = -1;
    private final List<Weight> trained;
    private final List<Output<?>> gradients = new ArrayList<>();
    private final OptimizerGraph optimizer;
    private final StateVariable lr;
    private final Op trainStep;
    private final Op initialize;
    private final int outputWidth;
    private final int labelSteps;
    private final TBool yes = TBool.scalarOf(true);
    private final TBool no = TBool.scalarOf(false);
    private float[] predictions = new float[0];
    /** 1 / batch size under a fused cross-entropy (null otherwise): fed in steps, computed from the batch elsewhere. */
    private PlaceholderWithDefault<TFloat32> inverseBatch;
    private final Map<Integer, TFloat32> inverses = new java.util.HashMap<>();
    /**
     * A model with several inputs or outputs (or one trained on no label): what each batch feeds,
     * one targets' placeholder per fed label, each term's loss, and the latest predictions of every
     * output; null for the classic graph above, with one input, one output and one label.
     */
    private final TrainFeed feed;
    /** The classic graph's built-in loss (null for an expression, or a graph fed by parts), and its gradient at the input once asked for. */
    private LossSpec plainLoss;
    private Output<?> inputGradient;
    private final List<LossTerms.Term> terms;
    private List<Operand<TFloat32>> targets;
    private List<Operand<TFloat32>> termLosses;
    private final int[] outputWidths;
    private final List<float[]> outputPredictions = new ArrayList<>();
    private double[] lastTermLosses;

    /**
     * Runs of the session: the thread counts TensorFlow uses inside one op and across independent
     * ops. An inter-op count of {@link #CALLER} runs every op of a step on the thread that calls
     * {@code Session.run}, one after another, instead of handing each to a pool thread.
     */
    public record Threads(int intraOp, int interOp) {
        /** Below this many multiply-adds per training step, ops are too small to gain from threads. */
        static final double SMALL_STEP = 3e7;
        /** The inter-op count that keeps a step on the calling thread. */
        public static final int CALLER = -1;

        /** All cores inside ops, two ops at once (one core: everything on the calling thread). */
        public static Threads auto() {
            return of(Runtime.getRuntime().availableProcessors());
        }

        /** {@code intraOp} threads inside ops; with one, the step stays on the calling thread, else two ops run at once. */
        public static Threads of(int intraOp) {
            return intraOp <= 1 ? new Threads(1, CALLER) : new Threads(intraOp, 2);
        }

        /**
         * By the model's size. A step of a small model (an MLP on MNIST: 6.5M multiply-adds at batch
         * 64) runs fastest on one thread, the calling one: on 2 cores a step took about 640 us so,
         * 900-1000 us with its ops handed to a one-thread pool (the hand-off costs more than most of
         * its ops), and more with two threads inside ops. Larger ones (a small CNN: 170M) gain from all
         * cores inside ops and two ops at once (32-34 ms a step against 43 ms on the calling thread).
         */
        public static Threads auto(ModelIR model, int batch) {
            return multiplyAdds(model) * batch < SMALL_STEP ? of(1) : auto();
        }

        /** Multiply-adds of one sample's forward pass, roughly: each kernel weight once per output position. */
        static double multiplyAdds(ModelIR model) {
            double total = 0;
            for (Node n : model.layers()) {
                for (dev.dlx.compiler.ir.ParamSpec p : n.params()) {
                    if (p.role() != dev.dlx.compiler.ir.WeightRole.KERNEL && p.role() != dev.dlx.compiler.ir.WeightRole.EMBEDDINGS) continue;
                    double positions = 1;
                    dev.dlx.compiler.shape.Shape out = n.shape();
                    if (!out.isUnknown() && out.rank() > 1) {
                        for (int i = 0; i < out.rank() - 1; i++) positions *= Math.max(1, out.dim(i).size());
                    }
                    total += p.role().multiplies() ? (double) p.count() * positions : positions;
                }
            }
            return total;
        }
    }

    private TrainGraph(ModelIR ir, TrainIR train, LabelSpec labels, TrainFeed feed, long seed, Threads threads, boolean stageable) {
        GraphOptions options = new GraphOptions(train.init(), seed).withFrozen(train.frozen()).withPrecision(train.precision());
        this.model = ModelGraph.build(ir, TFloat32.class, stageable ? options.withStagedInput() : options);
        this.feed = feed;
        this.terms = feed == null ? null : feed.terms();
        try {
            if (feed == null && model.outputs().size() != 1) {
                throw new IllegalArgumentException("model `" + ir.name() + "` has " + model.outputs().size()
                    + " outputs: build its graph from what its batches feed");
            }
            Ops tf = model.tf();
            Operand<TFloat32> output = model.output();
            long[] outShape = output.shape().asArray();
            this.outputWidths = model.outputs().stream().mapToInt(o -> width(o.shape().asArray())).toArray();
            this.outputWidth = outputWidths[0];
            if (feed != null) labels = terms.isEmpty() ? (feed.labels().isEmpty() ? null : feed.labels().get(0).spec()) : terms.get(0).label().spec();
            this.labelSteps = labels != null && labels.encoding() == LabelSpec.Encoding.SPARSE && labels.shape().rank() == 1
                ? Math.toIntExact(labels.shape().dim(0).size()) : 1;
            if (feed != null) {
                // what the batches feed: one target per fed label; each term's built-in loss, reported by its label
                this.targets = new ArrayList<>();
                for (dev.dlx.compiler.data.LabelIR l : feed.labels()) {
                    targets.add(tf.withSubScope("dlx.train").withName("targets_" + l.name())
                        .placeholder(TFloat32.class, Placeholder.shape(targetShape(l.spec(), outShape))));
                }
                this.termLosses = new ArrayList<>();
                Operand<TFloat32> total = null;
                if (train.objective() != null) {
                    // an expression trains itself; each term is the batch mean of its own node in it, the same ops
                    ExprLowering<TFloat32> lowering = ExprLowering.of(tf, TFloat32.class, operands());
                    total = lowering.batchMean(train.objective());
                    for (LossExpr.Builtin head : feed.heads()) termLosses.add(lowering.batchMean(head));
                } else {
                    // a one-word loss trains the weighted sum of its terms
                    for (LossTerms.Term term : terms) {
                        Operand<TFloat32> loss = Losses.build(tf, term.loss(), model.outputs().get(term.output()),
                            targets.get(feed.labelIndex(term.label().name())));
                        termLosses.add(loss);
                        Operand<TFloat32> weighted = term.weight() == 1 ? loss : tf.math.mul(loss, tf.constant((float) term.weight()));
                        total = total == null ? weighted : tf.math.add(total, weighted);
                    }
                }
                this.lastTermLosses = new double[terms.size()];
                this.target = targets.isEmpty() ? null : targets.get(0);
                this.stagedLabels = null;
                this.stagedSamplesValue = null;
                this.stagedLabelsValue = null;
                this.stageSamples = null;
                this.stageLabels = null;
                this.logits = null;
                this.inverseBatch = null;
                this.dataLoss = total;
                for (int i = 0; i < outputWidths.length; i++) outputPredictions.add(new float[0]);
            } else if (stageable) {
                Ops data = tf.withSubScope("dlx.data");
                this.stagedLabels = data.withName("labels").variable(org.tensorflow.ndarray.Shape.unknown(), TFloat32.class);
                Operand<TFloat32> gathered = data.gather(stagedLabels, model.stageIndex(), data.constant(0));
                this.target = tf.withSubScope("dlx.train").withName("targets").placeholderWithDefault(gathered, targetShape(labels, outShape));
                this.stagedSamplesValue = data.withName("samples_value").placeholder(TFloat32.class);
                this.stagedLabelsValue = data.withName("labels_value").placeholder(TFloat32.class);
                this.stageSamples = data.withName("stage_samples").assign(model.stagedData(), stagedSamplesValue, Assign.validateShape(false));
                this.stageLabels = data.withName("stage_labels").assign(stagedLabels, stagedLabelsValue, Assign.validateShape(false));
            } else {
                this.stagedLabels = null;
                this.stagedSamplesValue = null;
                this.stagedLabelsValue = null;
                this.stageSamples = null;
                this.stageLabels = null;
                this.target = tf.withSubScope("dlx.train").withName("targets").placeholder(TFloat32.class,
                    Placeholder.shape(targetShape(labels, outShape)));
            }
            FusedLoss fused = null;
            // a one-word loss (or the same written as `mse(output, label)`) takes the built-in path, fused when it can be
            LossExpr expression = train.objective();
            boolean plain = expression == null || ExprLowering.isPlain(expression);
            if (feed == null) {
                this.targets = null;
                this.termLosses = null;
                this.lastTermLosses = null;
                LossSpec spec = plain && expression instanceof LossExpr.Builtin b ? b.spec() : train.loss();
                this.plainLoss = plain ? spec : null;
                this.logits = plain ? softmaxLogits(ir, spec) : null;
                fused = logits == null ? null : fusedCrossEntropy(tf, spec, logits, target);
                this.inverseBatch = fused == null ? null : fused.inverseBatch();
                this.dataLoss = fused != null ? fused.mean() : plain ? plainLoss(tf, ir, spec, output, target)
                    : ExprLowering.batchMean(tf, TFloat32.class, expression, operands());
            }
            this.stepScores = output;
            for (ExpressionMetric m : train.expressionMetrics()) {
                metricNames.add(m.name());
                metricValues.add(ExprLowering.batchMean(tf.withSubScope("dlx.metrics"), TFloat32.class, m.expr(), operands()));
            }
            this.metricResults = new double[metricValues.size()];

            Set<String> frozen = new HashSet<>(train.frozen());
            // an expression's gradient reaches only the layers its tensors depend on; the others keep their weights
            // (under parts, a plain `loss(kind, labels.kind)` may leave another head untrained)
            Set<String> reached = (feed == null ? plain : expression == null) ? null : ExprLowering.reachedLayers(ir, expression);
            this.trained = model.trainableWeights().stream()
                .filter(w -> !frozen.contains(w.layer()) && (reached == null || reached.contains(w.layer()))).toList();
            Operand<TFloat32> penalty = Regularization.penalty(tf, train.regularizers(), trained);
            this.objective = penalty == null ? dataLoss : tf.math.add(dataLoss, penalty);

            List<Operand<TFloat32>> grads = new ArrayList<>();
            if (!trained.isEmpty()) {
                Output<?>[] xs = trained.stream().map(w -> w.variable().asOutput()).toArray(Output<?>[]::new);
                for (Output<?> g : gradientsOf(tf, fused, penalty, xs)) {
                    gradients.add(g);
                    @SuppressWarnings("unchecked") Output<TFloat32> gf = (Output<TFloat32>) g;
                    grads.add(gf);
                }
            }
            grads = allReduced(tf, grads);
            // finite iff the loss and every gradient are: a sum holds NaN or an infinity when a term does
            // (it also overflows when gradients reach 1e38 together, which is divergence as well). The
            // check fails the step before any update runs, since every update waits for it.
            Operand<TFloat32> probe = objective;
            for (Operand<TFloat32> g : grads) probe = tf.math.add(probe, Clipping.sumAll(tf, g));
            Operand<TFloat32> checked = tf.withSubScope("dlx.train").withName("finite").debugging.checkNumerics(probe, NOT_FINITE);
            List<Operand<TFloat32>> clipped = Clipping.apply(tf, train.clip(), grads);
            List<Op> ready = new ArrayList<>();
            ready.add((Op) checked);
            for (Operand<TFloat32> g : clipped) ready.add((Op) g);
            Op gradientsReady = tf.withControlDependencies(ready).withSubScope("dlx.train").withName("gradients_ready").noOp();

            this.lr = StateVariable.create(tf, "learning_rate", "learning_rate", new long[0], train.optimizer().lr());
            this.optimizer = OptimizerGraph.build(tf, train.optimizer(), trained, clipped, lr.variable(), gradientsReady);
            List<Op> stepOps = new ArrayList<>();
            stepOps.add(optimizer.step());
            List<Op> updates = new ArrayList<>();
            for (Op u : model.updateOps()) if (!frozen.contains(layerOf(u, ir))) updates.add(u);
            stepOps.addAll(updates.isEmpty() ? updates : movingStatisticsAllReduced(tf, updates, frozen));
            Cluster joined = Cluster.joined();
            if (joined != null && joined.size() > 1) {
                // whether any worker was asked to stop (Ctrl-C), agreed on in every step: all stop after the same one
                this.stopAsked = tf.withSubScope("dlx.stop").withName("asked").placeholderWithDefault(tf.constant(0f),
                    org.tensorflow.ndarray.Shape.scalar());
                this.stopAny = Collectives.max(tf.withSubScope("dlx.stop"), stopAsked, joined);
            }
            this.trainStep = tf.withControlDependencies(stepOps).withSubScope("dlx.train").withName("step").noOp();
            List<Op> inits = new ArrayList<>(optimizer.initializers());
            inits.add(model.initializer());
            inits.add(lr.initializer());
            this.initialize = tf.withControlDependencies(inits).withSubScope("dlx.train").withName("initialize").noOp();
            ConfigProto config = dev.dlx.runtime.device.Device.configure(ConfigProto.newBuilder())
                .setIntraOpParallelismThreads(threads.intraOp())
                .setInterOpParallelismThreads(threads.interOp())
                .setAllowSoftPlacement(true)
                .build();
            Cluster cluster = Cluster.joined();
            this.session = cluster == null ? new Session(model.graph(), config)
                : TargetedSession.open(model.graph(), cluster.target(), cluster.sessionConfig(config.toBuilder()));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * In a cluster of several workers, each gradient replaced by its mean over the workers (one
     * all-reduce per gradient, in the order of {@link #trained}): the finiteness check, clipping
     * and the optimizer then see the same gradients on every worker, so every worker applies the
     * same update. Alone, the gradients as they are.
     */
    private static List<Operand<TFloat32>> allReduced(Ops tf, List<Operand<TFloat32>> grads) {
        Cluster cluster = Cluster.joined();
        return cluster == null || cluster.size() < 2 ? grads : Collectives.mean(tf, grads, cluster);
    }

    /**
     * In a cluster of several workers, batch normalization's moving statistics made the same on every
     * worker each step: after a step's own updates (each worker's moves towards its batch's mean and
     * variance), every moving mean and variance takes its mean over the workers, one all-reduce each
     * after the gradients'. As every worker starts the step with the same values and the update is
     * linear, that is the update towards the workers' mean batch mean and mean batch variance (the
     * mean of N variances of B samples, not the variance of the N x B: those differ by the spread of
     * the workers' batch means). Each worker still normalizes a step with its own batch's statistics.
     * Alone, the updates as they are.
     */
    private List<Op> movingStatisticsAllReduced(Ops tf, List<Op> updates, Set<String> frozen) {
        Cluster cluster = Cluster.joined();
        if (cluster == null || cluster.size() < 2) return updates;
        List<Weight> moving = model.weights().stream().filter(w -> !w.trainable() && !frozen.contains(w.layer())
            && (w.spec().role() == dev.dlx.compiler.ir.WeightRole.MOVING_MEAN || w.spec().role() == dev.dlx.compiler.ir.WeightRole.MOVING_VARIANCE)).toList();
        Ops after = tf.withControlDependencies(updates).withSubScope("dlx.moving");
        List<Operand<TFloat32>> values = new ArrayList<>();
        for (Weight w : moving) {
            @SuppressWarnings("unchecked") Operand<TFloat32> v = (Operand<TFloat32>) w.variable();
            values.add(after.identity(v));
        }
        List<Operand<TFloat32>> means = Collectives.mean(tf, values, cluster);
        List<Op> out = new ArrayList<>();
        for (int i = 0; i < moving.size(); i++) {
            @SuppressWarnings("unchecked") Operand<TFloat32> v = (Operand<TFloat32>) moving.get(i).variable();
            out.add(tf.withSubScope("dlx.moving").assign(v, means.get(i)));
        }
        // the reads wait for every update, so any update outside the moving statistics still runs
        return out.isEmpty() ? updates : out;
    }

    /** In a cluster of several workers: the step's flag that this worker was asked to stop, and its maximum over the workers. */
    private PlaceholderWithDefault<TFloat32> stopAsked;
    private Operand<TFloat32> stopAny;
    private boolean stopLocal;
    private boolean stopAgreed;
    private final TFloat32 one = TFloat32.scalarOf(1f);
    private final TFloat32 zero = TFloat32.scalarOf(0f);

    /**
     * Whether this graph's workers agree on stopping: in a cluster of several, each training step
     * carries every worker's stop request ({@link #askStop}) and returns whether any had one
     * ({@link #stopAgreed}), so that all stop after the same step and none waits for a peer that
     * stopped. Alone, false: the trainer reads its own request.
     */
    public boolean agreesOnStop() { return stopAny != null; }

    /**
     * What a training step all-reduces, read from the graph: its {@code CollectiveReduce} ops (the
     * gradients', the moving statistics', the stop flag's), the bytes of their inputs, and the bytes
     * of the trained weights for comparison.
     */
    public record AllReduce(int collectives, long bytes, long trainedBytes) {}

    public AllReduce allReduce() {
        int count = 0;
        long bytes = 0;
        for (java.util.Iterator<org.tensorflow.GraphOperation> it = model.graph().operations(); it.hasNext(); ) {
            org.tensorflow.GraphOperation op = it.next();
            if (!op.type().equals("CollectiveReduce")) continue;
            count++;
            long n = 1;
            for (long d : op.input(0).shape().asArray()) n *= d;
            bytes += n * (op.input(0).dataType() == org.tensorflow.proto.DataType.DT_DOUBLE ? 8 : 4);
        }
        long trainedBytes = 0;
        for (Weight w : trained) trainedBytes += (long) w.size() * Float.BYTES;
        return new AllReduce(count, bytes, trainedBytes);
    }

    /** This worker's stop request, carried by the next training step. */
    public void askStop(boolean asked) { stopLocal = asked; }

    /** Whether any worker had asked to stop by the last training step (false before the first). */
    public boolean stopAgreed() { return stopAgreed; }

    /** The operands of expression losses and metrics: a model node's tensor, or the fed targets of a label. */
    private ExprLowering.Operands<TFloat32> operands() {
        if (feed == null) return entry -> entry.isLabel() ? target : model.tensor(entry.node());
        return entry -> entry.isLabel() ? targets.get(feed.labelIndex(entry.name())) : model.tensor(entry.node());
    }

    /** The graph of a valid model with a valid training block, initialized. */
    public static TrainGraph build(ModelIR model, TrainIR train, LabelSpec labels, long seed, Threads threads) {
        return build(model, train, labels, seed, threads, false);
    }

    /**
     * The graph of a model whose batches {@code feed} describes: a model with several inputs or
     * outputs, or trained on no label, feeds its batches with parts ({@link BatchFeeder#withParts}:
     * the other inputs in model order, then the fed labels after the first). A model with one input
     * and one output trained on one label gets the graph of {@link #build(ModelIR, TrainIR,
     * LabelSpec, long, Threads, boolean)}, staged when {@code stageable}.
     */
    public static TrainGraph build(ModelIR model, TrainIR train, TrainFeed feed, long seed, Threads threads, boolean stageable) {
        if (model.inputs().size() == 1 && model.outputs().size() == 1 && feed.labels().size() == 1) {
            return build(model, train, feed.labels().get(0).spec(), seed, threads, stageable);
        }
        if (train.objective() == null && feed.terms().isEmpty()) {
            throw new IllegalArgumentException("model `" + model.name() + "` has no output with a label");
        }
        TrainGraph g = new TrainGraph(model, train, null, feed, seed, threads, false);
        g.initialize();
        return g;
    }

    private static int width(long[] shape) {
        int width = 1;
        for (int i = 1; i < shape.length; i++) width *= (int) shape[i];
        return width;
    }

    /**
     * With {@code stageable}, a training split can be {@link #stage staged} in the graph: each step
     * then feeds only the positions of its samples (see {@link #worthStaging}).
     */
    public static TrainGraph build(ModelIR model, TrainIR train, LabelSpec labels, long seed, Threads threads, boolean stageable) {
        TrainGraph g = new TrainGraph(model, train, labels, null, seed, threads, stageable && model.inputs().size() == 1);
        g.initialize();
        return g;
    }

    /** Splits up to this many bytes of features are staged in the graph when their batches are not augmented. */
    public static final long STAGE_LIMIT_BYTES = 1L << 30;

    /**
     * Whether a split's batches are better gathered inside the graph than fed: the same every epoch
     * (no augmentation) and small enough to hold twice (the samples, and the graph's copy). A step
     * then costs one feed of a few indices instead of a copy of the batch (about 1.3x the steps per
     * second of a small MLP on MNIST; no loss for larger models).
     */
    public static boolean worthStaging(int samples, int sampleSize, boolean augmented) {
        return !augmented && (long) samples * sampleSize * Float.BYTES <= STAGE_LIMIT_BYTES;
    }

    /**
     * The logits under a softmax output when the loss is a (sparse) categorical cross-entropy on
     * probabilities: the loss is then computed from them by {@link #fusedCrossEntropy} (one fused,
     * exact kernel instead of softmax, clipping and a logarithm, as Keras does for a softmax output).
     */
    private Operand<TFloat32> softmaxLogits(ModelIR ir, dev.dlx.compiler.train.LossSpec loss) {
        if (loss.fromLogits()) return null;
        if (loss.loss() != dev.dlx.compiler.train.Loss.CATEGORICAL_CROSSENTROPY
            && loss.loss() != dev.dlx.compiler.train.Loss.SPARSE_CATEGORICAL_CROSSENTROPY) return null;
        Node out = ir.node(ir.outputIds().get(0));
        if (!(out.kind() instanceof dev.dlx.compiler.layers.Activation a) || a.function() != dev.dlx.compiler.layers.Activation.Function.SOFTMAX
            || out.inputs().size() != 1 || out.shape().rank() != 1) return null;
        Node in = ir.node(out.inputs().get(0));
        return in.isInput() ? null : model.tensor(in.name()).orElse(null);
    }

    /** What the step's check reports when the loss or a gradient is not finite. */
    private static final String NOT_FINITE = "dlx: the step's loss or a gradient is not finite";

    /** A fused cross-entropy: its batch mean, and the gradient of that mean at the logits. */
    private record FusedLoss(Operand<TFloat32> mean, Operand<TFloat32> dLogits, PlaceholderWithDefault<TFloat32> inverseBatch) {}

    /**
     * The gradients of the objective at {@code xs}. Under a fused cross-entropy they are taken from
     * the logits on, starting from the kernel's own gradient there (what TensorFlow's gradient of
     * the kernel and of the mean would compute, to the bit, in 2 nodes instead of 18), plus the
     * penalties' gradients.
     */
    private Output<?>[] gradientsOf(Ops tf, FusedLoss fused, Operand<TFloat32> penalty, Output<?>[] xs) {
        if (fused == null) return model.graph().addGradients(objective.asOutput(), xs);
        List<Output<?>> ys = new ArrayList<>(List.of(logits.asOutput()));
        List<Output<?>> dys = new ArrayList<>(List.of(fused.dLogits().asOutput()));
        if (penalty != null) {
            ys.add(penalty.asOutput());
            dys.add(tf.constant(1f).asOutput());
        }
        return model.graph().addGradients(null, ys.toArray(Output<?>[]::new), xs, dys.toArray(Output<?>[]::new));
    }

    /**
     * The cross-entropy of a softmax output from its logits [batch, classes] with TensorFlow's fused
     * kernel (loss and gradient in one pass over the batch): the batch mean, with label smoothing,
     * and its gradient at the logits, the kernel's per-sample gradient times 1/batch.
     */
    private static FusedLoss fusedCrossEntropy(Ops tf, dev.dlx.compiler.train.LossSpec loss, Operand<TFloat32> logits,
                                               Operand<TFloat32> target) {
        long classes = logits.shape().get(1);
        Operand<TFloat32> y = target;
        if (loss.loss() == dev.dlx.compiler.train.Loss.SPARSE_CATEGORICAL_CROSSENTROPY) {
            Operand<TFloat32> indices = target.shape().numDimensions() == 2 ? tf.squeeze(target, Squeeze.axis(-1L)) : target;
            y = tf.oneHot(tf.dtypes.cast(indices, TInt32.class), tf.constant((int) classes), tf.constant(1f), tf.constant(0f));
        }
        double smoothing = loss.labelSmoothing();
        if (smoothing != 0) y = tf.math.add(tf.math.mul(y, tf.constant((float) (1 - smoothing))), tf.constant((float) (smoothing / classes)));
        var fused = tf.nn.softmaxCrossEntropyWithLogits(logits, y);
        Operand<TFloat32> batch = tf.dtypes.cast(tf.gather(tf.shape(logits), tf.constant(0), tf.constant(0)), TFloat32.class);
        // a step feeds 1/batch (its computation is 4 nodes); the same value, computed when not fed
        PlaceholderWithDefault<TFloat32> inverse = tf.withSubScope("dlx.train").withName("inverse_batch")
            .placeholderWithDefault(tf.math.div(tf.constant(1f), batch), org.tensorflow.ndarray.Shape.scalar());
        Operand<TFloat32> dLogits = tf.math.mul(fused.backprop(), inverse);
        return new FusedLoss(tf.math.mean(fused.loss(), tf.constant(0)), dLogits, inverse);
    }

    /** Whether this graph can hold a staged split. */
    public boolean stageable() { return stageSamples != null; }

    /**
     * Holds the split of {@code feeder} (normalized, not augmented) in the graph, so that its batches
     * are {@link BatchFeeder#positions positions}; staging the same feeder again is free.
     */
    public void stage(BatchFeeder feeder) {
        if (!stageable()) throw new IllegalStateException("this graph was built without a staged input");
        if (stagedSize == feeder.size() && stagedFeeder == feeder) return;
        TFloat32[] split = feeder.stage();
        try (TFloat32 xs = split[0]; TFloat32 ys = split[1]) {
            Session.Runner runner = session.runner().feed(stagedSamplesValue, xs).addTarget(stageSamples);
            if (ys != null) runner.feed(stagedLabelsValue, ys).addTarget(stageLabels);
            try (Result r = runner.run()) {
                // nothing to fetch
            }
        }
        stagedSize = feeder.size();
        stagedFeeder = feeder;
    }

    private BatchFeeder stagedFeeder;

    /** A one-word loss of the model's one output; `yolo` takes the anchors of the model's `yolo` head. */
    private static Operand<TFloat32> plainLoss(Ops tf, ModelIR ir, LossSpec spec, Operand<TFloat32> output, Operand<TFloat32> target) {
        if (spec.loss() == dev.dlx.compiler.train.Loss.YOLO) {
            Node head = ir.outputs().get(0);
            if (!(head.kind() instanceof dev.dlx.compiler.layers.Yolo)) throw new IllegalStateException("`loss yolo` without a `yolo` head");
            return dev.dlx.runtime.loss.YoloLoss.build(tf, head.settings(dev.dlx.compiler.layers.Yolo.Settings.class).anchors(), output, target);
        }
        return Losses.build(tf, spec, output, target);
    }

    /** The targets as the labels are encoded: [batch, classes] one-hot, [batch] indices, [batch, 1] 0/1, [batch, targets]. */
    static org.tensorflow.ndarray.Shape targetShape(LabelSpec labels, long[] outShape) {
        switch (labels.encoding()) {
            case ONEHOT: return org.tensorflow.ndarray.Shape.of(-1, labels.classes());
            case SPARSE: return labels.shape().rank() == 1 // a class at each of T steps
                ? org.tensorflow.ndarray.Shape.of(-1, labels.shape().dim(0).size()) : org.tensorflow.ndarray.Shape.of(-1);
            case BINARY: return org.tensorflow.ndarray.Shape.of(-1, 1);
            case REGRESSION: return org.tensorflow.ndarray.Shape.of(-1, labels.targets());
            case BOXES: return org.tensorflow.ndarray.Shape.of(-1, labels.targets(), LabelSpec.BOX_VALUES);
            default: {
                long[] s = outShape.clone();
                s[0] = -1;
                return org.tensorflow.ndarray.Shape.of(s);
            }
        }
    }

    /** The layer an update op belongs to (its name scope), or "". */
    private static String layerOf(Op op, ModelIR ir) {
        String name = op.op().name();
        String best = "";
        for (Node n : ir.layers()) if (name.startsWith(n.name() + "/") && n.name().length() > best.length()) best = n.name();
        return best;
    }

    public void initialize() {
        try (Result r = session.runner().addTarget(initialize).run()) {
            // nothing to fetch
        }
    }

    public ModelGraph<TFloat32> model() { return model; }
    public Session session() { return session; }
    public int outputWidth() { return outputWidth; }
    /** Labels per sample: the steps of per-step labels ([T] class indices), else 1. */
    public int labelSteps() { return labelSteps; }
    /** The weights that train: trainable and not frozen. */
    public List<Weight> trained() { return trained; }
    public OptimizerGraph optimizer() { return optimizer; }
    /** The training objective (the loss plus penalties), its targets' placeholder, and its gradients at {@link #trained}. */
    Operand<TFloat32> objective() { return objective; }
    Operand<TFloat32> target() { return target; }
    List<Output<?>> gradients() { return List.copyOf(gradients); }

    /**
     * The predictions of the last step or evaluation, {@code count * outputWidth} values (owned
     * here); after a step, logits when {@link #scoreStepsByLogits} asked for them.
     */
    public float[] predictions() { return predictions; }

    public void setLearningRate(double value) {
        try (TFloat32 t = TFloat32.scalarOf((float) value);
             Result r = session.runner().feed(lr.value(), t).addTarget(lr.assign()).run()) {
            // nothing to fetch
        }
    }

    public double learningRate() {
        try (Result r = session.runner().fetch(lr.variable()).run()) {
            return Tensors.scalar(r.get(0));
        }
    }

    /** What one step or evaluation returns: the batch mean of the objective (loss + penalties) and of the loss alone. */
    public record StepLoss(double objective, double data, boolean finite) {}

    private static final org.tensorflow.proto.RunOptions FULL_TRACE = org.tensorflow.proto.RunOptions.newBuilder()
        .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE).build();
    private java.util.function.Consumer<org.tensorflow.proto.RunMetadata> tracer;

    /**
     * With a {@code sink}, every training step runs traced (TensorFlow's full trace: each op's
     * device, start and duration) and hands its step statistics to the sink; null stops tracing.
     * Tracing costs time of its own: for profiles, not for training.
     */
    public void traceSteps(java.util.function.Consumer<org.tensorflow.proto.RunMetadata> sink) { this.tracer = sink; }

    /** {@link #step(BatchFeeder.Batch, boolean, long)} with the dropout masks of step 0. */
    public StepLoss step(BatchFeeder.Batch batch, boolean dropout) { return step(batch, dropout, 0); }

    /**
     * One training step on a batch. {@code dropout} false turns dropout off (the overfit check);
     * on, the masks are those of training step {@code index} (epoch * batches + batch), the same in
     * every run with the graph's seed. Returns the losses before the update; when not finite the
     * update was skipped.
     */
    public StepLoss step(BatchFeeder.Batch batch, boolean dropout, long index) {
        try (TInt64 at = TInt64.scalarOf(index)) {
            Session.Runner runner = losses(fetchScores(stepRunner(batch, dropout, at).addTarget(trainStep), stepScores));
            if (stopAny != null) runner.feed(stopAsked, stopLocal ? one : zero).fetch(stopAny);
            if (tracer != null) runner.setOptions(FULL_TRACE);
            try (Result r = tracer != null ? runner.runAndFetchMetadata() : runner.run()) {
                if (tracer != null) r.getMetadata().ifPresent(tracer);
                if (stopAny != null) stopAgreed = ((TFloat32) r.get(r.size() - 1)).getFloat() > 0;
                readPredictions(r, batch.count);
                return stepLoss(r, scoreCount(), true);
            } catch (TFInvalidArgumentException e) {
                if (e.getMessage() == null || !e.getMessage().contains(NOT_FINITE)) throw e;
                // no update ran: the losses of the same batch, for the report
                try (Result r = losses(stepRunner(batch, dropout, at)).run()) {
                    return stepLoss(r, 0, false);
                }
            }
        }
    }

    /** Fetches the data loss, then the objective when penalties make it another tensor, then each term's loss, then the expression metrics. */
    private Session.Runner losses(Session.Runner runner) {
        runner.fetch(dataLoss);
        if (objective != dataLoss) runner.fetch(objective);
        if (termLosses != null) termLosses.forEach(runner::fetch);
        metricValues.forEach(runner::fetch);
        return runner;
    }

    private StepLoss stepLoss(Result r, int at, boolean finite) {
        double data = ((TFloat32) r.get(at)).getFloat();
        int next = objective == dataLoss ? at + 1 : at + 2;
        if (termLosses != null) for (int k = 0; k < termLosses.size(); k++) lastTermLosses[k] = ((TFloat32) r.get(next + k)).getFloat();
        next += termLosses == null ? 0 : termLosses.size();
        for (int i = 0; i < metricResults.length; i++) metricResults[i] = ((TFloat32) r.get(next + i)).getFloat();
        return new StepLoss(objective == dataLoss ? data : ((TFloat32) r.get(at + 1)).getFloat(), data, finite);
    }

    /** The scores a run fetches first: {@code first} alone, or every output of a model with several. */
    private Session.Runner fetchScores(Session.Runner runner, Operand<TFloat32> first) {
        if (terms == null) return runner.fetch(first);
        model.outputs().forEach(runner::fetch);
        return runner;
    }

    private int scoreCount() { return terms == null ? 1 : model.outputs().size(); }

    /**
     * Feeds a batch: the first input (and the first term's targets), then, for a model with several
     * inputs or outputs, the other inputs and the other terms' targets from the batch's parts.
     */
    private Session.Runner feedBatch(Session.Runner runner, BatchFeeder.Batch batch, boolean labels) {
        runner.feed(model.inputs().get(0), batch.x);
        boolean labelled = labels && batch.y != null;
        if (labelled && target != null) runner.feed(target, batch.y);
        if (feed == null) return runner;
        int inputs = model.inputs().size();
        for (int i = 1; i < inputs; i++) runner.feed(model.inputs().get(i), batch.parts.get(i - 1).x);
        if (labelled) for (int k = 1; k < targets.size(); k++) runner.feed(targets.get(k), labelBatch(batch, k).y);
        return runner;
    }

    /**
     * The gradient of a labelled batch's mean loss with respect to the model's input, in inference
     * mode (the fast gradient sign method perturbs the input along its sign): the classic graph only.
     * The first call adds the gradient to the graph.
     */
    public float[] inputGradient(BatchFeeder.Batch batch) {
        if (feed != null) throw new IllegalStateException("the input gradient of a model with several inputs or outputs is not built");
        if (inputGradient == null) {
            // a fused cross-entropy carries its own gradient at the logits only: the same loss, unfused, reaches the input
            Operand<TFloat32> loss = inverseBatch != null && plainLoss != null
                ? Losses.build(model.tf().withSubScope("dlx.inspect"), plainLoss, model.output(), target) : dataLoss;
            inputGradient = model.graph().addGradients(loss.asOutput(), new Output<?>[] {model.inputs().get(0).asOutput()})[0];
        }
        try (Result r = feedBatch(session.runner(), batch, true).fetch(inputGradient).run()) {
            return Tensors.floats(r.get(0));
        }
    }

    /** Whether a batch has what the loss needs: its labels, or nothing when the loss reads none (a triplet's three embeddings). */
    public boolean hasLoss(BatchFeeder.Batch batch) {
        return batch.y != null || (feed != null && feed.labels().isEmpty());
    }

    /** The batch (the main one or a part) that carries fed label {@code k}. */
    BatchFeeder.Batch labelBatch(BatchFeeder.Batch batch, int k) {
        return k == 0 ? batch : batch.parts.get(model.inputs().size() - 2 + k);
    }

    /** The loss terms reported per label, for a graph fed by parts; null for the classic graph. */
    public List<LossTerms.Term> terms() { return terms; }

    /** What the batches feed, for a graph fed by parts; null for the classic graph. */
    public TrainFeed feed() { return feed; }

    /** Each term's loss (batch mean, before its weight) of the last step or evaluation; null without terms. */
    public double[] termLosses() { return lastTermLosses == null ? null : lastTermLosses.clone(); }

    /** The predictions of output {@code k} of the last step or evaluation ({@link #predictions} for the first). */
    public float[] predictions(int k) { return terms == null ? predictions : outputPredictions.get(k); }

    /** Values per sample of output {@code k}. */
    public int outputWidth(int k) { return outputWidths[k]; }

    /** The batch means of the `metric NAME = ...` expressions at the last step or evaluation, by name. */
    public Map<String, Double> expressionMetrics() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < metricResults.length; i++) out.put(metricNames.get(i), metricResults[i]);
        return out;
    }

    /**
     * A training step's scores for the metrics: the outputs, or, with {@code argMaxOnly} under a fused
     * softmax output, its logits (same arg max, one op less a step). The metrics of a classifier that
     * reads only the predicted class (accuracy, precision, recall, F1) need nothing more.
     */
    public void scoreStepsByLogits(boolean argMaxOnly) {
        stepScores = argMaxOnly && logits != null ? logits : model.output();
    }

    private Session.Runner stepRunner(BatchFeeder.Batch batch, boolean dropout, TInt64 index) {
        Session.Runner runner = session.runner().feed(model.training(), yes).feed(model.dropoutStep(), index);
        if (inverseBatch != null) runner.feed(inverseBatch, inverses.computeIfAbsent(batch.count, n -> TFloat32.scalarOf(1f / n)));
        if (batch.x == null) {
            if (stagedSize < 0) throw new IllegalStateException("a batch of positions needs a staged split");
            runner.feed(model.stageIndex(), batch.positions);
        } else {
            feedBatch(runner, batch, true);
        }
        if (!dropout) runner.feed(model.dropoutActive(), no);
        return runner;
    }

    /** The losses and predictions of a batch in inference mode (batch norm's moving statistics, no dropout). */
    public StepLoss evaluate(BatchFeeder.Batch batch) {
        Session.Runner runner = feedBatch(session.runner(), batch, true);
        boolean labelled = hasLoss(batch);
        fetchScores(runner, model.output());
        if (labelled) losses(runner);
        try (Result r = runner.run()) {
            readPredictions(r, batch.count);
            if (!labelled) return new StepLoss(Double.NaN, Double.NaN, true);
            StepLoss loss = stepLoss(r, scoreCount(), true);
            return new StepLoss(loss.objective(), loss.data(), Double.isFinite(loss.objective()));
        }
    }

    private void readPredictions(Result r, int count) {
        if (terms == null) {
            predictions = read((TFloat32) r.get(0), count * outputWidth, predictions);
            return;
        }
        for (int k = 0; k < outputWidths.length; k++) outputPredictions.set(k, read((TFloat32) r.get(k), count * outputWidths[k], outputPredictions.get(k)));
        predictions = outputPredictions.get(0);
    }

    private static float[] read(TFloat32 t, int n, float[] into) {
        float[] out = into.length < n ? new float[n] : into;
        t.asRawTensor().data().asFloats().read(out, 0, n);
        return out;
    }

    /** Where a non-finite step went wrong, for the error message. */
    public record Diagnosis(String layer, String kind, String what) {}

    /**
     * Replays a batch whose step was not finite (the weights are still those before it): the first
     * weight that is not finite, else the first layer whose output is not, else the first weight
     * whose gradient is not.
     */
    public Diagnosis diagnose(BatchFeeder.Batch batch) { return diagnose(batch, 0); }

    /** {@link #diagnose(BatchFeeder.Batch)} with the dropout masks of training step {@code index}, the one that failed. */
    public Diagnosis diagnose(BatchFeeder.Batch batch, long index) {
        for (Map.Entry<String, float[]> e : model.readWeights(session).entrySet()) {
            if (!allFinite(e.getValue())) {
                String layer = e.getKey().substring(0, e.getKey().lastIndexOf('/'));
                return new Diagnosis(layer, kindOf(layer), "its weight `" + e.getKey() + "` is " + firstBad(e.getValue()));
            }
        }
        List<Node> layers = model.model().layers();
        Session.Runner runner = session.runner().feed(model.training(), yes).feed(model.dropoutStep(), TInt64.scalarOf(index));
        List<Node> fetched = new ArrayList<>();
        for (Node n : layers) {
            model.tensor(n.name()).ifPresent(t -> {
                runner.fetch(t);
                fetched.add(n);
            });
        }
        for (Output<?> g : gradients) runner.fetch(g);
        feedBatch(runner, batch, true);
        try (Result r = runner.run()) {
            for (int i = 0; i < fetched.size(); i++) {
                float[] v = Tensors.floats(r.get(i));
                if (!allFinite(v)) return new Diagnosis(fetched.get(i).name(), fetched.get(i).kindName(), "its output holds " + firstBad(v));
            }
            for (int i = 0; i < gradients.size(); i++) {
                float[] v = Tensors.floats(r.get(fetched.size() + i));
                if (!allFinite(v)) {
                    Weight w = trained.get(i);
                    return new Diagnosis(w.layer(), kindOf(w.layer()), "the gradient of `" + w.name() + "` holds " + firstBad(v));
                }
            }
            // every value is finite: the loss itself overflowed on outputs too large for it
            for (int i = fetched.size() - 1; i >= 0; i--) {
                Node n = fetched.get(i);
                if (!model.model().outputIds().contains(n.id())) continue;
                double max = 0;
                for (float f : Tensors.floats(r.get(i))) max = Math.max(max, Math.abs(f));
                return new Diagnosis(n.name(), n.kindName(), String.format(java.util.Locale.ROOT,
                    "its outputs reach %.2g, which overflow the loss in float32", max));
            }
        }
        return null;
    }

    private String kindOf(String layer) { return model.model().weightHolder(layer).map(Node::kindName).orElse("?"); }

    private static boolean allFinite(float[] v) {
        for (float f : v) if (!Float.isFinite(f)) return false;
        return true;
    }

    private static String firstBad(float[] v) {
        for (float f : v) if (!Float.isFinite(f)) return Float.isNaN(f) ? "NaN" : f > 0 ? "+inf" : "-inf";
        return "finite values";
    }

    /** Every model weight by name. */
    public Map<String, float[]> readWeights() { return model.readWeights(session); }

    public void writeWeights(Map<String, float[]> values) { model.writeWeights(session, values); }

    /** The optimizer's accumulators by name. */
    public Map<String, float[]> readOptimizerState() { return optimizer.read(session); }

    /** Restores accumulators saved by {@link #readOptimizerState}; returns false (changing nothing) when they do not match. */
    public boolean writeOptimizerState(Map<String, float[]> values) { return optimizer.write(session, values); }

    /** Shapes of every weight and accumulator, by name (for checkpoints). */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Weight w : model.weights()) out.put(w.name(), w.shape());
        for (StateVariable s : optimizer.slots()) out.put(s.name(), s.shape());
        return out;
    }

    @Override public void close() {
        if (session != null) session.close();
        if (model != null) model.close();
        yes.close();
        inverses.values().forEach(TFloat32::close);
        no.close();
        one.close();
        zero.close();
    }
}
