package dev.dlx.runtime.lower;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Concat;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.nn.LSTMBlockCellGrad;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * An `lstm` direction with the default activation (tanh) in float32 as one TensorFlow kernel for the
 * whole sequence, {@code BlockLSTMV2}, instead of about ten ops a step forward and twenty back (on
 * the character LSTM sample's 40 steps the unrolled training step executes about 2,300 ops, each
 * with the executor's overhead, and its graph takes seconds to optimize on the first step). The
 * kernel computes per step {@code [Γu, Γf, c~, Γo] = [x<t>, a<t-1>] W + b}, W the layer's kernel
 * stacked on its recurrent kernel (the gates in the layer's own order, Keras's), then
 * {@code c<t> = σ(Γu) tanh(c~) + σ(Γf) c<t-1>} and {@code a<t> = σ(Γo) tanh(c<t>)}, with no
 * peepholes and no clipping of the cell: the unrolled lowering's equations, its products summed
 * in another order (equal within float32 rounding; {@code FusedLstmTest}). A sequence of any
 * length is one op, so long sequences need no loop construct either. TensorFlow's C++ gradient
 * registry has no gradient for the op (its Python layer registers one), so the runtime registers
 * its own ({@link #gradient}).
 */
final class FusedLstm {
    private FusedLstm() {}

    private static boolean registered;

    /** Steps whose weight gradients the backward pass computes as one product. */
    static final long CHUNK = 8;

    /** Registers the gradient once per process (the registry is TensorFlow's, global). */
    static synchronized void registerGradient() {
        if (registered) return;
        registered = true;
        if (!TensorFlow.registerCustomGradient(BlockLSTM.Inputs.class, FusedLstm::gradient)) {
            throw new IllegalStateException("TensorFlow refused a gradient for " + BlockLSTM.OP_NAME);
        }
    }

    /**
     * The gradient of {@code BlockLSTMV2}: back through the steps with one {@code LSTMBlockCellGrad}
     * (the gates' gradient from the forward pass's saved gates, elementwise) and one product
     * dgates R^T a step, then the gradients of W, b and x as large products over {@link #CHUNK}
     * steps at a time instead of small ones per step (the late steps' chunks run while the pass goes
     * on back through the early ones). {@code BlockLSTMGradV2} computes the same in one
     * kernel, but step by step with TensorFlow's own (Eigen) products, which trained the character
     * LSTM sample slower than the unrolled graph's oneDNN products. {@code LSTMBlockCellGrad} lays
     * its gate gradients out as i, c~, f, o; the recurrent and input products use weights laid out
     * alike, and the gradients of W and b are put back in the layer's order i, f, c~, o at the end.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Operand<?>> gradient(Ops tf, BlockLSTM.Inputs op, List<Output<?>> grads) {
        BlockLSTM.Inputs<TFloat32> in = (BlockLSTM.Inputs<TFloat32>) op;
        BlockLSTM<TFloat32> fw = (BlockLSTM<TFloat32>) in.getOutputs();
        // sizes from the forward op's record: asking TensorFlow for a shape while it builds gradients blocks on its graph lock
        long[] sizes = sizes(fw);
        long steps = sizes[0], features = sizes[1], units = sizes[2];
        Operand<TFloat32> csOut = (Operand<TFloat32>) grads.get(1), hOut = (Operand<TFloat32>) grads.get(6);
        List<Output<TFloat32>> x = unstack(tf, in.x, steps), i = unstack(tf, fw.i(), steps), cs = unstack(tf, fw.cs(), steps),
            f = unstack(tf, fw.f(), steps), o = unstack(tf, fw.o(), steps), ci = unstack(tf, fw.ci(), steps), co = unstack(tf, fw.co(), steps),
            h = unstack(tf, fw.h(), steps), dcsOut = unstack(tf, csOut, steps), dhOut = unstack(tf, hOut, steps);
        Operand<TFloat32> wIcfo = icfo(tf, in.w, units, 1);
        Operand<TFloat32> recurrent = tf.slice(wIcfo, tf.constant(new long[] {features, 0}), tf.constant(new long[] {units, 4 * units}));
        Operand<TFloat32> dh = null, dcs = null;
        @SuppressWarnings("unchecked")
        Operand<TFloat32>[] dgates = new Operand[(int) steps];
        for (int t = (int) steps - 1; t >= 0; t--) {
            Operand<TFloat32> hGrad = dh == null ? dhOut.get(t) : tf.math.add(dhOut.get(t), dh);
            Operand<TFloat32> csGrad = dcs == null ? dcsOut.get(t) : tf.math.add(dcsOut.get(t), dcs);
            Operand<TFloat32> csPrev = t > 0 ? cs.get(t - 1) : in.csPrev, hPrev = t > 0 ? h.get(t - 1) : in.hPrev;
            LSTMBlockCellGrad<TFloat32> cell = tf.nn.lSTMBlockCellGrad(x.get(t), csPrev, hPrev, in.w, in.wci, in.wcf, in.wco, in.b,
                i.get(t), cs.get(t), f.get(t), o.get(t), ci.get(t), co.get(t), csGrad, hGrad, false);
            dgates[t] = cell.dicfo();
            dcs = cell.csPrevGrad();
            dh = tf.linalg.matMul(cell.dicfo(), recurrent, MatMul.transposeB(true));
        }
        // the gradients of W, b and x from every step's [x<t>, a<t-1>] and gate gradient as rows, in chunks of
        // CHUNK steps: the chunks of late steps are ready first and their products run while the steps go on back
        Operand<TFloat32> inputKernel = tf.slice(wIcfo, tf.constant(new long[] {0, 0}), tf.constant(new long[] {features, 4 * units}));
        List<Operand<TFloat32>> dws = new ArrayList<>(), dbs = new ArrayList<>(), dxs = new ArrayList<>();
        for (long a = 0; a < steps; a += CHUNK) {
            long n = Math.min(CHUNK, steps - a);
            Operand<TFloat32> xs = tf.slice(in.x, tf.constant(new long[] {a, 0, 0}), tf.constant(new long[] {n, -1, -1}));
            Operand<TFloat32> hs = a == 0
                ? tf.concat(List.of(tf.expandDims(in.hPrev, tf.constant(0)),
                    tf.slice(fw.h(), tf.constant(new long[] {0, 0, 0}), tf.constant(new long[] {n - 1, -1, -1}))), tf.constant(0))
                : tf.slice(fw.h(), tf.constant(new long[] {a - 1, 0, 0}), tf.constant(new long[] {n, -1, -1}));
            Operand<TFloat32> xh = tf.reshape(tf.concat(List.of(xs, hs), tf.constant(2)), tf.constant(new long[] {-1, features + units}));
            Operand<TFloat32> dg = tf.reshape(tf.stack(java.util.Arrays.asList(dgates).subList((int) a, (int) (a + n))),
                tf.constant(new long[] {-1, 4 * units}));
            dws.add(tf.linalg.matMul(xh, dg, MatMul.transposeA(true)));
            dbs.add(tf.sum(dg, tf.constant(0)));
            dxs.add(tf.reshape(tf.linalg.matMul(dg, inputKernel, MatMul.transposeB(true)), tf.shape(xs)));
        }
        Operand<TFloat32> dw = icfo(tf, dws.size() == 1 ? dws.get(0) : tf.math.addN(dws), units, 1);
        Operand<TFloat32> db = icfo(tf, dbs.size() == 1 ? dbs.get(0) : tf.math.addN(dbs), units, 0);
        Operand<TFloat32> dx = dxs.size() == 1 ? dxs.get(0) : tf.concat(dxs, tf.constant(0));
        Operand<TFloat32> zeros = tf.zerosLike(in.wci);
        List<Operand<?>> out = new ArrayList<>();
        out.add(tf.zerosLike(in.seqLenMax));   // an integer: no gradient flows through it
        out.add(dx);
        out.add(dcs);
        out.add(dh);
        out.add(dw);
        out.add(zeros);
        out.add(tf.zerosLike(in.wcf));
        out.add(tf.zerosLike(in.wco));
        out.add(db);
        return out;
    }

    /** Steps, features and units of each fused op, by graph and op name, recorded as the op is built. */
    private static final Map<ExecutionEnvironment, Map<String, long[]>> SIZES = new WeakHashMap<>();

    private static synchronized void record(BlockLSTM<TFloat32> op, long steps, long features, long units) {
        SIZES.computeIfAbsent(op.env(), k -> new HashMap<>()).put(op.op().name(), new long[] {steps, features, units});
    }

    private static synchronized long[] sizes(BlockLSTM<TFloat32> op) {
        Map<String, long[]> ops = SIZES.get(op.env());
        long[] sizes = ops == null ? null : ops.get(op.op().name());
        if (sizes == null) throw new IllegalStateException(BlockLSTM.OP_NAME + " " + op.op().name() + " was not built by the lowering");
        return sizes;
    }

    private static List<Output<TFloat32>> unstack(Ops tf, Operand<TFloat32> sequence, long steps) {
        return tf.unstack(sequence, steps).output();
    }

    /** Swaps the second and third blocks of U along {@code axis}: i, f, c~, o to i, c~, f, o and back. */
    private static Operand<TFloat32> icfo(Ops tf, Operand<TFloat32> w, long units, int axis) {
        List<Output<TFloat32>> g = tf.split(tf.constant(axis), w, 4L).output();
        return tf.concat(List.of(g.get(0), g.get(2), g.get(1), g.get(3)), tf.constant(axis));
    }

    /**
     * One direction over x [N, T, F] with the layer's kernel [F, 4U], recurrent kernel [U, 4U] and
     * bias [4U] in Keras's gate order: the outputs a<t> [T, N, U] in the order the steps ran
     * (reversed in time when {@code backwards}).
     */
    static Operand<TFloat32> run(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> recurrent,
                                 Operand<TFloat32> bias, int steps, int units, boolean backwards) {
        registerGradient();
        Operand<TFloat32> timeMajor = tf.linalg.transpose(x, tf.constant(new int[] {1, 0, 2}));
        if (backwards) timeMajor = tf.reverse(timeMajor, tf.constant(new int[] {0}));
        // [x<t>, a<t-1>] W with W the kernel on top of the recurrent kernel: the gate columns keep their order
        Operand<TFloat32> w = tf.concat(List.of(kernel, recurrent), tf.constant(0));
        Operand<TFloat32> zeros = tf.zeros(tf.stack(List.of(Size.of(tf, x, 0).operand(tf), tf.constant(units))), TFloat32.class);
        Operand<TFloat32> peephole = tf.zeros(tf.constant(new int[] {units}), TFloat32.class);
        Operand<TInt64> length = tf.constant((long) steps);
        BlockLSTM<TFloat32> op = tf.nn.blockLSTM(length, timeMajor, zeros, zeros, w, peephole, peephole, peephole, bias, BlockLSTM.cellClip(-1f));
        record(op, steps, x.shape().size(2), units);
        return op.h();
    }

    /** The last step's output [N, U] of {@link #run}'s [T, N, U]. */
    static Operand<TFloat32> last(Ops tf, Operand<TFloat32> outputs, int steps) {
        return tf.stridedSlice(outputs, Indices.at(steps - 1));
    }

    /** {@link #run}'s outputs as [N, T, U] in time order. */
    static Operand<TFloat32> sequence(Ops tf, Operand<TFloat32> outputs, boolean backwards) {
        Operand<TFloat32> inTime = backwards ? tf.reverse(outputs, tf.constant(new int[] {0})) : outputs;
        return tf.linalg.transpose(inTime, tf.constant(new int[] {1, 0, 2}));
    }
}
