package dev.dlx.runtime.train;

import dev.dlx.compiler.data.LabelIR;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.train.Noise;
import dev.dlx.compiler.train.Step;
import dev.dlx.compiler.train.TrainFeed;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.graph.GraphOptions;
import dev.dlx.runtime.graph.ModelGraph;
import dev.dlx.runtime.graph.Tensors;
import dev.dlx.runtime.graph.Weight;
import dev.dlx.runtime.loss.ExprLowering;
import dev.dlx.runtime.optim.Clipping;
import dev.dlx.runtime.optim.OptimizerGraph;
import dev.dlx.runtime.optim.StateVariable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The graph of a training with several update steps (`step D { ... }`, `step G { ... }`): the
 * model once, and for each step its loss (lowered from its expression), the gradients of that loss
 * at the weights the step updates only (not every variable, as a framework optimizer would), held
 * back when the loss or a gradient is not finite, and that step's optimizer with its own state and
 * learning rate. Running a step changes its weights and nothing else: the other steps' weights are
 * bit-identical after it. The model's `noise` inputs are fed with values drawn here, seeded by the
 * run, the epoch, the batch and the step.
 */
public final class StepGraph implements AutoCloseable {
    /** One step's ops. */
    private record StepOps(Step step, Operand<TFloat32> loss, List<Weight> trained, OptimizerGraph optimizer, Op train) {}

    /** A model input fed with noise: its placeholder, its distribution and its per-sample shape. */
    private record NoiseInput(Operand<TFloat32> input, Noise noise, long[] shape, long seed) {}

    private static final String NOT_FINITE = "dlx: the step's loss or a gradient is not finite";

    private final ModelGraph<TFloat32> model;
    private final Session session;
    private final TrainFeed feed;
    private final List<Operand<TFloat32>> dataInputs = new ArrayList<>();
    private final List<NoiseInput> noise = new ArrayList<>();
    private final List<Operand<TFloat32>> targets = new ArrayList<>();
    private final List<StepOps> steps = new ArrayList<>();
    private final Op initialize;
    private final String generated;
    private final TBool yes = TBool.scalarOf(true);

    private StepGraph(ModelIR ir, TrainIR train, TrainFeed feed, long seed, TrainGraph.Threads threads) {
        this.model = ModelGraph.build(ir, TFloat32.class, new GraphOptions(train.init(), seed).withFrozen(train.frozen()));
        this.feed = feed;
        this.generated = train.generated();
        try {
            Ops tf = model.tf();
            Set<String> noiseNames = train.noiseInputs();
            for (int i = 0; i < ir.inputs().size(); i++) {
                Node in = ir.inputs().get(i);
                Operand<TFloat32> placeholder = model.inputs().get(i);
                if (!noiseNames.contains(in.name())) {
                    dataInputs.add(placeholder);
                    continue;
                }
                Noise n = train.noise().stream().filter(x -> x.input().equals(in.name())).findFirst().orElseThrow();
                long[] shape = in.shape().dims().stream().mapToLong(d -> d.size()).toArray();
                noise.add(new NoiseInput(placeholder, n, shape, n.seed().isPresent() ? n.seed().getAsInt() : seed));
            }
            long[] outShape = model.output().shape().asArray();
            for (LabelIR l : feed == null ? List.<LabelIR>of() : feed.labels()) {
                targets.add(tf.withSubScope("dlx.train").withName("targets_" + l.name())
                    .placeholder(TFloat32.class, Placeholder.shape(TrainGraph.targetShape(l.spec(), outShape))));
            }
            ExprLowering<TFloat32> lowering = ExprLowering.of(tf, TFloat32.class,
                entry -> entry.isLabel() ? targets.get(feed.labelIndex(entry.name())) : model.tensor(entry.node()));
            Set<String> frozen = new HashSet<>(train.frozen());
            List<Op> inits = new ArrayList<>();
            inits.add(model.initializer());
            for (Step s : train.steps()) {
                StepOps ops = build(tf.withSubScope("step_" + s.name()), s, lowering.batchMean(s.objective()), frozen);
                steps.add(ops);
                inits.addAll(ops.optimizer().initializers());
            }
            inits.addAll(lrInitializers);
            this.initialize = tf.withControlDependencies(inits).withSubScope("dlx.train").withName("initialize").noOp();
            ConfigProto config = dev.dlx.runtime.device.Device.configure(ConfigProto.newBuilder())
                .setIntraOpParallelismThreads(threads.intraOp())
                .setInterOpParallelismThreads(threads.interOp())
                .setAllowSoftPlacement(true)
                .build();
            this.session = new Session(model.graph(), config);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private final List<Op> lrInitializers = new ArrayList<>();

    private StepOps build(Ops tf, Step s, Operand<TFloat32> loss, Set<String> frozen) {
        Set<String> updates = new HashSet<>(s.updates());
        List<Weight> trained = model.trainableWeights().stream()
            .filter(w -> updates.contains(w.layer()) && !frozen.contains(w.layer())).toList();
        if (trained.isEmpty()) throw new IllegalArgumentException("step `" + s.name() + "` has no trainable weight to update (are they all frozen?)");
        Output<?>[] xs = trained.stream().map(w -> w.variable().asOutput()).toArray(Output<?>[]::new);
        List<Operand<TFloat32>> grads = new ArrayList<>();
        for (Output<?> g : model.graph().addGradients(loss.asOutput(), xs)) {
            @SuppressWarnings("unchecked") Output<TFloat32> gf = (Output<TFloat32>) g;
            grads.add(gf);
        }
        // finite iff the loss and every gradient are; every update waits for the check
        Operand<TFloat32> probe = loss;
        for (Operand<TFloat32> g : grads) probe = tf.math.add(probe, Clipping.sumAll(tf, g));
        Operand<TFloat32> checked = tf.withName("finite").debugging.checkNumerics(probe, NOT_FINITE);
        List<Op> ready = new ArrayList<>();
        ready.add((Op) checked);
        for (Operand<TFloat32> g : grads) ready.add((Op) g);
        Op gradientsReady = tf.withControlDependencies(ready).withName("gradients_ready").noOp();
        StateVariable lr = StateVariable.create(tf, s.name() + "/learning_rate", "learning_rate", new long[0], s.optimizer().lr());
        lrInitializers.add(lr.initializer());
        OptimizerGraph optimizer = OptimizerGraph.build(tf, s.optimizer(), trained, grads, lr.variable(), gradientsReady);
        List<Op> stepOps = new ArrayList<>();
        stepOps.add(optimizer.step());
        // batch norm's moving statistics of the layers this step updates
        stepOps.addAll(model.updateOps(updates));
        Op train = tf.withControlDependencies(stepOps).withName("train").noOp();
        return new StepOps(s, loss, trained, optimizer, train);
    }

    /** The graph of a valid training with steps, initialized; {@code feed} says what each batch feeds. */
    public static StepGraph build(ModelIR model, TrainIR train, TrainFeed feed, long seed, TrainGraph.Threads threads) {
        if (!train.stepped()) throw new IllegalArgumentException("training of `" + model.name() + "` has no steps");
        StepGraph g = new StepGraph(model, train, feed, seed, threads);
        g.initialize();
        return g;
    }

    public void initialize() {
        try (Result r = session.runner().addTarget(initialize).run()) {
            // nothing to fetch
        }
    }

    /** The steps, in the order each batch runs them. */
    public List<Step> steps() { return steps.stream().map(StepOps::step).toList(); }

    /** The weights step {@code k} updates. */
    public List<Weight> trained(int k) { return steps.get(k).trained(); }

    /**
     * Runs step {@code k} on a batch: its update, with dropout masks of training step {@code index}
     * and noise drawn for (epoch, batch, draw). Returns the batch mean of its loss before the
     * update; NaN when the loss or a gradient was not finite (nothing was updated).
     */
    public double step(int k, BatchFeeder.Batch batch, int epoch, int b, int draw, long index) {
        List<Tensor> owned = new ArrayList<>();
        try (TInt64 at = TInt64.scalarOf(index)) {
            Session.Runner runner = session.runner().feed(model.training(), yes).feed(model.dropoutStep(), at);
            feedBatch(runner, batch, epoch, b, draw, owned);
            runner.fetch(steps.get(k).loss()).addTarget(steps.get(k).train());
            try (Result r = runner.run()) {
                return ((TFloat32) r.get(0)).getFloat();
            } catch (TFInvalidArgumentException e) {
                if (e.getMessage() == null || !e.getMessage().contains(NOT_FINITE)) throw e;
                return Double.NaN;
            }
        } finally {
            owned.forEach(Tensor::close);
        }
    }

    /** Step {@code k}'s loss on a batch in inference mode, nothing updated; noise drawn for (epoch, batch, draw). */
    public double loss(int k, BatchFeeder.Batch batch, int epoch, int b, int draw) {
        List<Tensor> owned = new ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            feedBatch(runner, batch, epoch, b, draw, owned);
            try (Result r = runner.fetch(steps.get(k).loss()).run()) {
                return ((TFloat32) r.get(0)).getFloat();
            }
        } finally {
            owned.forEach(Tensor::close);
        }
    }

    private void feedBatch(Session.Runner runner, BatchFeeder.Batch batch, int epoch, int b, int draw, List<Tensor> owned) {
        int fed = dataInputs.size();
        for (int i = 0; i < fed; i++) runner.feed(dataInputs.get(i), i == 0 ? batch.x : batch.parts.get(i - 1).x);
        for (int k = 0; k < targets.size(); k++) runner.feed(targets.get(k), k == 0 ? batch.y : batch.parts.get(fed - 2 + k).y);
        for (int n = 0; n < noise.size(); n++) {
            NoiseInput in = noise.get(n);
            TFloat32 t = noiseTensor(in, batch.count, Trainer.random(in.seed(), epoch, b, 1000 + 16 * draw + n));
            owned.add(t);
            runner.feed(in.input(), t);
        }
    }

    /** {@code count} samples of a noise input's distribution drawn from {@code random}, [count, shape...]. */
    private static TFloat32 noiseTensor(NoiseInput in, int count, Random random) {
        float[] v = draw(in.noise(), count * perSample(in.shape()), random);
        long[] shape = new long[in.shape().length + 1];
        shape[0] = count;
        System.arraycopy(in.shape(), 0, shape, 1, in.shape().length);
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(v, true, false));
    }

    /** {@code n} values of the distribution, from {@code random}: the same values for the same stream. */
    public static float[] draw(Noise noise, int n, Random random) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (noise.kind() == Noise.Kind.NORMAL ? noise.mean() + noise.std() * random.nextGaussian()
                : noise.low() + (noise.high() - noise.low()) * random.nextDouble());
        }
        return v;
    }

    private static int perSample(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return Math.toIntExact(n);
    }

    /** The name of the tensor generated from noise alone (see {@link TrainIR#generated}), or null. */
    public String generatedTensor() { return generated; }

    /**
     * The generated tensor for {@code count} noise samples drawn from {@code seed} (inference mode):
     * count * its per-sample size values. The same seed gives the same samples.
     */
    public float[] generate(int count, long seed) {
        if (generated == null) throw new IllegalStateException("the model generates no image from its noise inputs");
        return Generator.run(session, model, noise.stream().map(NoiseInput::input).toList(), noise.stream().map(NoiseInput::noise).toList(),
            noise.stream().map(NoiseInput::shape).toList(), generated, count, seed);
    }

    /** Every model weight by name. */
    public Map<String, float[]> readWeights() { return model.readWeights(session); }

    public void writeWeights(Map<String, float[]> values) { model.writeWeights(session, values); }

    /** Every step's optimizer accumulators, each named after its step (`d/adam/m/dense_1/kernel`). */
    public Map<String, float[]> readOptimizerState() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (StepOps s : steps) s.optimizer().read(session).forEach((name, v) -> out.put(stateName(s, name), v));
        return out;
    }

    /**
     * Restores what {@link #readOptimizerState} saved; returns false, changing nothing, when a step's
     * state is missing or of another form (the steps or their optimizers changed).
     */
    public boolean writeOptimizerState(Map<String, float[]> values) {
        List<Map<String, float[]>> each = new ArrayList<>();
        for (StepOps s : steps) {
            Map<String, float[]> mine = new LinkedHashMap<>();
            for (StateVariable v : s.optimizer().slots()) {
                float[] saved = values.get(stateName(s, v.name()));
                if (saved == null || saved.length != v.size()) return false;
                mine.put(v.name(), saved);
            }
            each.add(mine);
        }
        for (int k = 0; k < steps.size(); k++) steps.get(k).optimizer().write(session, each.get(k));
        return true;
    }

    /** The shape of every accumulator, by the names {@link #readOptimizerState} gives them. */
    public Map<String, long[]> optimizerShapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (StepOps s : steps) for (StateVariable v : s.optimizer().slots()) out.put(stateName(s, v.name()), v.shape());
        return out;
    }

    private static String stateName(StepOps s, String slot) { return s.step().name() + "/" + slot; }

    public ModelGraph<TFloat32> model() { return model; }

    public Session session() { return session; }

    @Override public void close() {
        if (session != null) session.close();
        if (model != null) model.close();
        yes.close();
    }

    /** Runs a model's generated tensor from noise alone: what training's pictures and `dlxc generate` share. */
    public static final class Generator {
        private Generator() {}

        public static float[] run(Session session, ModelGraph<TFloat32> model, List<Operand<TFloat32>> inputs, List<Noise> noises,
                                  List<long[]> shapes, String tensor, int count, long seed) {
            Operand<TFloat32> out = model.tensor(tensor).orElseThrow(() -> new IllegalArgumentException("no tensor `" + tensor + "`"));
            List<Tensor> owned = new ArrayList<>();
            try {
                Session.Runner runner = session.runner();
                for (int n = 0; n < inputs.size(); n++) {
                    TFloat32 t = noiseTensor(new NoiseInput(inputs.get(n), noises.get(n), shapes.get(n), seed), count,
                        Trainer.random(seed, 0, 0, 7000 + n));
                    owned.add(t);
                    runner.feed(inputs.get(n), t);
                }
                try (Result r = runner.fetch(out).run()) {
                    return Tensors.floats(r.get(0));
                }
            } finally {
                owned.forEach(Tensor::close);
            }
        }
    }
}
