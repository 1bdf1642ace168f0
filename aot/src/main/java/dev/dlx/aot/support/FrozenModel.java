package dev.dlx.aot.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * A frozen dlx model loaded from class-path resources (`graph.pb` and `model.json` under one
 * folder) and run in its own TensorFlow session. Samples are nested float arrays in the model's
 * input shape, as the dataset's `features` steps leave them; normalization happens in the graph.
 * Thread-safe for prediction; close it once.
 */
public final class FrozenModel implements AutoCloseable {
    public static final String GRAPH = "graph.pb";
    public static final String MANIFEST = "model.json";

    private final ModelManifest manifest;
    private final Graph graph;
    private final Session session;
    private final int[] inputShape;
    private final int[] outputShape;
    private final int inputSize;
    private final int outputSize;

    private FrozenModel(ModelManifest manifest, byte[] graphDef) {
        this.manifest = manifest;
        this.inputShape = manifest.inputShape();
        this.outputShape = manifest.outputShape();
        this.inputSize = Shapes.size(inputShape);
        this.outputSize = Shapes.size(outputShape);
        Graph g = new Graph();
        try {
            g.importGraphDef(GraphDef.parseFrom(graphDef));
            // each op on the calling thread, one after another (inter-op -1; the threads inside ops stay
            // TensorFlow's): a forward pass is a chain of ops, and a pool thread per op costs more than
            // a small model's ops
            this.session = new Session(g, org.tensorflow.proto.ConfigProto.newBuilder().setInterOpParallelismThreads(-1).build());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            g.close();
            throw new IllegalStateException("the model graph of `" + manifest.model() + "` is damaged: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
        this.graph = g;
    }

    /** Loads from the resources of {@code owner}'s class loader under {@code folder} (e.g. `dlx/models/digits/DigitNet/`). */
    public static FrozenModel load(Class<?> owner, String folder) {
        ModelManifest manifest = ModelManifest.parse(new String(resource(owner, folder + MANIFEST), StandardCharsets.UTF_8));
        return new FrozenModel(manifest, resource(owner, folder + GRAPH));
    }

    /** Only the description, without loading TensorFlow. */
    public static ModelManifest manifest(Class<?> owner, String folder) {
        return ModelManifest.parse(new String(resource(owner, folder + MANIFEST), StandardCharsets.UTF_8));
    }

    /**
     * As {@link #load(Class, String)}, and checks that the shapes compiled into a generated class are
     * the ones its resources describe (a class and resources from different builds disagree here).
     */
    public static FrozenModel load(Class<?> owner, String folder, int[] inputShape, int[] outputShape) {
        FrozenModel m = load(owner, folder);
        if (!java.util.Arrays.equals(m.inputShape, inputShape) || !java.util.Arrays.equals(m.outputShape, outputShape)) {
            m.close();
            throw new IllegalStateException(owner.getName() + " was generated for input " + Shapes.text(inputShape) + " -> output "
                + Shapes.text(outputShape) + ", but its resources describe " + Shapes.text(m.inputShape) + " -> " + Shapes.text(m.outputShape));
        }
        return m;
    }

    /** A model from a graph and a description given directly (export checks, tests). */
    public static FrozenModel of(ModelManifest manifest, byte[] graphDef) { return new FrozenModel(manifest, graphDef); }

    private static byte[] resource(Class<?> owner, String name) {
        try (InputStream in = owner.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("resource `" + name + "` is missing: the JAR of " + owner.getName() + " is incomplete");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource `" + name + "`: " + e.getMessage(), e);
        }
    }

    public ModelManifest manifest() { return manifest; }
    public int[] inputShape() { return inputShape.clone(); }
    public int[] outputShape() { return outputShape.clone(); }
    public int inputSize() { return inputSize; }
    public int outputSize() { return outputSize; }
    public List<String> classNames() { return manifest.classNames(); }

    /** One sample (nested float arrays in the input shape) to its output values, row-major. */
    public float[] predictSample(Object sample) {
        float[] x = new float[inputSize];
        Shapes.flatten(sample, inputShape, x, 0, manifest.model() + ".predict: the sample");
        return run(x, 1);
    }

    /** A batch (an array of samples) to one row of output values per sample. */
    public float[][] predictBatch(Object[] batch) {
        if (batch == null) throw new IllegalArgumentException(manifest.model() + ".predict: the batch is null");
        float[] x = new float[Math.multiplyExact(batch.length, inputSize)];
        for (int i = 0; i < batch.length; i++) {
            Shapes.flatten(batch[i], inputShape, x, i * inputSize, manifest.model() + ".predict: sample " + i + " of the batch");
        }
        return Shapes.rows(run(x, batch.length), batch.length, outputSize);
    }

    /** {@code count} samples laid end to end (row-major) to their outputs laid end to end. */
    public float[] run(float[] samples, int count) {
        if (samples.length != (long) count * inputSize) {
            throw new IllegalArgumentException(manifest.model() + ": " + count + " samples of shape " + Shapes.text(inputShape) + " hold "
                + (long) count * inputSize + " values, found " + samples.length);
        }
        if (count == 0) return new float[0];
        long[] dims = new long[inputShape.length + 1];
        dims[0] = count;
        for (int i = 0; i < inputShape.length; i++) dims[i + 1] = inputShape[i];
        try (TFloat32 in = TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(samples, true, false));
             Result r = session.runner().feed(manifest.inputOp(), in).fetch(manifest.outputOp()).run()) {
            Tensor t = r.get(0);
            float[] out = new float[Math.multiplyExact(count, outputSize)];
            ((TFloat32) t).copyTo(DataBuffers.of(out, false, false));
            return out;
        }
    }

    /**
     * One sample of each input (nested float arrays in that input's shape, in model order) to the
     * values of every output, row-major: what a built class's `predictNAME` methods return.
     */
    public float[][] predictOutputs(Object[] sample) {
        List<ModelManifest.Tensor> ins = manifest.inputs();
        if (sample == null || sample.length != ins.size()) {
            throw new IllegalArgumentException(manifest.model() + ".predict: takes " + ins.size() + " inputs, found "
                + (sample == null ? "none" : Integer.toString(sample.length)));
        }
        float[][] x = new float[ins.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = new float[Shapes.size(ins.get(i).shape())];
            Shapes.flatten(sample[i], ins.get(i).shape(), x[i], 0, manifest.model() + ".predict: input `" + ins.get(i).name() + "`");
        }
        return runAll(x, 1);
    }

    /** Output {@code k} of {@link #predictOutputs}. */
    public float[] predictOutput(int k, Object[] sample) { return predictOutputs(sample)[k]; }

    /**
     * {@code count} samples of each input laid end to end (model order) to each output's values laid
     * end to end, in one run of the graph.
     */
    public float[][] runAll(float[][] inputs, int count) {
        List<ModelManifest.Tensor> ins = manifest.inputs(), outs = manifest.outputs();
        if (inputs.length != ins.size()) {
            throw new IllegalArgumentException(manifest.model() + ": takes " + ins.size() + " inputs, found " + inputs.length);
        }
        float[][] out = new float[outs.size()][];
        if (count == 0) {
            for (int k = 0; k < out.length; k++) out[k] = new float[0];
            return out;
        }
        java.util.List<TFloat32> fed = new java.util.ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            for (int i = 0; i < ins.size(); i++) {
                int[] shape = ins.get(i).shape();
                if (inputs[i].length != (long) count * Shapes.size(shape)) {
                    throw new IllegalArgumentException(manifest.model() + ": " + count + " samples of input `" + ins.get(i).name() + "` "
                        + Shapes.text(shape) + " hold " + (long) count * Shapes.size(shape) + " values, found " + inputs[i].length);
                }
                long[] dims = new long[shape.length + 1];
                dims[0] = count;
                for (int d = 0; d < shape.length; d++) dims[d + 1] = shape[d];
                TFloat32 t = TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(inputs[i], true, false));
                fed.add(t);
                runner.feed(ins.get(i).op(), t);
            }
            for (ModelManifest.Tensor o : outs) runner.fetch(o.op());
            try (Result r = runner.run()) {
                for (int k = 0; k < outs.size(); k++) {
                    out[k] = new float[Math.multiplyExact(count, Shapes.size(outs.get(k).shape()))];
                    ((TFloat32) r.get(k)).copyTo(DataBuffers.of(out[k], false, false));
                }
            }
            return out;
        } finally {
            fed.forEach(TFloat32::close);
        }
    }

    @Override public void close() {
        session.close();
        graph.close();
    }
}
