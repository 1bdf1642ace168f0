package dev.dlx.runtime.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Server;
import org.tensorflow.Session;
import org.tensorflow.TargetedSession;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;
import org.tensorflow.types.TFloat32;

/** Two TensorFlow servers in one JVM, a session on each through {@link TargetedSession}: an all-reduce of their tensors gives both the mean. */
class TargetedSessionTest {

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) { return s.getLocalPort(); }
    }

    @Test
    void twoWorkersAllReduceThroughTheirServers() throws Exception {
        int n = 2;
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) ports.add(freePort());
        JobDef.Builder job = JobDef.newBuilder().setName("worker");
        for (int i = 0; i < n; i++) job.putTasks(i, "localhost:" + ports.get(i));
        ClusterDef cluster = ClusterDef.newBuilder().addJob(job).build();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Server> servers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ConfigProto cfg = ConfigProto.newBuilder()
                    .setExperimental(ConfigProto.Experimental.newBuilder().setCollectiveGroupLeader("/job:worker/replica:0/task:0"))
                    .build();
                Server s = new Server(ServerDef.newBuilder().setCluster(cluster).setJobName("worker").setTaskIndex(i)
                    .setProtocol("grpc").setDefaultSessionConfig(cfg).build());
                s.start();
                servers.add(s);
            }
            List<Future<float[]>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int task = i;
                results.add(pool.submit(() -> reduce(task, n, ports.get(task))));
            }
            for (Future<float[]> f : results) assertArrayEquals(new float[] {2f, 4f}, f.get(120, TimeUnit.SECONDS), 0f);
        } finally {
            // TensorFlow cannot stop a gRPC server ("clean shutdown is not currently implemented"): the
            // servers live until this JVM exits, as a worker's does until its process ends
            pool.shutdownNow();
        }
    }

    private static float[] reduce(int task, int n, int port) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g).withDevice(org.tensorflow.DeviceSpec.newBuilder().job("worker").replica(0).task(task)
                .deviceType(org.tensorflow.DeviceSpec.DeviceType.CPU).deviceIndex(0).build());
            // task 0 holds [1, 3], task 1 holds [3, 5]: the mean is [2, 4]
            Operand<TFloat32> x = tf.constant(new float[] {1f + 2 * task, 3f + 2 * task});
            @SuppressWarnings("unchecked")
            Operand<TFloat32> r = (Operand<TFloat32>) (Operand<?>) tf.scope().opBuilder("CollectiveReduce", "allreduce")
                .addInput(x.asOutput()).setAttr("group_size", (long) n).setAttr("group_key", 1L).setAttr("instance_key", 1L)
                .setAttr("merge_op", "Add").setAttr("final_op", "Div").setAttr("subdiv_offsets", new long[] {0})
                .setAttr("timeout_seconds", 60f).build().output(0);
            ConfigProto cfg = ConfigProto.newBuilder()
                .setExperimental(ConfigProto.Experimental.newBuilder().setCollectiveGroupLeader("/job:worker/replica:0/task:0"))
                .build();
            try (Session s = TargetedSession.open(g, "grpc://localhost:" + port, cfg);
                 TFloat32 out = (TFloat32) s.runner().fetch(r).run().get(0)) {
                return new float[] {out.getFloat(0), out.getFloat(1)};
            }
        }
    }
}
