package dev.dlx.runtime.cluster;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.tensorflow.Server;
import org.tensorflow.proto.ClusterDef;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.JobDef;
import org.tensorflow.proto.ServerDef;

/**
 * The workers of a synchronous data-parallel training and which of them this process is: the
 * `worker` job of TensorFlow's cluster description ({@code host:port} per task), read from a
 * cluster file, from {@code TF_CONFIG}, or made for N local processes on loopback ports. A process
 * {@link #join joins} one cluster: it starts its TensorFlow server, which then lives as long as the
 * process (TensorFlow cannot stop a gRPC server), and the training graphs it builds afterwards
 * all-reduce their gradients with the other workers'. Worker 0 is the chief.
 *
 * @param workers        {@code host:port} of each task, task 0 first
 * @param task           this process's task index
 * @param timeoutSeconds how long a collective waits for its peers before it fails
 */
public record Cluster(List<String> workers, int task, int timeoutSeconds) {

    /** The default wait for a peer (a dead or never-started worker fails the run after it). */
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    /** A cluster description that cannot be used; its message says why. */
    public static final class ClusterException extends Exception {
        public ClusterException(String message) { super(message); }
    }

    public Cluster {
        workers = List.copyOf(workers);
    }

    public int size() { return workers.size(); }
    public boolean chief() { return task == 0; }

    /** {@code {"worker": ["host:port", ...]}} (or TF_CONFIG's whole object) in {@code file}, as task {@code task}. */
    public static Cluster fromFile(Path file, int task, int timeoutSeconds) throws ClusterException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ClusterException("cannot read the cluster file `" + file + "`: " + e.getMessage());
        }
        JsonObject root = object(text, "the cluster file `" + file + "`");
        JsonObject cluster = root.has("cluster") && root.get("cluster").isJsonObject() ? root.getAsJsonObject("cluster") : root;
        return new Cluster(workers(cluster, "the cluster file `" + file + "`"), checkedTask(task, cluster, file.toString()), timeoutSeconds)
            .checked("the cluster file `" + file + "`");
    }

    /** TensorFlow's {@code TF_CONFIG}: {@code {"cluster": {"worker": [...]}, "task": {"type": "worker", "index": N}}}. */
    public static Cluster fromTfConfig(String json, int timeoutSeconds) throws ClusterException {
        JsonObject root = object(json, "TF_CONFIG");
        if (!root.has("cluster") || !root.get("cluster").isJsonObject()) {
            throw new ClusterException("TF_CONFIG has no \"cluster\" object; expected {\"cluster\": {\"worker\": [\"host:port\", ...]}, "
                + "\"task\": {\"type\": \"worker\", \"index\": N}}");
        }
        JsonObject cluster = root.getAsJsonObject("cluster");
        for (String job : cluster.keySet()) {
            if (!job.equals("worker")) throw new ClusterException("TF_CONFIG: job `" + job + "` is not supported; dlx trains with `worker` tasks only");
        }
        if (!root.has("task") || !root.get("task").isJsonObject()) throw new ClusterException("TF_CONFIG has no \"task\": {\"type\": \"worker\", \"index\": N}");
        JsonObject t = root.getAsJsonObject("task");
        String type = t.has("type") ? t.get("type").getAsString() : "";
        if (!type.equals("worker")) throw new ClusterException("TF_CONFIG: task type `" + type + "` is not supported; expected \"worker\"");
        int index;
        try {
            index = t.get("index").getAsInt();
        } catch (RuntimeException e) {
            throw new ClusterException("TF_CONFIG: task \"index\" must be a whole number");
        }
        return new Cluster(workers(cluster, "TF_CONFIG"), checkedTask(index, cluster, "TF_CONFIG"), timeoutSeconds).checked("TF_CONFIG");
    }

    /** {@code n} workers on free loopback ports, as task 0 (the launcher hands each process its own index). */
    public static Cluster local(int n, int timeoutSeconds) throws ClusterException {
        if (n < 1) throw new ClusterException("--workers takes a number of workers from 1 up, not " + n);
        List<String> workers = new ArrayList<>();
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                workers.add("localhost:" + s.getLocalPort());
            }
        } catch (IOException e) {
            throw new ClusterException("cannot find " + n + " free loopback ports: " + e.getMessage());
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the port was only looked up
                }
            }
        }
        return new Cluster(workers, 0, timeoutSeconds);
    }

    public Cluster withTask(int t) { return new Cluster(workers, t, timeoutSeconds); }

    /** The cluster file's text ({@code {"worker": [...]}}). */
    public String json() {
        JsonObject o = new JsonObject();
        JsonArray a = new JsonArray();
        workers.forEach(a::add);
        o.add("worker", a);
        return o.toString();
    }

    private static JsonObject object(String text, String what) throws ClusterException {
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) throw new ClusterException(what + " is not a JSON object; expected {\"worker\": [\"host:port\", ...]}");
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new ClusterException(what + " is not valid JSON: " + e.getMessage());
        }
    }

    private static List<String> workers(JsonObject cluster, String what) throws ClusterException {
        if (!cluster.has("worker") || !cluster.get("worker").isJsonArray()) {
            throw new ClusterException(what + " has no \"worker\" list; expected {\"worker\": [\"host:port\", ...]}");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement e : cluster.getAsJsonArray("worker")) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) throw new ClusterException(what + ": each worker is a \"host:port\" string, not " + e);
            out.add(e.getAsString());
        }
        if (out.isEmpty()) throw new ClusterException(what + ": the \"worker\" list is empty");
        return out;
    }

    private static int checkedTask(int task, JsonObject cluster, String what) throws ClusterException {
        int n = cluster.has("worker") && cluster.get("worker").isJsonArray() ? cluster.getAsJsonArray("worker").size() : 0;
        if (task < 0 || task >= n) {
            throw new ClusterException("task " + task + " is out of range: " + what + " lists " + n + " worker" + (n == 1 ? "" : "s")
                + " (tasks 0.." + (n - 1) + ")");
        }
        return task;
    }

    private Cluster checked(String what) throws ClusterException {
        for (String w : workers) {
            int colon = w.lastIndexOf(':');
            boolean ok = colon > 0 && colon < w.length() - 1;
            if (ok) {
                try {
                    int port = Integer.parseInt(w.substring(colon + 1));
                    ok = port > 0 && port < 65536;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok) throw new ClusterException(what + ": worker `" + w + "` is not host:port");
        }
        if (timeoutSeconds < 1) throw new ClusterException("the collective timeout must be at least 1 second, not " + timeoutSeconds);
        return this;
    }

    // --- the process's membership ---

    private static volatile Cluster joined;
    private static final AtomicLong INSTANCE_KEYS = new AtomicLong();

    /** The cluster this process trains in, or null when it trains alone. */
    public static Cluster joined() { return joined; }

    /**
     * Starts this process's TensorFlow server for {@code cluster} (its port must be free) and makes
     * it the cluster every later training graph of this process all-reduces in.
     */
    public static synchronized void join(Cluster cluster) throws ClusterException {
        if (joined != null) throw new ClusterException("this process already is task " + joined.task + " of a cluster");
        String me = cluster.workers.get(cluster.task);
        int port = Integer.parseInt(me.substring(me.lastIndexOf(':') + 1));
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new ClusterException("port " + port + " of worker " + cluster.task + " (`" + me + "`) is in use: " + e.getMessage());
        }
        JobDef.Builder job = JobDef.newBuilder().setName("worker");
        for (int i = 0; i < cluster.size(); i++) job.putTasks(i, cluster.workers.get(i));
        ServerDef def = ServerDef.newBuilder().setCluster(ClusterDef.newBuilder().addJob(job)).setJobName("worker")
            .setTaskIndex(cluster.task).setProtocol("grpc").setDefaultSessionConfig(cluster.sessionConfig(dev.dlx.runtime.device.Device.configure(ConfigProto.newBuilder()))).build();
        try {
            @SuppressWarnings("resource") // TensorFlow cannot stop a gRPC server: it lives until the process exits
            Server server = new Server(def);
            server.start();
        } catch (RuntimeException e) {
            throw new ClusterException("cannot start the TensorFlow server of worker " + cluster.task + " at `" + me + "`: " + e.getMessage());
        }
        joined = cluster;
    }

    /** {@code base} with this cluster's collective settings: task 0 leads the group; the session sees its own task's devices only. */
    public ConfigProto sessionConfig(ConfigProto.Builder base) {
        return base.setExperimental(ConfigProto.Experimental.newBuilder().setCollectiveGroupLeader("/job:worker/replica:0/task:0"))
            .clearDeviceFilters().addDeviceFilters("/job:worker/task:" + task).build();
    }

    /** The target of this process's sessions: its own server. */
    public String target() { return "grpc://" + workers.get(task); }

    /**
     * A fresh collective instance key. Every worker builds the same graphs in the same order, so the
     * k-th key drawn is the same collective on every worker.
     */
    public static long nextInstanceKey() { return INSTANCE_KEYS.incrementAndGet(); }
}
