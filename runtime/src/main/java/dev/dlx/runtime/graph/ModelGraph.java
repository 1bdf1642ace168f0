package dev.dlx.runtime.graph;

import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.runtime.lower.LoweringContext;
import dev.dlx.runtime.lower.Lowerings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * The forward graph of a checked model in one precision ({@code T}: TFloat32 to train, TFloat64 for
 * gradient checks): a placeholder per model input (batch first, of any size), a variable per
 * {@link ParamSpec} named `layer/param` (one for all uses of a model used inside the model, named
 * after its owner, `Encoder/dense_1/kernel`: see {@link Node#weightOwner()}), each layer lowered by its kind's {@link Lowerings} entry
 * and checked against the checker's shape, two mode flags: {@link #training()} (false unless
 * fed) and {@link #dropoutActive()} (follows training unless fed), and {@link #dropoutStep()}, the
 * training step whose dropout masks are drawn (0 unless fed). The graph is owned: close it.
 * Sessions are the caller's; {@link #initialize(Session)} gives every weight its initial value.
 */
public final class ModelGraph<T extends TFloating> implements AutoCloseable {
    private final ModelIR model;
    private final Class<T> type;
    private final Graph graph;
    private final Ops tf;
    private final PlaceholderWithDefault<TBool> training;
    private final PlaceholderWithDefault<TBool> dropoutActive;
    private final PlaceholderWithDefault<TInt64> dropoutStep;
    private final List<Operand<T>> inputs = new ArrayList<>();
    private Variable<T> staged;
    private Placeholder<TInt32> stageIndex;
    private final Map<Integer, Operand<T>> tensors = new HashMap<>();
    /** The masks [B, T] of sequence tensors with padded steps, by node id. */
    private final Map<Integer, Operand<T>> masks = new HashMap<>();
    private final List<Weight> weights = new ArrayList<>();
    /** Each weight's variable by its name (`layer/param`): the layers of every use of a model share them. */
    private final Map<String, Variable<T>> shared = new HashMap<>();
    private final List<Op> updates = new ArrayList<>();
    /** The same updates by the layer whose weights they update (its weight owner: one for every use of a used model). */
    private final Map<String, List<Op>> updatesByOwner = new LinkedHashMap<>();
    private final Op initializer;

    private ModelGraph(ModelIR model, Class<T> type, GraphOptions options) {
        this.model = model;
        this.type = type;
        this.graph = new Graph();
        this.tf = Ops.create(graph);
        this.training = tf.withName(Names.GRAPH + "training").placeholderWithDefault(tf.constant(false), org.tensorflow.ndarray.Shape.scalar());
        this.dropoutActive = tf.withName(Names.GRAPH + "dropout_active").placeholderWithDefault(training, org.tensorflow.ndarray.Shape.scalar());
        this.dropoutStep = tf.withName(Names.GRAPH + "dropout_step").placeholderWithDefault(tf.constant(0L), org.tensorflow.ndarray.Shape.scalar());
        try {
            List<Op> initializers = new ArrayList<>();
            Operand<TBool> inference = tf.withName(Names.GRAPH + "frozen_mode").constant(false);
            for (Node node : model.nodes()) {
                if (node.isInput()) {
                    Operand<T> p = options.stagedInput() && inputs.isEmpty() ? stagedInput(node)
                        : tf.withName(Names.op(node.name())).placeholder(type, Placeholder.shape(withBatch(node.shape())));
                    inputs.add(p);
                    tensors.put(node.id(), p);
                    continue;
                }
                Ops scope = Names.scope(tf, node.name());
                Map<String, Operand<T>> vars = new LinkedHashMap<>();
                for (ParamSpec spec : node.params()) {
                    String key = node.weightOwner() + "/" + spec.name();
                    Variable<T> v = shared.get(key);
                    if (v == null) shared.put(key, v = addWeight(node, spec, options, initializers));
                    vars.put(spec.name(), v);
                }
                List<Operand<T>> in = node.inputs().stream().map(tensors::get).toList();
                List<Shape> inShapes = node.inputs().stream().map(i -> model.node(i).shape()).toList();
                List<Operand<T>> inMasks = new ArrayList<>();
                for (int i : node.inputs()) inMasks.add(masks.get(i));
                // a frozen layer runs as at inference (batch norm on its moving statistics)
                Operand<TBool> mode = options.frozen(node) ? inference : training;
                LoweringContext<T> ctx = new LoweringContext<>(scope, node, in, inShapes, vars, type, mode, dropoutActive,
                    dropoutStep, options.seed(), op -> {
                        updates.add(op);
                        updatesByOwner.computeIfAbsent(node.weightOwner(), k -> new ArrayList<>()).add(op);
                    }, inMasks).withPrecision(options.precision());
                Operand<T> out = Lowerings.of(node.kind()).lower(ctx);
                ShapeCheck.verify(node, out);
                tensors.put(node.id(), out);
                Operand<T> mask = ctx.outputMask();
                if (mask != null) masks.put(node.id(), mask);
            }
            this.initializer = tf.withControlDependencies(initializers).withName(Names.GRAPH + "initialize").noOp();
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    /** Builds the graph of a valid model. */
    public static <T extends TFloating> ModelGraph<T> build(ModelIR model, Class<T> type, GraphOptions options) {
        if (!model.valid()) throw new IllegalArgumentException("model `" + model.name() + "` has errors: check it first");
        return new ModelGraph<>(model, type, options);
    }

    /** Builds the graph of a valid model in float32. */
    public static ModelGraph<TFloat32> build(ModelIR model, GraphOptions options) {
        return build(model, TFloat32.class, options);
    }

    /**
     * The first input as a placeholder whose default gathers the samples at {@link #stageIndex()}
     * from the variable {@link #stagedData()}: feeding it still works as for any input.
     */
    private Operand<T> stagedInput(Node node) {
        Ops data = tf.withSubScope(Names.GRAPH + "data");
        org.tensorflow.ndarray.Shape shape = withBatch(node.shape());
        staged = data.withName("samples").variable(org.tensorflow.ndarray.Shape.unknown(), type); // its size comes with the split
        stageIndex = data.withName("index").placeholder(TInt32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)));
        Operand<T> gathered = data.gather(staged, stageIndex, data.constant(0));
        return tf.withName(Names.op(node.name())).placeholderWithDefault(gathered, shape);
    }

    /** The variable of one weight, under its owner's name: a layer of a used model makes it once, for every use. */
    private Variable<T> addWeight(Node node, ParamSpec spec, GraphOptions options, List<Op> initializers) {
        Ops scope = Names.scope(tf, node.weightOwner());
        long[] shape = spec.shape().stream().mapToLong(Long::longValue).toArray();
        String name = Names.op(spec.name());
        Variable<T> variable = scope.withName(name).variable(org.tensorflow.ndarray.Shape.of(shape), type);
        Ops init = scope.withSubScope(name + "_init");
        Operand<T> value = Initializers.initialValue(init, spec, type, options.init(), options.initSeed(), weights.size());
        initializers.add(init.assign(variable, value));
        Placeholder<T> feed = scope.withName(name + "_value").placeholder(type, Placeholder.shape(org.tensorflow.ndarray.Shape.of(shape)));
        weights.add(new Weight(node.weightOwner(), spec, variable, feed, scope.withName(name + "_assign").assign(variable, feed), type));
        return variable;
    }

    private static org.tensorflow.ndarray.Shape withBatch(Shape shape) {
        long[] dims = new long[shape.rank() + 1];
        dims[0] = -1;
        for (int i = 0; i < shape.rank(); i++) {
            Dim d = shape.dim(i);
            dims[i + 1] = d.known() ? d.size() : -1;
        }
        return org.tensorflow.ndarray.Shape.of(dims);
    }

    public ModelIR model() { return model; }
    public Class<T> type() { return type; }
    public Graph graph() { return graph; }
    /** Operations on this graph, for the loss, metrics and optimizer. */
    public Ops tf() { return tf; }

    /** The model's inputs, in declaration order, to feed: [batch, shape...] (placeholders, with a default when staged). */
    public List<Operand<T>> inputs() { return List.copyOf(inputs); }

    /** The variable holding a staged split of the first input (null unless built with a staged input). */
    public Variable<T> stagedData() { return staged; }

    /** The sample indices into {@link #stagedData()} that the first input gathers (null unless staged). */
    public Placeholder<TInt32> stageIndex() { return stageIndex; }

    /** The model's outputs, in order: [batch, shape...]. */
    public List<Operand<T>> outputs() { return model.outputIds().stream().map(tensors::get).toList(); }

    public Operand<T> output() { return outputs().get(0); }

    /** The tensor of a node, by its id in the model IR. */
    public Operand<T> tensor(int nodeId) { return tensors.get(nodeId); }

    /** The tensor computed by any node (inputs included), by name: activations to inspect. */

    public Optional<Operand<T>> tensor(String nodeName) { return model.layer(nodeName).map(n -> tensors.get(n.id())); }

    /** Feed true while training: batch norm uses (and updates from) batch statistics, dropout drops. */
    public PlaceholderWithDefault<TBool> training() { return training; }

    /** Whether dropout drops; follows {@link #training()} unless fed (gradient checks feed false). */
    public PlaceholderWithDefault<TBool> dropoutActive() { return dropoutActive; }

    /**
     * The training step (epoch * batches + batch, counted from 0) whose dropout masks the graph
     * draws: the same step draws the same masks, in a run resumed or not. 0 unless fed.
     */
    public PlaceholderWithDefault<TInt64> dropoutStep() { return dropoutStep; }

    /** Every weight, in model order; a layer's in its spec order. */
    public List<Weight> weights() { return List.copyOf(weights); }

    public List<Weight> trainableWeights() { return weights.stream().filter(Weight::trainable).toList(); }

    public Optional<Weight> weight(String name) { return weights.stream().filter(w -> w.name().equals(name)).findFirst(); }

    /** State updates (batch norm's moving statistics) to run as targets of each training step. */
    public List<Op> updateOps() { return List.copyOf(updates); }

    /** The state updates of the layers named by their weight owners (`Discriminator/batchnorm_1`), in graph order. */
    public List<Op> updateOps(java.util.Collection<String> owners) {
        List<Op> out = new ArrayList<>();
        updatesByOwner.forEach((owner, ops) -> { if (owners.contains(owner)) out.addAll(ops); });
        return out;
    }

    /** Assigns every weight its initial value. */
    public Op initializer() { return initializer; }

    public void initialize(Session session) {
        try (Result r = session.runner().addTarget(initializer).run()) {
            // nothing to fetch
        }
    }

    /** Every weight's values by name, in model order. */
    public Map<String, float[]> readWeights(Session session) {
        if (weights.isEmpty()) return Map.of();
        Session.Runner runner = session.runner();
        for (Weight w : weights) runner.fetch(w.variable());
        Map<String, float[]> out = new LinkedHashMap<>();
        try (Result r = runner.run()) {
            for (int i = 0; i < weights.size(); i++) out.put(weights.get(i).name(), Tensors.floats(r.get(i)));
        }
        return out;
    }

    /** Writes the named weights (all of a checkpoint, or some); unknown names and wrong sizes are errors. */
    public void writeWeights(Session session, Map<String, float[]> values) {
        List<Tensor> fed = new ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            for (Map.Entry<String, float[]> e : values.entrySet()) {
                Weight w = weight(e.getKey()).orElseThrow(() -> new IllegalArgumentException(
                    "model `" + model.name() + "` has no weight `" + e.getKey() + "`"));
                Tensor t = w.tensor(e.getValue());
                fed.add(t);
                runner.feed(w.valueInput(), t).addTarget(w.assign());
            }
            if (!fed.isEmpty()) {
                try (Result r = runner.run()) {
                    // nothing to fetch
                }
            }
        } finally {
            fed.forEach(Tensor::close);
        }
    }

    @Override public void close() { graph.close(); }
}
