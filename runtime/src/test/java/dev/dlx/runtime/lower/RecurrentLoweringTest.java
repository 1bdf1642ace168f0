package dev.dlx.runtime.lower;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dlx.runtime.graph.GraphOptions;
import dev.dlx.runtime.graph.ModelGraph;
import dev.dlx.runtime.testing.Dlx;
import dev.dlx.runtime.testing.Reference;
import dev.dlx.runtime.testing.Run;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.types.TFloat32;

/**
 * Recurrent layers against a plain-Java implementation of the cheatsheet's equations (see
 * RecurrentLowering for the two places where a 4-block LSTM must depart from them).
 */
class RecurrentLoweringTest {
    static final int T = 5;
    static final int F = 3;
    static final int U = 4;

    /** One direction over one sample: x [T][F], flat weights as in the checker's specs. Returns a<t> for every t. */
    static double[][] reference(String cell, double[][] x, double[] w, double[] r, double[] b, DoubleUnaryOperator g,
                                boolean resetAfter, boolean backwards) {
        int blocks = cell.equals("rnn") ? 1 : cell.equals("gru") ? 3 : 4;
        int bu = blocks * U;
        double[] a = new double[U];
        double[] c = new double[U];
        double[][] out = new double[T][];
        for (int i = 0; i < T; i++) {
            int t = backwards ? T - 1 - i : i;
            double[] xw = new double[bu];   // W x<t> + b
            double[] ra = new double[bu];   // R a<t-1> (+ b' with reset_after)
            for (int j = 0; j < bu; j++) {
                xw[j] = b[j];
                for (int f = 0; f < F; f++) xw[j] += x[t][f] * w[f * bu + j];
                ra[j] = resetAfter ? b[bu + j] : 0;
                for (int v = 0; v < U; v++) ra[j] += a[v] * r[v * bu + j];
            }
            double[] next = new double[U];
            switch (cell) {
                case "rnn":
                    for (int u = 0; u < U; u++) next[u] = g.applyAsDouble(xw[u] + ra[u]);
                    break;
                case "gru": {
                    double[] update = new double[U];
                    double[] relevance = new double[U];
                    for (int u = 0; u < U; u++) {
                        update[u] = Reference.sigmoid(xw[u] + ra[u]);
                        relevance[u] = Reference.sigmoid(xw[U + u] + ra[U + u]);
                    }
                    for (int u = 0; u < U; u++) {
                        double rec;
                        if (resetAfter) {
                            rec = relevance[u] * ra[2 * U + u];
                        } else {  // Wc [Γr * a<t-1>, x<t>]
                            rec = 0;
                            for (int v = 0; v < U; v++) rec += relevance[v] * a[v] * r[v * bu + 2 * U + u];
                        }
                        double candidate = g.applyAsDouble(xw[2 * U + u] + rec);
                        next[u] = update[u] * candidate + (1 - update[u]) * a[u];   // c<t> = Γu c~ + (1 - Γu) c<t-1>
                    }
                    break;
                }
                default:
                    for (int u = 0; u < U; u++) {
                        double update = Reference.sigmoid(xw[u] + ra[u]);
                        double forget = Reference.sigmoid(xw[U + u] + ra[U + u]);
                        double candidate = g.applyAsDouble(xw[2 * U + u] + ra[2 * U + u]);
                        double output = Reference.sigmoid(xw[3 * U + u] + ra[3 * U + u]);
                        c[u] = update * candidate + forget * c[u];          // c<t> = Γu c~ + Γf c<t-1>
                        next[u] = output * g.applyAsDouble(c[u]);          // a<t> = Γo g(c<t>)
                    }
            }
            a = next;
            out[t] = a;
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "rnn;",
        "rnn; activation relu return_sequences",
        "rnn; activation sigmoid bidirectional merge mul",
        "gru;",
        "gru; return_sequences",
        "gru; reset_after return_sequences",
        "gru; bidirectional merge sum",
        "lstm;",
        "lstm; return_sequences",
        "lstm; activation relu",
        "lstm; bidirectional return_sequences",
        "lstm; bidirectional merge average"})
    void matchesTheEquations(String cell, String options) {
        String attrs = options == null ? "" : options;
        boolean sequences = attrs.contains("return_sequences");
        boolean bidirectional = attrs.contains("bidirectional");
        boolean resetAfter = attrs.contains("reset_after");
        String merge = attrs.contains("merge sum") ? "sum" : attrs.contains("merge mul") ? "mul"
            : attrs.contains("merge average") ? "average" : "concat";
        DoubleUnaryOperator g = attrs.contains("activation relu") ? z -> Math.max(0, z)
            : attrs.contains("activation sigmoid") ? Reference::sigmoid : Math::tanh;
        String source = "model M(x [" + T + ", " + F + "]) { " + cell + " " + U + " " + attrs + " }";
        int batch = 2;
        Random random = new Random(cell.hashCode() + attrs.hashCode());
        double[] input = new double[batch * T * F];
        for (int i = 0; i < input.length; i++) input[i] = 2 * random.nextDouble() - 1;
        try (Run<TFloat32> run = Run.of(source, TFloat32.class)) {
            run.randomizeWeights(random.nextLong());
            String layer = cell + "_1/";
            java.util.List<double[]> expected = new java.util.ArrayList<>();
            for (int s = 0; s < batch; s++) {
                double[][] x = new double[T][F];
                for (int t = 0; t < T; t++) for (int f = 0; f < F; f++) x[t][f] = input[(s * T + t) * F + f];
                double[][][] dirs = new double[bidirectional ? 2 : 1][][];
                String[] prefixes = bidirectional ? new String[] {"forward_", "backward_"} : new String[] {""};
                for (int d = 0; d < prefixes.length; d++) {
                    dirs[d] = reference(cell, x, run.get(layer + prefixes[d] + "kernel"),
                        run.get(layer + prefixes[d] + "recurrent_kernel"), run.get(layer + prefixes[d] + "bias"), g, resetAfter, d == 1);
                }
                int[] steps = sequences ? java.util.stream.IntStream.range(0, T).toArray()
                    : new int[] {-1};
                for (int t : steps) {
                    double[] fwd = dirs[0][t < 0 ? T - 1 : t];
                    if (!bidirectional) {
                        expected.add(fwd);
                        continue;
                    }
                    double[] bwd = dirs[1][t < 0 ? 0 : t];   // the backward pass ends at step 0
                    double[] merged = merge.equals("concat") ? new double[2 * U] : new double[U];
                    for (int u = 0; u < U; u++) {
                        switch (merge) {
                            case "sum" -> merged[u] = fwd[u] + bwd[u];
                            case "mul" -> merged[u] = fwd[u] * bwd[u];
                            case "average" -> merged[u] = (fwd[u] + bwd[u]) / 2;
                            default -> {
                                merged[u] = fwd[u];
                                merged[U + u] = bwd[u];
                            }
                        }
                    }
                    expected.add(merged);
                }
            }
            double[] flat = expected.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
            assertArrayEquals(flat, run.forward(false, input), 1e-5);
        }
    }

    @Test
    void anUnknownNumberOfStepsIsNotSupportedYet() {
        LoweringException e = assertThrows(LoweringException.class,
            () -> ModelGraph.build(Dlx.model("model M(x [?, 3]) { lstm 2 }"), GraphOptions.seeded(1)).close());
        assertTrue(!e.internal() && e.getMessage().contains("lstm_1"), e.getMessage());
    }
}
