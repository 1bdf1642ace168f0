package dev.dlx.runtime.cluster;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TargetedSession;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * All-reduce across the workers of a {@link Cluster}, as TensorFlow's MultiWorkerMirroredStrategy
 * builds it: one {@code CollectiveReduce} per tensor in group 1 (every worker), each with its own
 * instance key drawn in graph-building order, so the k-th collective of one worker meets the k-th
 * of every other. A collective that waits longer than the cluster's timeout for a peer fails its
 * {@code Session.run} instead of hanging.
 */
public final class Collectives {
    private Collectives() {}

    static final long GROUP = 1;

    /** Each tensor's mean over the workers (sum, then divided by the number of workers). */
    public static List<Operand<TFloat32>> mean(Ops tf, List<Operand<TFloat32>> tensors, Cluster cluster) {
        List<Operand<TFloat32>> out = new ArrayList<>();
        for (Operand<TFloat32> t : tensors) out.add(reduce(tf.withSubScope("dlx.allreduce"), t, cluster, "Add", "Div"));
        return out;
    }

    /** {@code x}'s maximum over the workers (one collective, in the graph being built). */
    public static Operand<TFloat32> max(Ops tf, Operand<TFloat32> x, Cluster cluster) {
        return reduce(tf.withSubScope("dlx.allreduce"), x, cluster, "Max", "Id");
    }

    @SuppressWarnings("unchecked")
    static Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> x, Cluster cluster, String merge, String last) {
        return (Operand<TFloat32>) (Operand<?>) tf.scope().opBuilder("CollectiveReduce", "reduce")
            .addInput(x.asOutput()).setAttr("group_size", (long) cluster.size()).setAttr("group_key", GROUP)
            .setAttr("instance_key", Cluster.nextInstanceKey()).setAttr("merge_op", merge).setAttr("final_op", last)
            .setAttr("subdiv_offsets", new long[] {0}).setAttr("timeout_seconds", (float) cluster.timeoutSeconds()).build().output(0);
    }

    /**
     * {@code values} reduced over the workers ({@code merge} "Add" or "Max"), outside any training
     * graph: a small graph of its own on this worker's server. Every worker must call it with the
     * same number of values at the same point of its run.
     */
    public static float[] reduce(Cluster cluster, float[] values, String merge) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> r = reduce(tf, tf.constant(values), cluster, merge, "Id");
            ConfigProto config = cluster.sessionConfig(ConfigProto.newBuilder());
            try (Session s = TargetedSession.open(g, cluster.target(), config); Result res = s.runner().fetch(r).run()) {
                TFloat32 t = (TFloat32) res.get(0);
                float[] out = new float[values.length];
                for (int i = 0; i < out.length; i++) out[i] = t.getFloat(i);
                return out;
            }
        }
    }

    /** The chief's {@code value} (0 to 2^30) on every worker. */
    public static int fromChief(Cluster cluster, int value) {
        float[] v = cluster.chief() ? new float[] {value >>> 15, value & 0x7FFF} : new float[2];
        float[] sum = reduce(cluster, v, "Add");
        return ((int) sum[0] << 15) | (int) sum[1];
    }

    /**
     * Whether every worker holds the same {@code hash}: the maximum of its 16-bit pieces and of
     * their negations equals this worker's own on every worker only when all hashes are equal.
     */
    public static boolean agree(Cluster cluster, long hash) {
        float[] v = new float[8];
        for (int i = 0; i < 4; i++) {
            v[i] = (hash >>> (16 * i)) & 0xFFFF;
            v[i + 4] = -v[i];
        }
        float[] max = reduce(cluster, v, "Max");
        return java.util.Arrays.equals(max, v);
    }
}
