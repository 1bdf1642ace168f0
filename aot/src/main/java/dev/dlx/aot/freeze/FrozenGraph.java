package dev.dlx.aot.freeze;

import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.lower.LoweringContext;
import dev.dlx.runtime.lower.Lowerings;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The inference graph of a trained model with its weights as constants: one float32 placeholder
 * `dlx.input` [batch, input shape...], the run's normalization as graph operations under
 * `dlx.normalize` (so the graph takes samples as the dataset's `features` steps leave them, like
 * `dlxc predict` does), every layer lowered by the same {@link Lowerings} the trainer uses with
 * training and dropout off, and an identity `dlx.output` [batch, output shape...]. A model with
 * several inputs or outputs has one placeholder `dlx.input.NAME` per input (each normalized by its
 * own feature's statistics, under `dlx.normalize.NAME`) and one identity `dlx.output.NAME` per output.
 * <p>The layers are lowered onto variables, as in training (batch norm's lowering assigns to its
 * moving statistics); the GraphDef is then frozen: every variable becomes a `Const` node holding
 * its trained values, and only what `dlx.output` depends on is kept, so state updates and
 * assignments are gone. The result runs in a fresh session without initialization or restoring,
 * in any TensorFlow (Java, Python, Serving).
 */
public final class FrozenGraph {
    /** The placeholder's operation name. */
    public static final String INPUT_OP = "dlx.input";
    /** The output's operation name. */
    public static final String OUTPUT_OP = "dlx.output";

    private FrozenGraph() {}

    /**
     * Freezes {@code model} with {@code weights} (checkpoint names `layer/param`, row-major values);
     * {@code normalizer} may be null. Returns the serialized GraphDef (what `graph.pb` holds).
     */
    public static byte[] freeze(ModelIR model, Map<String, float[]> weights, Normalizer normalizer) {
        List<Normalizer> one = new java.util.ArrayList<>();
        for (int i = 0; i < model.inputIds().size(); i++) one.add(i == 0 ? normalizer : null);
        return freezeEach(model, weights, one);
    }

    /** The placeholder of model input {@code k}: {@link #INPUT_OP} for a model with one input, else `dlx.input.NAME`. */
    public static String inputOp(ModelIR model, int k) {
        return model.inputIds().size() == 1 ? INPUT_OP : INPUT_OP + "." + op(model.inputs().get(k).name());
    }

    /** The identity of model output {@code k}: {@link #OUTPUT_OP} for a model with one output, else `dlx.output.NAME`. */
    public static String outputOp(ModelIR model, int k) {
        return model.outputIds().size() == 1 ? OUTPUT_OP : OUTPUT_OP + "." + op(model.outputs().get(k).name());
    }

    /**
     * Freezes a model with any number of inputs and outputs: one placeholder per input
     * ({@link #inputOp}), normalized by its own statistics ({@code normalizers}, one per input, null
     * for none), one identity per output ({@link #outputOp}).
     */
    public static byte[] freezeEach(ModelIR model, Map<String, float[]> weights, List<Normalizer> normalizers) {
        if (!model.valid()) throw new IllegalArgumentException("model `" + model.name() + "` has errors: check it first");
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Map<Integer, Operand<TFloat32>> inputs = new HashMap<>();
            for (int k = 0; k < model.inputs().size(); k++) {
                Node inputNode = model.inputs().get(k);
                long[] sample = dims(inputNode.shape(), "input `" + inputNode.name() + "`");
                Placeholder<TFloat32> input = tf.withName(inputOp(model, k)).placeholder(TFloat32.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(withBatch(sample))));
                Normalizer normalizer = k < normalizers.size() ? normalizers.get(k) : null;
                String scope = model.inputs().size() == 1 ? "dlx.normalize" : "dlx.normalize." + op(inputNode.name());
                inputs.put(inputNode.id(), normalizer == null ? input : normalize(tf.withSubScope(scope), input, normalizer, sample));
            }
            Operand<TBool> off = tf.withName("dlx.training").constant(false);
            Map<Integer, Operand<TFloat32>> tensors = new HashMap<>();
            Map<String, float[]> unused = new LinkedHashMap<>(weights);
            Map<String, Constant> constants = new HashMap<>();
            Map<String, Variable<TFloat32>> variables = new HashMap<>();
            for (Node node : model.nodes()) {
                if (node.isInput()) {
                    tensors.put(node.id(), inputs.get(node.id()));
                    continue;
                }
                Ops scope = scope(tf, node.name());
                Map<String, Operand<TFloat32>> vars = new LinkedHashMap<>();
                for (ParamSpec spec : node.params()) {
                    String key = node.weightOwner() + "/" + spec.name();
                    Variable<TFloat32> made = variables.get(key); // the uses of a used model share its weights
                    if (made != null) {
                        vars.put(spec.name(), made);
                        continue;
                    }
                    float[] values = unused.remove(key);
                    long[] shape = spec.shape().stream().mapToLong(Long::longValue).toArray();
                    if (values == null) throw new IllegalArgumentException("the weights have no `" + key + "`");
                    if (values.length != spec.count()) {
                        throw new IllegalArgumentException("weight `" + key + "` has " + values.length + " values, the model needs "
                            + spec.count() + " " + Arrays.toString(shape));
                    }
                    Variable<TFloat32> v = scope(tf, node.weightOwner()).withName(op(spec.name()))
                        .variable(org.tensorflow.ndarray.Shape.of(shape), TFloat32.class);
                    constants.put(v.op().name(), new Constant(shape, values));
                    variables.put(key, v);
                    vars.put(spec.name(), v);
                }
                List<Operand<TFloat32>> in = node.inputs().stream().map(tensors::get).toList();
                List<Shape> inShapes = node.inputs().stream().map(i -> model.node(i).shape()).toList();
                LoweringContext<TFloat32> ctx = new LoweringContext<>(scope, node, in, inShapes, vars, TFloat32.class, off, off, 0L,
                    update -> { });
                tensors.put(node.id(), Lowerings.of(node.kind()).lower(ctx));
            }
            if (!unused.isEmpty()) {
                throw new IllegalArgumentException("model `" + model.name() + "` has no weight `" + unused.keySet().iterator().next() + "`");
            }
            List<String> outputs = new java.util.ArrayList<>();
            for (int k = 0; k < model.outputIds().size(); k++) {
                outputs.add(outputOp(model, k));
                tf.withName(outputOp(model, k)).identity(tensors.get(model.outputIds().get(k)));
            }
            return freeze(graph.toGraphDef(), constants, outputs).toByteArray();
        }
    }

    private record Constant(long[] shape, float[] values) {}

    /** What {@code outputs} need of {@code def}, with the variables replaced by constants. */
    private static GraphDef freeze(GraphDef def, Map<String, Constant> constants, List<String> outputs) {
        Map<String, NodeDef> byName = new HashMap<>();
        for (NodeDef n : def.getNodeList()) byName.put(n.getName(), n);
        Set<String> needed = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(outputs);
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!needed.add(name)) continue;
            if (constants.containsKey(name)) continue;
            NodeDef n = byName.get(name);
            if (n == null) throw new IllegalStateException("the graph has no node `" + name + "`");
            for (String input : n.getInputList()) {
                String source = input.startsWith("^") ? input.substring(1) : input;
                int colon = source.indexOf(':');
                todo.push(colon < 0 ? source : source.substring(0, colon));
            }
        }
        GraphDef.Builder out = def.toBuilder().clearNode();
        for (NodeDef n : def.getNodeList()) {
            if (!needed.contains(n.getName())) continue;
            Constant c = constants.get(n.getName());
            out.addNode(c == null ? n : constant(n.getName(), c));
        }
        return out.build();
    }

    private static NodeDef constant(String name, Constant c) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long d : c.shape()) shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        ByteBuffer bytes = ByteBuffer.allocate(c.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : c.values()) bytes.putFloat(v);
        TensorProto tensor = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape)
            .setTensorContent(ByteString.copyFrom(bytes.array())).build();
        return NodeDef.newBuilder().setName(name).setOp("Const")
            .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
            .putAttr("value", AttrValue.newBuilder().setTensor(tensor).build())
            .build();
    }

    /**
     * x &lt;- (x - mean) * (1 / std) as {@link Normalizer#apply} computes it in float32: per feature
     * (statistics shaped like a sample) or per channel (the last axis of an image). Samplewise
     * statistics are computed in float64 per sample, as the host does.
     */
    private static Operand<TFloat32> normalize(Ops tf, Operand<TFloat32> x, Normalizer n, long[] sample) {
        int rank = sample.length;
        if (n.mode() == dev.dlx.compiler.data.Normalize.Mode.SAMPLEWISE) {
            int[] axes = new int[rank];
            for (int i = 0; i < rank; i++) axes[i] = i + 1;
            Operand<TFloat64> d = tf.dtypes.cast(x, TFloat64.class);
            var axis = tf.constant(axes);
            Operand<TFloat64> mean = tf.math.mean(d, axis, org.tensorflow.op.math.Mean.keepDims(true));
            Operand<TFloat64> var = tf.math.mean(tf.math.square(tf.math.sub(d, mean)), axis, org.tensorflow.op.math.Mean.keepDims(true));
            Operand<TFloat64> std = tf.math.sqrt(var);
            Operand<TFloat64> safe = tf.select(tf.math.less(std, tf.constant(1e-6)), tf.onesLike(std), std);
            Operand<TFloat32> inv = tf.dtypes.cast(tf.math.div(tf.constant(1.0), safe), TFloat32.class);
            Operand<TFloat32> m = tf.dtypes.cast(mean, TFloat32.class);
            return tf.math.mul(tf.math.sub(x, m), inv);
        }
        float[] mean = n.mean(), std = n.std();
        float[] inv = new float[std.length];
        for (int i = 0; i < std.length; i++) inv[i] = 1f / std[i];
        long size = 1;
        for (long d : sample) size *= d;
        long[] shape;
        if (mean.length == size) shape = sample;
        else if (rank > 0 && sample[rank - 1] == mean.length) shape = new long[] {mean.length};
        else throw new IllegalArgumentException("the normalization statistics (" + mean.length + " groups) do not fit samples of shape "
            + Arrays.toString(sample));
        org.tensorflow.ndarray.Shape s = org.tensorflow.ndarray.Shape.of(shape);
        Operand<TFloat32> meanT = tf.withName("mean").constant(s, DataBuffers.of(mean, true, false));
        Operand<TFloat32> invT = tf.withName("inverse_std").constant(s, DataBuffers.of(inv, true, false));
        return tf.math.mul(tf.math.sub(x, meanT), invT);
    }

    private static long[] dims(Shape shape, String what) {
        if (shape.isUnknown() || !shape.fullyKnown()) {
            throw new IllegalArgumentException(what + " has shape " + shape + "; a built model needs every size known");
        }
        return shape.dims().stream().mapToLong(d -> d.size()).toArray();
    }

    private static long[] withBatch(long[] dims) {
        long[] out = new long[dims.length + 1];
        out[0] = -1;
        System.arraycopy(dims, 0, out, 1, dims.length);
        return out;
    }

    /** TensorFlow names for dlx names, as the training graph spells them: `residual_1/conv_2` nests scopes. */
    static String op(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_.\\-]", "_");
        return s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0)) && s.charAt(0) != '.' ? "n" + s : s;
    }

    private static Ops scope(Ops tf, String nodeName) {
        Ops scoped = tf;
        for (String part : nodeName.split("/")) if (!part.isEmpty()) scoped = scoped.withSubScope(op(part));
        return scoped;
    }
}
