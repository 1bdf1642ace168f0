package dev.dlx.runtime.lower;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Concat;
import org.tensorflow.op.nn.BlockLSTM;
import org.tensorflow.op.nn.BlockLSTMGrad;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * An `lstm` direction with the default activation (tanh) in float32 as one TensorFlow kernel for the
 * whole sequence, {@code BlockLSTMV2}, and one for its gradient, {@code BlockLSTMGradV2}, instead of
 * about ten ops a step forward and twenty back: on the character LSTM sample (40 steps) the unrolled
 * graph has about 1,500 ops a training step, each with the executor's overhead, and a gradient of
 * the recurrent kernel summed from 40 products. The kernel computes per step
 * {@code [i, c~, f, o] = [x<t>, a<t-1>] W + b} with W the layer's kernel stacked on its recurrent
 * kernel (gate columns put in the kernel's order i, c~, f, o; the layer keeps Keras's i, f, c~, o),
 * then {@code c<t> = σ(i) c~' + σ(f) c<t-1>} with {@code c~' = tanh(c~)} and
 * {@code a<t> = σ(o) tanh(c<t>)}: the unrolled lowering's equations, summed in another order
 * (within float32 rounding of it; {@code FusedLstmTest}). TensorFlow's C++ gradient registry
 * has no gradient for the op (Python registers it), so the runtime registers one that builds
 * {@code BlockLSTMGradV2}.
 */
final class FusedLstm {
    private FusedLstm() {}

    private static boolean registered;

    /** Registers the gradient once per process (the registry is TensorFlow's, global). */
    static synchronized void registerGradient() {
        if (registered) return;
        registered = true;
        if (!TensorFlow.registerCustomGradient(BlockLSTM.Inputs.class, FusedLstm::gradient)) {
            throw new IllegalStateException("TensorFlow refused a gradient for " + BlockLSTM.OP_NAME);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Operand<?>> gradient(Ops tf, BlockLSTM.Inputs op, List<Output<?>> grads) {
        BlockLSTM.Inputs<TFloat32> in = (BlockLSTM.Inputs<TFloat32>) op;
        BlockLSTM<TFloat32> fw = (BlockLSTM<TFloat32>) in.getOutputs();
        // only the cell states and the outputs are read downstream; the gates' outputs are the gradient's inputs
        BlockLSTMGrad<TFloat32> g = tf.nn.blockLSTMGrad(in.seqLenMax, in.x, in.csPrev, in.hPrev, in.w, in.wci, in.wcf, in.wco, in.b,
            fw.i(), fw.cs(), fw.f(), fw.o(), fw.ci(), fw.co(), fw.h(), (Operand<TFloat32>) grads.get(1), (Operand<TFloat32>) grads.get(6),
            in.usePeephole);
        List<Operand<?>> out = new ArrayList<>();
        out.add(tf.zerosLike(in.seqLenMax));   // an integer: no gradient flows through it
        out.add(g.xGrad());
        out.add(g.csPrevGrad());
        out.add(g.hPrevGrad());
        out.add(g.wGrad());
        out.add(g.wciGrad());
        out.add(g.wcfGrad());
        out.add(g.wcoGrad());
        out.add(g.bGrad());
        return out;
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
        return tf.nn.blockLSTM(length, timeMajor, zeros, zeros, w, peephole, peephole, peephole, bias, BlockLSTM.cellClip(-1f)).h();
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
