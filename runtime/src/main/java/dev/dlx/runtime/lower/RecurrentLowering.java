package dev.dlx.runtime.lower;

import dev.dlx.compiler.layers.Activation;
import dev.dlx.compiler.layers.Recurrent;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TFloating;

/**
 * `rnn`, `gru` and `lstm`, unrolled over a known number of steps T. Weights per direction: kernel
 * W [F, blocks*U], recurrent kernel R [U, blocks*U], bias b [blocks*U], blocks in Keras's order
 * (GRU: update Γu, relevance Γr, candidate; LSTM: update/input Γu, forget Γf, candidate, output
 * Γo). With g the `activation` (tanh by default) and σ the sigmoid:
 * <pre>
 *   RNN   a<t> = g(W x<t> + R a<t-1> + b)
 *   GRU   Γu = σ(..), Γr = σ(..), c~ = g(Wc x<t> + Rc (Γr * a<t-1>) + bc), a<t> = Γu * c~ + (1 - Γu) * a<t-1>
 *         (`reset_after`: c~ = g(Wc x<t> + bc + Γr * (Rc a<t-1> + b'c)), with the recurrent bias b' = b[1])
 *   LSTM  c~ = g(Wc x<t> + Rc a<t-1> + bc), c<t> = Γu * c~ + Γf * c<t-1>, a<t> = Γo * g(c<t>)
 * </pre>
 * The GRU follows the cheatsheet (Γu weights the candidate; Keras's z is 1 - Γu). The LSTM's
 * output applies g to the cell as every framework does; the cheatsheet's `a = Γo * c` and its Γr
 * in the candidate have no weights in a 4-block LSTM. Bidirectional layers run a second set of
 * weights backwards in time; with `return_sequences` its outputs are put back in time order.
 * A float32 LSTM with the default activation runs each direction as one fused kernel
 * ({@link FusedLstm}); the other cells, activations and precisions are unrolled here.
 */
final class RecurrentLowering implements Lowering {

    /** One direction's outputs: every step's a<t> [N, T, U] in time order (built when asked for) and the last one computed. */
    private record Pass<T extends TFloating>(java.util.function.Supplier<Operand<T>> sequence, Operand<T> last) {}

    @Override public <T extends TFloating> Operand<T> lower(LoweringContext<T> ctx) {
        Ops tf = ctx.tf();
        Recurrent.Settings s = ctx.settings(Recurrent.Settings.class);
        Shape in = ctx.inputShape();
        if (!in.dim(0).known()) {
            throw ctx.unsupported("recurrent layers are unrolled over a known number of steps, found " + in);
        }
        boolean sequences = s.returnSequences();
        if (!s.bidirectional()) return output(tf, run(ctx, s, "", false), sequences);
        Operand<T> forward = output(tf, run(ctx, s, "forward_", false), sequences);
        Operand<T> backward = output(tf, run(ctx, s, "backward_", true), sequences);
        switch (s.merge()) {
            case SUM: return tf.math.add(forward, backward);
            case MUL: return tf.math.mul(forward, backward);
            case AVERAGE: return tf.math.mul(tf.math.add(forward, backward), ctx.scalar(0.5));
            default: return tf.concat(List.of(forward, backward), tf.constant(-1));
        }
    }

    private static <T extends TFloating> Operand<T> output(Ops tf, Pass<T> pass, boolean sequences) {
        return sequences ? pass.sequence().get() : pass.last();
    }

    private static <T extends TFloating> Pass<T> run(LoweringContext<T> ctx, Recurrent.Settings s, String prefix, boolean backwards) {
        Ops tf = ctx.tf();
        Recurrent.Cell cell = s.cell();
        int steps = Math.toIntExact(ctx.inputShape().dim(0).size());
        long features = ctx.inputShape().last().size();
        int units = s.units();
        boolean resetAfter = s.resetAfter();
        Activation.Function g = s.activation();

        Operand<T> kernel = ctx.weight(prefix + "kernel");
        Operand<T> recurrent = ctx.weight(prefix + "recurrent_kernel");
        Operand<T> bias = ctx.weight(prefix + "bias");
        if (fused(cell, g, ctx.type())) return fusedPass(tf, ctx.input(), kernel, recurrent, bias, steps, units, backwards);
        Operand<T> inputBias = resetAfter ? tf.stridedSlice(bias, Indices.at(0)) : bias;
        Operand<T> recurrentBias = resetAfter ? tf.stridedSlice(bias, Indices.at(1)) : null;
        // the cheatsheet's GRU multiplies Γr into a<t-1> before the candidate's recurrent product
        Operand<T> gateKernel = recurrent;
        Operand<T> candidateKernel = null;
        if (cell == Recurrent.Cell.GRU && !resetAfter) {
            gateKernel = tf.stridedSlice(recurrent, Indices.all(), Indices.slice(0L, 2L * units));
            candidateKernel = tf.stridedSlice(recurrent, Indices.all(), Indices.sliceFrom(2L * units));
        }

        // W x<t> + b for every step at once: [N, T, F] -> [N*T, F] -> [N*T, B*U] -> T x [N, B*U]
        Operand<T> x = ctx.input();
        Operand<T> flat = tf.reshape(x, tf.constant(new long[] {-1, features}));
        Operand<T> projected = tf.nn.biasAdd(tf.linalg.matMul(flat, kernel), inputBias);
        long blocks = cell.blocks() * (long) units;
        Operand<T> sequence = tf.reshape(projected, tf.constant(new long[] {-1, steps, blocks}));
        List<Operand<T>> xs = new ArrayList<>(tf.unstack(sequence, (long) steps, org.tensorflow.op.core.Unstack.axis(1L)).output());

        Operand<T> zeros = tf.zeros(tf.stack(List.of(Size.of(tf, x, 0).operand(tf), tf.constant(units))), ctx.type());
        Operand<T> state = zeros;
        Operand<T> memory = zeros;
        @SuppressWarnings("unchecked")
        Operand<T>[] outputs = new Operand[steps];
        for (int i = 0; i < steps; i++) {
            int t = backwards ? steps - 1 - i : i;
            Operand<T> xt = xs.get(t);
            switch (cell) {
                case RNN:
                    state = act(ctx, g, tf.math.add(xt, tf.linalg.matMul(state, recurrent)));
                    break;
                case GRU:
                    state = resetAfter ? gruResetAfter(ctx, g, xt, state, recurrent, recurrentBias)
                        : gru(ctx, g, xt, state, gateKernel, candidateKernel);
                    break;
                default: {
                    List<Operand<T>> z = split(tf, tf.math.add(xt, tf.linalg.matMul(state, recurrent)), 4);
                    Operand<T> update = tf.math.sigmoid(z.get(0));
                    Operand<T> forget = tf.math.sigmoid(z.get(1));
                    Operand<T> candidate = act(ctx, g, z.get(2));
                    Operand<T> out = tf.math.sigmoid(z.get(3));
                    memory = tf.math.add(tf.math.mul(update, candidate), tf.math.mul(forget, memory));
                    state = tf.math.mul(out, act(ctx, g, memory));
                }
            }
            outputs[t] = state;
        }
        List<Operand<T>> all = Arrays.asList(outputs);
        return new Pass<>(() -> tf.stack(all, Stack.axis(1L)), state);
    }

    /**
     * Whether a direction runs as one fused kernel ({@link FusedLstm}): an LSTM with the default
     * activation in float32 (the kernel has no float64 version, so float64 graphs, the gradient
     * checks' among them, stay unrolled).
     */
    static boolean fused(Recurrent.Cell cell, Activation.Function g, Class<?> type) {
        return cell == Recurrent.Cell.LSTM && g == Activation.Function.TANH && type == TFloat32.class;
    }

    @SuppressWarnings("unchecked")
    private static <T extends TFloating> Pass<T> fusedPass(Ops tf, Operand<T> x, Operand<T> kernel, Operand<T> recurrent, Operand<T> bias,
                                                           int steps, int units, boolean backwards) {
        Operand<TFloat32> outputs = FusedLstm.run(tf, (Operand<TFloat32>) x, (Operand<TFloat32>) kernel, (Operand<TFloat32>) recurrent,
            (Operand<TFloat32>) bias, steps, units, backwards);
        return new Pass<>(() -> (Operand<T>) FusedLstm.sequence(tf, outputs, backwards), (Operand<T>) FusedLstm.last(tf, outputs, steps));
    }

    private static <T extends TFloating> Operand<T> gru(LoweringContext<T> ctx, Activation.Function g, Operand<T> xt,
                                                        Operand<T> state, Operand<T> gateKernel, Operand<T> candidateKernel) {
        Ops tf = ctx.tf();
        List<Operand<T>> xg = split(tf, xt, 3);
        List<Operand<T>> rg = split(tf, tf.linalg.matMul(state, gateKernel), 2);
        Operand<T> update = tf.math.sigmoid(tf.math.add(xg.get(0), rg.get(0)));
        Operand<T> relevance = tf.math.sigmoid(tf.math.add(xg.get(1), rg.get(1)));
        Operand<T> candidate = act(ctx, g, tf.math.add(xg.get(2),
            tf.linalg.matMul(tf.math.mul(relevance, state), candidateKernel)));
        return blend(tf, update, candidate, state);
    }

    private static <T extends TFloating> Operand<T> gruResetAfter(LoweringContext<T> ctx, Activation.Function g,
                                                                  Operand<T> xt, Operand<T> state, Operand<T> recurrent,
                                                                  Operand<T> recurrentBias) {
        Ops tf = ctx.tf();
        List<Operand<T>> xg = split(tf, xt, 3);
        List<Operand<T>> rg = split(tf, tf.nn.biasAdd(tf.linalg.matMul(state, recurrent), recurrentBias), 3);
        Operand<T> update = tf.math.sigmoid(tf.math.add(xg.get(0), rg.get(0)));
        Operand<T> relevance = tf.math.sigmoid(tf.math.add(xg.get(1), rg.get(1)));
        Operand<T> candidate = act(ctx, g, tf.math.add(xg.get(2), tf.math.mul(relevance, rg.get(2))));
        return blend(tf, update, candidate, state);
    }

    /** Γu * c~ + (1 - Γu) * a<t-1>, written as a<t-1> + Γu * (c~ - a<t-1>). */
    private static <T extends TFloating> Operand<T> blend(Ops tf, Operand<T> update, Operand<T> candidate, Operand<T> state) {
        return tf.math.add(state, tf.math.mul(update, tf.math.sub(candidate, state)));
    }

    private static <T extends TFloating> List<Operand<T>> split(Ops tf, Operand<T> x, int parts) {
        return new ArrayList<>(tf.split(tf.constant(1), x, (long) parts).output());
    }

    private static <T extends TFloating> Operand<T> act(LoweringContext<T> ctx, Activation.Function g, Operand<T> z) {
        return ActivationLowering.apply(ctx, g, 0, z);
    }
}
