package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.graph.Tensors;
import dev.dlx.runtime.graph.Weight;
import dev.dlx.runtime.testing.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * The fused LSTM kernel (float32) against the unrolled lowering (a float64 graph of the same model:
 * the fused kernel has no float64 version, so that graph is the unrolled one, the one the gradient
 * checks hold to central differences): the same weights and inputs give the same outputs and the
 * same gradients of a weighted sum of the outputs, for the weights and the input, within 1e-5.
 */
class FusedLstmTest {
    static final int T = 11, F = 3, U = 5, BATCH = 3;   // T above FusedLstm.CHUNK: the backward pass in two chunks

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lstm 5", "lstm 5 return_sequences", "lstm 5 bidirectional return_sequences",
        "lstm 5 bidirectional merge sum", "lstm 5 return_sequences -> dense 2"})
    void theFusedKernelEqualsTheUnrolledSteps(String layers) {
        String source = "model M(x [" + T + ", " + F + "]) { " + layers + " }";
        Random random = new Random(layers.hashCode());
        double[] input = new double[BATCH * T * F];
        for (int i = 0; i < input.length; i++) input[i] = 3 * (2 * random.nextDouble() - 1);
        long seed = random.nextLong();
        try (Run<TFloat32> fused = Run.of(source, TFloat32.class); Run<TFloat64> unrolled = Run.of(source, TFloat64.class)) {
            assertEquals(layers.contains("bidirectional") ? 2 : 1, count(fused, "BlockLSTMV2"), "float32 runs the fused kernel");
            assertEquals(0, count(unrolled, "BlockLSTMV2"), "float64 runs the unrolled steps");
            fused.randomizeWeights(seed);
            unrolled.randomizeWeights(seed);
            close(unrolled.forward(false, input), fused.forward(false, input), "outputs");
            List<double[]> expected = gradients(unrolled, input), actual = gradients(fused, input);
            for (int i = 0; i < expected.size(); i++) close(expected.get(i), actual.get(i), i == 0 ? "input gradient" : "weight gradient " + i);
        }
    }

    /**
     * A cell state far above 3 (TensorFlow's older LSTM kernel clipped it there by default): an input
     * and forget gate held open and a candidate near 1 add up the cell over the steps, so a clip
     * would show in a<t> = Γo tanh(c<t>).
     */
    @Test
    void theCellIsNotClipped() {
        String source = "model M(x [" + T + ", " + F + "]) { lstm " + U + " return_sequences }";
        double[] input = new double[BATCH * T * F];
        java.util.Arrays.fill(input, 1);
        try (Run<TFloat32> fused = Run.of(source, TFloat32.class); Run<TFloat64> unrolled = Run.of(source, TFloat64.class)) {
            for (Run<?> run : List.of(fused, unrolled)) {
                double[] kernel = new double[F * 4 * U], bias = new double[4 * U];
                for (int f = 0; f < F; f++) for (int u = 0; u < U; u++) kernel[f * 4 * U + 2 * U + u] = 1;   // c~ = tanh(3)
                for (int u = 0; u < U; u++) {
                    bias[u] = 6;          // Γu open
                    bias[U + u] = 6;      // Γf open
                }
                run.set("lstm_1/kernel", kernel).set("lstm_1/recurrent_kernel", new double[U * 4 * U]).set("lstm_1/bias", bias);
            }
            double[] expected = unrolled.forward(false, input), actual = fused.forward(false, input);
            // by the last step the cell is about T x 0.99; unclipped, tanh of it is 1 within 1e-5 (tanh 3 = 0.995)
            double last = expected[(T - 1) * U];
            assertTrue(last > 0.9999 * sigmoid(0) && last < 1, "a<T> = σ(0) tanh(c<T>) with c<T> near T: " + last);
            close(expected, actual, "outputs");
        }
    }

    private static double sigmoid(double z) { return 1 / (1 + Math.exp(-z)); }

    private static long count(Run<?> run, String type) {
        return StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(run.graph.graph().operations(), 0), false)
            .filter(op -> ((GraphOperation) op).type().equals(type)).count();
    }

    /** d(sum of the output times fixed random factors) / d(input), then / d(each weight). */
    private static <T extends TFloating> List<double[]> gradients(Run<T> run, double[] input) {
        Ops tf = run.graph.tf();
        Operand<T> out = run.graph.output();
        long[] shape = {BATCH, out.shape().size(1), out.shape().numDimensions() > 2 ? out.shape().size(2) : 1};
        int n = (int) (shape[0] * shape[1] * shape[2]);
        double[] factors = new double[n];
        Random r = new Random(5);
        for (int i = 0; i < n; i++) factors[i] = 2 * r.nextDouble() - 1;
        long[] outShape = out.shape().numDimensions() > 2 ? shape : new long[] {shape[0], shape[1]};
        @SuppressWarnings("unchecked")
        Operand<T> f = (Operand<T>) tf.constant(org.tensorflow.ndarray.Shape.of(outShape), org.tensorflow.ndarray.buffer.DataBuffers.of(factors))
            .asOutput();
        Operand<T> fc = run.graph.type() == TFloat32.class ? tf.dtypes.cast(f, run.graph.type()) : f;
        int[] axes = java.util.stream.IntStream.range(0, outShape.length).toArray();
        Operand<T> loss = tf.sum(tf.math.mul(out, fc), tf.constant(axes));
        List<Output<?>> wrt = new ArrayList<>();
        wrt.add(run.graph.inputs().get(0).asOutput());
        for (Weight w : run.graph.trainableWeights()) wrt.add(w.variable().asOutput());
        Output<?>[] grads = run.graph.graph().addGradients(loss.asOutput(), wrt.toArray(Output<?>[]::new));
        try (Tensor x = Tensors.of(run.graph.type(), new long[] {BATCH, T, F}, input)) {
            Session.Runner runner = run.session.runner().feed(run.graph.inputs().get(0), x);
            for (Output<?> g : grads) runner.fetch(g);
            try (Result res = runner.run()) {
                List<double[]> out2 = new ArrayList<>();
                for (int i = 0; i < grads.length; i++) out2.add(Tensors.doubles(res.get(i)));
                return out2;
            }
        }
    }

    private static void close(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), what + " at " + i);
        }
    }
}
