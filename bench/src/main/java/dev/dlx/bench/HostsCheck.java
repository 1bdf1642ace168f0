package dev.dlx.bench;

import dev.dlx.runtime.run.RunFolder;
import dev.dlx.runtime.train.Checkpoint;
import dev.dlx.runtime.train.StepLosses;
import dev.dlx.runtime.train.WeightDifference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * `HostsCheck [FILE [GLOBAL_BATCH [HOSTS [RATES [EVERY]]]]]` (`bench/run hosts-check`, as root):
 * data-parallel training across hosts, each host a Linux network namespace of its own: its own
 * address (10.213.0.i on a bridge), its own loopback, nothing shared with the others but the
 * bridge, optionally a bandwidth limit on what it sends (a token bucket, `tc ... tbf rate R`, e.g.
 * `1gbit`; `none` for no limit). Every worker is started with
 * `--cluster FILE --task i`, the cluster file naming the hosts' addresses, all on the same port, as
 * a scheduler starts them on a real cluster (no loopback between workers, no `--workers`
 * launcher). FILE (default W1, bench/workloads/w1_mlp.dlx) trains one epoch at GLOBAL_BATCH / N a
 * worker (default 96), N in HOSTS (default 2,3), for each rate in RATES (default none,1gbit), with
 * `--seed 3 --log-every EVERY` (default 25). Prints, against one process at the global batch (in
 * the machine's own namespace): whether every worker's final weights are bit-equal to the chief's,
 * the loss curve's largest difference, samples/s, and the bytes the hosts sent a step on their
 * interfaces next to what a ring all-reduce of the graph's collectives sends (2 (N-1) x the bytes
 * all-reduced, all workers together). Exits 1 when a check fails (the same checks and tolerance as
 * {@link WorkersCheck}), 2 when the namespaces cannot be made (not root, no `ip`).
 *
 * <p>What this is not: the hosts share the machine's cores, memory and file system (each worker
 * keeps its own run folder); only the network between the workers is that of separate hosts.
 */
public final class HostsCheck {
    private HostsCheck() {}

    static final int PORT = 7470;
    static final String BRIDGE = "dlxhb0", NAMESPACE = "dlxh", VETH = "dlxv", SUBNET = "10.213.0.";

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("dlx.repo", ".")).toAbsolutePath().normalize();
        Path file = repo.resolve(args.length > 0 ? args[0] : "bench/workloads/w1_mlp.dlx");
        int global = args.length > 1 ? Integer.parseInt(args[1]) : 96;
        String[] hosts = (args.length > 2 ? args[2] : "2,3").split(",");
        String[] rates = (args.length > 3 ? args[3] : "none,1gbit").split(",");
        int every = args.length > 4 ? Integer.parseInt(args[4]) : 25;
        String source = Files.readString(file);
        System.out.printf(Locale.ROOT, "%s: one epoch at global batch %d, --seed 3 --log-every %d, each worker a network namespace of its own%n%s%n",
            repo.relativize(file), global, every, Machine.describe());
        try (Hosts probe = Hosts.create(1, "1gbit")) {
            // the namespaces can be made: fail before the long reference run otherwise
        } catch (IOException e) {
            System.out.println("hosts-check needs root and iproute2 (ip netns, ip link, tc): " + e.getMessage());
            System.exit(2);
        }
        WorkersCheck.Trained one = WorkersCheck.train(repo, file, source, 1, global, every);
        System.out.printf(Locale.ROOT, "%-24s %6s %11s %15s %37s %10s %9s %30s%n", "run", "steps", "last row", "workers' weights",
            "loss rows vs 1 process", "samples/s", "seconds", "sent a step (ring all-reduce)");
        System.out.printf(Locale.ROOT, "%-24s %6d %11.6f %15s %37s %10s %9.1f %30s%n", one.what() + ", own namespace", WorkersCheck.steps(one.steps()),
            last(one.steps()), "-", "-", "-", one.seconds(), "-");
        boolean ok = !one.steps().isEmpty();
        for (String h : hosts) {
            int n = Integer.parseInt(h.trim());
            if (global % n != 0) throw new IllegalArgumentException("global batch " + global + " is not a multiple of " + n + " hosts");
            for (String rate : rates) {
                Result r;
                try (Hosts net = Hosts.create(n, rate.trim())) {
                    r = net.train(repo, file, source, global / n, every);
                }
                double apart = 0;
                for (Map<String, float[]> other : r.others()) apart = Math.max(apart, WeightDifference.of(other, r.weights()).largest());
                double[] curve = WorkersCheck.curveDifference(r.steps(), one.steps());
                ok &= apart == 0 && curve[1] <= WorkersCheck.TOLERANCE;
                long steps = WorkersCheck.steps(r.steps());
                String sent = r.reduced() <= 0 || steps == 0 ? "-" : String.format(Locale.ROOT, "%,d B (%,d B)", r.sent() / steps, 2L * (n - 1) * r.reduced());
                System.out.printf(Locale.ROOT, "%-24s %6d %11.6f %15s %37s %10.0f %9.1f %30s%n",
                    n + " hosts x " + global / n + ", " + (rate.trim().equals("none") ? "no limit" : rate.trim()), steps, last(r.steps()),
                    apart == 0 ? "bit-equal" : String.format(Locale.ROOT, "%.3g", apart),
                    Double.isNaN(curve[0]) ? "rows differ" : String.format(Locale.ROOT, "%.3g (%.3g rel.; row 1 %.2g)", curve[0], curve[1], curve[2]),
                    r.samplesPerSecond(), r.seconds(), sent);
                System.out.flush();
            }
        }
        System.out.printf(Locale.ROOT, "load average at the end: %s%n%s: every worker's weights bit-equal to the chief's, "
            + "and every row of the loss curve within %.0e (relative) of the one process's%n", Machine.loadAverage(), ok ? "passed" : "FAILED",
            WorkersCheck.TOLERANCE);
        System.exit(ok ? 0 : 1);
    }

    private static double last(List<StepLosses.Row> rows) { return rows.isEmpty() ? Double.NaN : rows.get(rows.size() - 1).loss(); }

    /** One training across the hosts: the chief's weights and the others', the chief's loss rows, its last samples/s, and the bytes sent. */
    record Result(Map<String, float[]> weights, List<Map<String, float[]>> others, List<StepLosses.Row> steps, double samplesPerSecond,
                  double seconds, long sent, long reduced) {}

    /** N network namespaces on one bridge, removed again by {@link #close}. */
    static final class Hosts implements AutoCloseable {
        private final int n;
        private final Thread cleanup = new Thread(Hosts::removeAll, "dlx-hosts-cleanup");

        private Hosts(int n) { this.n = n; }

        /** {@code n} hosts, each sending at most {@code rate} (tc's units, e.g. `1gbit`), or without a limit for `none`. */
        static Hosts create(int n, String rate) throws IOException, InterruptedException {
            removeAll();
            Hosts h = new Hosts(n);
            Runtime.getRuntime().addShutdownHook(h.cleanup);
            try {
                ip("link", "add", BRIDGE, "type", "bridge");
                ip("link", "set", BRIDGE, "up");
                for (int i = 0; i < n; i++) {
                    String ns = NAMESPACE + i, veth = VETH + i;
                    ip("netns", "add", ns);
                    ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
                    ip("link", "set", veth, "master", BRIDGE);
                    ip("link", "set", veth, "up");
                    ip("-n", ns, "addr", "add", address(i) + "/24", "dev", "eth0");
                    ip("-n", ns, "link", "set", "eth0", "up");
                    ip("-n", ns, "link", "set", "lo", "up");
                    if (!rate.equals("none")) {
                        exec("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "eth0", "root", "tbf", "rate", rate, "burst", "256kb", "latency", "100ms");
                    }
                }
            } catch (IOException | InterruptedException e) {
                h.close();
                throw e;
            }
            return h;
        }

        static String address(int i) { return SUBNET + (i + 1); }

        /** One epoch of {@code file} at {@code batch} a worker, task i started in namespace i. */
        Result train(Path repo, Path file, String source, int batch, int every) throws Exception {
            Path copy = WorkersCheck.withBatch(file, source, batch);
            Path dir = Files.createTempDirectory("dlx-hosts-check-");
            List<Process> workers = new ArrayList<>();
            try {
                StringBuilder cluster = new StringBuilder("{\"worker\": [");
                for (int i = 0; i < n; i++) cluster.append(i == 0 ? "" : ", ").append('"').append(address(i)).append(':').append(PORT).append('"');
                Path clusterFile = Files.writeString(dir.resolve("cluster.json"), cluster.append("]}\n"));
                long before = sentBytes();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    List<String> args = new ArrayList<>(List.of("run", copy.toString(), "--cluster", clusterFile.toString(), "--task", String.valueOf(i),
                        "--epochs", "1", "--seed", "3", "--log-every", String.valueOf(every), "--progress", "plain", "--collective-timeout", "300"));
                    args.addAll(i == 0 ? List.of("--runs", dir.resolve("chief").toString()) : List.of("--worker-runs", dir.resolve("task-" + i).toString()));
                    workers.add(WorkersThroughput.command(repo, List.of("ip", "netns", "exec", NAMESPACE + i), args)
                        .redirectErrorStream(true).redirectOutput(dir.resolve("task-" + i + ".log").toFile()).start());
                }
                for (int i = 0; i < n; i++) {
                    Process p = workers.get(i);
                    if (!p.waitFor(30, TimeUnit.MINUTES)) throw new IllegalStateException("task " + i + " did not end within 30 minutes");
                    if (p.exitValue() != 0) {
                        throw new IllegalStateException("task " + i + " ended with exit " + p.exitValue() + ":\n" + Files.readString(dir.resolve("task-" + i + ".log")));
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                long sent = sentBytes() - before;
                String chiefLog = Files.readString(dir.resolve("task-0.log"));
                double rate = Double.NaN;
                Matcher m = WorkersThroughput.EPOCH.matcher(chiefLog);
                while (m.find()) rate = Double.parseDouble(m.group(3).replace(",", ""));
                Matcher r = WorkersThroughput.REDUCE.matcher(chiefLog);
                long reduced = r.find() ? Long.parseLong(r.group(1).replace(",", "")) : -1;
                Path chief = WorkersCheck.onlyFolder(dir.resolve("chief"));
                List<Map<String, float[]>> others = new ArrayList<>();
                for (int i = 1; i < n; i++) others.add(Checkpoint.read(WorkersCheck.onlyFolder(dir.resolve("task-" + i)).resolve(RunFolder.LAST)).weights());
                return new Result(Checkpoint.read(chief.resolve(RunFolder.LAST)).weights(), others, RunFolder.open(chief).readSteps(), rate, seconds,
                    sent, reduced);
            } finally {
                for (Process p : workers) p.destroyForcibly();
                Files.deleteIfExists(copy);
                WorkersThroughput.deleteAll(dir);
            }
        }

        /** Bytes the hosts have sent on their interfaces: what the bridge-side ends received. */
        private long sentBytes() throws IOException {
            long sum = 0;
            for (int i = 0; i < n; i++) sum += Long.parseLong(Files.readString(Path.of("/sys/class/net", VETH + i, "statistics", "rx_bytes")).strip());
            return sum;
        }

        @Override public void close() {
            removeAll();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }

        /** Removes the bridge and every namespace of this check (their veth pairs go with them); absent ones are skipped. */
        static void removeAll() {
            try {
                for (String ns : exec("ip", "netns", "list").lines().map(l -> l.split("\\s+")[0]).toList()) {
                    if (ns.matches(NAMESPACE + "\\d+")) exec("ip", "netns", "del", ns);
                }
                if (Files.exists(Path.of("/sys/class/net", BRIDGE))) exec("ip", "link", "del", BRIDGE);
            } catch (IOException | InterruptedException e) {
                System.err.println("hosts-check: could not remove the namespaces " + NAMESPACE + "N or bridge " + BRIDGE + ": " + e.getMessage());
            }
        }

        private static void ip(String... args) throws IOException, InterruptedException {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "ip";
            System.arraycopy(args, 0, cmd, 1, args.length);
            exec(cmd);
        }

        /** Runs a command, its output returned; a non-zero exit is an IOException with that output. */
        private static String exec(String... cmd) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + ": " + out.strip());
            return out;
        }
    }
}
