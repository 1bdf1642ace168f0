package dev.dlx.runtime.gradcheck;

import dev.dlx.compiler.layers.Embedding;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.train.Loss;
import dev.dlx.compiler.train.expr.LossExpr;
import dev.dlx.compiler.train.expr.TensorEnv;
import dev.dlx.runtime.graph.GraphOptions;
import dev.dlx.runtime.graph.ModelGraph;
import dev.dlx.runtime.graph.Tensors;
import dev.dlx.runtime.graph.Weight;
import dev.dlx.runtime.loss.ExprLowering;
import dev.dlx.runtime.loss.Losses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat64;

/**
 * Gradient checking (the tips cheatsheet's `(f(x+h) - f(x-h)) / 2h` against the analytical
 * gradient): builds the model in float64 with a loss, feeds a seeded random batch, and compares
 * TensorFlow's gradient (`Graph.addGradients`) with central differences for a sample of entries
 * of every trainable weight and of every differentiable input. Batch norm runs in training mode
 * (batch statistics: the interesting gradient; its moving-statistics updates are separate ops
 * that are never run here), dropout is off. An entry whose step x ± h crosses a point where the
 * model is not differentiable (relu at 0, a max-pooling tie: see {@link Kinks}) is left out and
 * counted, since no central difference is a derivative there.
 */
public final class GradientCheck {

    /**
     * @param loss    the loss on every output (summed over outputs), unless {@code objective} is given
     * @param batch   samples in the batch (more than one, for batch norm)
     * @param samples entries checked per tensor (all of them when it has fewer)
     * @param step    h
     * @param seed    of the weights, the batch and the sampled entries
     * @param unknownSize the size used for `?` dimensions of the inputs
     * @param objective   a training block's loss expression, or null
     */
    public record Options(Loss loss, int batch, int samples, double step, long seed, int unknownSize, LossExpr objective) {
        public Options(Loss loss, int batch, int samples, double step, long seed, int unknownSize) {
            this(loss, batch, samples, step, seed, unknownSize, null);
        }
        public static Options of(Loss loss) { return new Options(loss, 3, 10, 1e-5, 1, 5); }
        public Options withSeed(long s) { return new Options(loss, batch, samples, step, s, unknownSize, objective); }
        public Options withSamples(int n) { return new Options(loss, batch, n, step, seed, unknownSize, objective); }
        public Options withBatch(int n) { return new Options(loss, n, samples, step, seed, unknownSize, objective); }
        /** A loss expression instead of {@code loss} on every output; its labels are drawn at random by their encoding. */
        public Options withObjective(LossExpr e) { return new Options(loss, batch, samples, step, seed, unknownSize, e); }
    }

    private GradientCheck() {}

    /**
     * The tensors {@code e} takes the log, square root or power of (GloVe's `log(count)`): an input
     * among them is drawn from (0.5, 1.5) rather than (-1, 1), where the loss is defined.
     */
    private static void positiveOnly(LossExpr e, boolean under, java.util.Set<String> into) {
        if (e instanceof LossExpr.Ref r) {
            if (under) into.add(r.tensor().name());
        } else if (e instanceof LossExpr.Neg n) {
            positiveOnly(n.operand(), under, into);
        } else if (e instanceof LossExpr.Arith a) {
            positiveOnly(a.left(), under, into);
            positiveOnly(a.right(), under, into);
        } else if (e instanceof LossExpr.Unary u) {
            boolean domain = u.function() == dev.dlx.compiler.train.expr.Function.LOG || u.function() == dev.dlx.compiler.train.expr.Function.SQRT;
            positiveOnly(u.operand(), under || domain, into);
        } else if (e instanceof LossExpr.Reduce r) {
            positiveOnly(r.operand(), under, into);
        } else if (e instanceof LossExpr.Pair p) {
            positiveOnly(p.left(), under || p.function() == dev.dlx.compiler.train.expr.Function.POW, into);
            positiveOnly(p.right(), under, into);
        } else if (e instanceof LossExpr.Builtin b) {
            positiveOnly(b.prediction(), under, into);
            positiveOnly(b.target(), under, into);
        }
    }

    public static GradientCheckReport run(ModelIR model, Options options) {
        Random random = new Random(options.seed());
        try (ModelGraph<TFloat64> graph = ModelGraph.build(model, TFloat64.class, GraphOptions.seeded(options.seed()));
             Session session = new Session(graph.graph());
             Feeds feeds = new Feeds()) {
            Ops tf = graph.tf();
            // the batch
            List<Node> inputNodes = model.inputs();
            List<Operand<TFloat64>> inputs = graph.inputs();
            List<double[]> inputValues = new ArrayList<>();
            List<long[]> inputShapes = new ArrayList<>();
            java.util.Set<String> positive = new java.util.HashSet<>();
            if (options.objective() != null) positiveOnly(options.objective(), false, positive);
            for (int i = 0; i < inputs.size(); i++) {
                long[] shape = concreteShape(inputs.get(i).shape(), options);
                int vocab = vocabulary(model, inputNodes.get(i));
                boolean above0 = positive.contains(inputNodes.get(i).name());
                double[] v = new double[size(shape)];
                for (int j = 0; j < v.length; j++) {
                    v[j] = vocab > 0 ? random.nextInt(vocab) : above0 ? 0.5 + random.nextDouble() : 2 * random.nextDouble() - 1;
                }
                inputValues.add(v);
                inputShapes.add(shape);
                feeds.put(inputs.get(i), Tensors.of(TFloat64.class, shape, v));
            }
            // the targets and the loss
            Operand<TFloat64> loss = null;
            if (options.objective() != null) loss = ExprLowering.batchMean(tf, TFloat64.class, options.objective(), entry -> {
                if (!entry.isLabel()) return graph.tensor(entry.node());
                long[] shape = labelShape(entry, options);
                Placeholder<TFloat64> target = tf.placeholder(TFloat64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(shape)));
                feeds.put(target, Tensors.of(TFloat64.class, shape, labels(entry.labels(), shape, random)));
                return target;
            });
            for (Operand<TFloat64> out : options.objective() != null ? List.<Operand<TFloat64>>of() : graph.outputs()) {
                long[] shape = concreteShape(out.shape(), options);
                boolean sparse = options.loss() == Loss.SPARSE_CATEGORICAL_CROSSENTROPY;
                long[] targetShape = sparse ? Arrays.copyOf(shape, shape.length - 1) : shape;
                Placeholder<TFloat64> target = tf.placeholder(TFloat64.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(targetShape)));
                feeds.put(target, Tensors.of(TFloat64.class, targetShape, targets(options.loss(), shape, random)));
                Operand<TFloat64> l = Losses.build(tf, options.loss(), out, target);
                loss = loss == null ? l : tf.math.add(loss, l);
            }
            feeds.put(graph.training(), TBool.scalarOf(true));
            feeds.put(graph.dropoutActive(), TBool.scalarOf(false));

            // what to differentiate
            // (an expression's gradient reaches only the layers and inputs its tensors depend on)
            java.util.Set<String> reached = options.objective() == null ? null : ExprLowering.reachedLayers(model, options.objective());
            List<Weight> weights = graph.trainableWeights().stream().filter(w -> reached == null || reached.contains(w.layer())).toList();
            List<Integer> differentiable = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                if (vocabulary(model, inputNodes.get(i)) == 0 && (reached == null || reached.contains(inputNodes.get(i).name()))) differentiable.add(i);
            }
            List<Output<?>> xs = new ArrayList<>();
            for (Weight w : weights) xs.add(w.variable().asOutput());
            for (int i : differentiable) xs.add(inputs.get(i).asOutput());
            Output<?>[] grads = xs.isEmpty() ? new Output<?>[0]
                : graph.graph().addGradients(loss.asOutput(), xs.toArray(new Output<?>[0]));

            graph.initialize(session);
            Kinks kinks = Kinks.of(model, graph);
            Evaluator eval = new Evaluator(session, feeds, loss, kinks.tensors());
            Point origin = eval.at(null, null, null);
            double loss0 = origin.loss();
            List<double[]> analytical = eval.fetch(grads);

            List<GradientCheckReport.Entry> entries = new ArrayList<>();
            for (int k = 0; k < weights.size(); k++) {
                Weight w = weights.get(k);
                double[] values = w.readDoubles(session);
                Errors errors = new Errors();
                for (int idx : sample(values.length, options.samples(), random)) {
                    double original = values[idx];
                    values[idx] = original + options.step();
                    w.write(session, values);
                    Point plus = eval.at(null, null, null);
                    values[idx] = original - options.step();
                    w.write(session, values);
                    Point minus = eval.at(null, null, null);
                    values[idx] = original;
                    errors.add(analytical.get(k)[idx], minus, origin, plus, kinks, options.step());
                }
                w.write(session, values);
                Node node = model.weightHolder(w.layer()).orElseThrow();
                entries.add(errors.entry(w.layer(), node.kindName(), w.spec().name()));
            }
            for (int d = 0; d < differentiable.size(); d++) {
                int i = differentiable.get(d);
                double[] values = inputValues.get(i);
                Errors errors = new Errors();
                for (int idx : sample(values.length, options.samples(), random)) {
                    double original = values[idx];
                    values[idx] = original + options.step();
                    Point plus = eval.at(inputs.get(i), inputShapes.get(i), values);
                    values[idx] = original - options.step();
                    Point minus = eval.at(inputs.get(i), inputShapes.get(i), values);
                    values[idx] = original;
                    errors.add(analytical.get(weights.size() + d)[idx], minus, origin, plus, kinks, options.step());
                }
                entries.add(errors.entry(inputNodes.get(i).name(), "input", "input"));
            }
            return new GradientCheckReport(model.name(), loss0, entries);
        }
    }

    /** The vocabulary of the embeddings an input feeds (token ids are not differentiable), or 0. */
    private static int vocabulary(ModelIR model, Node input) {
        List<Node> consumers = model.consumers(input.id());
        if (consumers.isEmpty() || !consumers.stream().allMatch(n -> n.settings() instanceof Embedding.Settings)) return 0;
        return consumers.stream().mapToInt(n -> n.settings(Embedding.Settings.class).vocab()).min().orElse(0);
    }

    /** A label's batch shape: [batch, its per-sample shape]. */
    private static long[] labelShape(TensorEnv.Entry label, Options options) {
        List<dev.dlx.compiler.shape.Dim> dims = label.shape().dims();
        long[] shape = new long[dims.size() + 1];
        shape[0] = options.batch();
        for (int i = 0; i < dims.size(); i++) shape[i + 1] = dims.get(i).known() ? dims.get(i).size() : options.unknownSize();
        return shape;
    }

    /** Random labels of an encoding: one-hot rows, class indices, 0/1, or Gaussian targets. */
    private static double[] labels(LabelSpec labels, long[] shape, Random random) {
        switch (labels.encoding()) {
            case ONEHOT: return targets(Loss.CATEGORICAL_CROSSENTROPY, shape, random);
            case BINARY: return targets(Loss.BINARY_CROSSENTROPY, shape, random);
            case SPARSE: {
                long[] withClasses = java.util.Arrays.copyOf(shape, shape.length + 1);
                withClasses[shape.length] = labels.classes();
                return targets(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, withClasses, random);
            }
            default: return targets(Loss.MSE, shape, random);
        }
    }

    private static double[] targets(Loss loss, long[] shape, Random random) {
        int n = size(shape);
        long classes = shape[shape.length - 1];
        switch (loss) {
            case CATEGORICAL_CROSSENTROPY: {
                double[] t = new double[n];
                for (int row = 0; row < n / classes; row++) t[(int) (row * classes + random.nextInt((int) classes))] = 1;
                return t;
            }
            case SPARSE_CATEGORICAL_CROSSENTROPY: {
                double[] t = new double[(int) (n / classes)];
                for (int i = 0; i < t.length; i++) t[i] = random.nextInt((int) classes);
                return t;
            }
            case BINARY_CROSSENTROPY: {
                double[] t = new double[n];
                for (int i = 0; i < n; i++) t[i] = random.nextBoolean() ? 1 : 0;
                return t;
            }
            default: {
                double[] t = new double[n];
                for (int i = 0; i < n; i++) t[i] = 2 * random.nextGaussian();
                return t;
            }
        }
    }

    private static long[] concreteShape(org.tensorflow.ndarray.Shape shape, Options options) {
        long[] dims = shape.asArray();
        dims[0] = options.batch();
        for (int i = 1; i < dims.length; i++) if (dims[i] < 0) dims[i] = options.unknownSize();
        return dims;
    }

    private static int size(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return Math.toIntExact(n);
    }

    private static int[] sample(int length, int count, Random random) {
        if (length <= count) return java.util.stream.IntStream.range(0, length).toArray();
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < length; i++) all.add(i);
        java.util.Collections.shuffle(all, random);
        return all.subList(0, count).stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** The largest errors over the entries of one tensor, and how many entries sat at a kink. */
    private static final class Errors {
        private int count;
        private int excluded;
        private double relative;
        private double absolute;

        /** One entry from the evaluations at x - h, x and x + h; left out when the step crosses a kink. */
        void add(double analytical, Point minus, Point at, Point plus, Kinks kinks, double h) {
            if (kinks.crossed(minus.probes(), at.probes(), plus.probes(), h)) {
                excluded++;
                return;
            }
            add(analytical, (plus.loss() - minus.loss()) / (2 * h));
        }

        void add(double analytical, double numerical) {
            double diff = Math.abs(analytical - numerical);
            double scale = Math.max(Math.max(Math.abs(analytical), Math.abs(numerical)), 1e-8);
            relative = Math.max(relative, diff / scale);
            absolute = Math.max(absolute, diff);
            count++;
        }

        GradientCheckReport.Entry entry(String layer, String kind, String tensor) {
            return new GradientCheckReport.Entry(layer, kind, tensor, count, excluded, relative, absolute);
        }
    }

    /** The tensors fed at every run (the batch, the targets and the mode flags); closed at the end. */
    private static final class Feeds implements AutoCloseable {
        final List<Operand<?>> operands = new ArrayList<>();
        final List<Tensor> tensors = new ArrayList<>();

        void put(Operand<?> op, Tensor t) {
            operands.add(op);
            tensors.add(t);
        }

        Session.Runner into(Session.Runner r, Operand<?> except) {
            for (int i = 0; i < operands.size(); i++) if (operands.get(i) != except) r.feed(operands.get(i), tensors.get(i));
            return r;
        }

        @Override public void close() { tensors.forEach(Tensor::close); }
    }

    /** The loss at one point, with the values of the tensors {@link Kinks} watches there. */
    private record Point(double loss, List<double[]> probes) {}

    private record Evaluator(Session session, Feeds feeds, Operand<TFloat64> objective, List<Operand<TFloat64>> probes) {
        /** The point with the fed batch, or with {@code values} fed to {@code input} instead (when not null). */
        Point at(Operand<TFloat64> input, long[] shape, double[] values) {
            try (Tensor t = input == null ? null : Tensors.of(TFloat64.class, shape, values)) {
                Session.Runner runner = feeds.into(session.runner(), input);
                if (input != null) runner.feed(input, t);
                runner.fetch(objective);
                for (Operand<TFloat64> p : probes) runner.fetch(p);
                try (Result r = runner.run()) {
                    List<double[]> seen = new ArrayList<>();
                    for (int i = 0; i < probes.size(); i++) seen.add(Tensors.doubles(r.get(i + 1)));
                    return new Point(Tensors.scalar(r.get(0)), seen);
                }
            }
        }

        List<double[]> fetch(Output<?>[] outputs) {
            if (outputs.length == 0) return List.of();
            Session.Runner runner = feeds.into(session.runner(), null);
            for (Output<?> o : outputs) runner.fetch(o);
            List<double[]> out = new ArrayList<>();
            try (Result r = runner.run()) {
                for (int i = 0; i < outputs.length; i++) out.add(Tensors.doubles(r.get(i)));
            }
            return out;
        }
    }
}
