package dev.dlx.cli;

import dev.dlx.runtime.cluster.Cluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * `dlxc run FILE --workers N`: N worker processes on this machine (the same Java and class path,
 * `dlxc run ... --cluster FILE --task i` on free loopback ports). The chief's output is streamed
 * here; the others' goes to log files shown only when a worker fails. When one worker fails, the
 * others fail too once their next collective times out; those still running a timeout later are
 * stopped. The exit code is the worst of the workers'.
 */
final class LocalWorkers {
    private final PrintWriter out;
    private final PrintWriter err;

    LocalWorkers(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    int launch(int n, int timeoutSeconds, List<String> arguments, Path workerRuns) {
        Cluster cluster;
        Path work;
        try {
            cluster = Cluster.local(n, timeoutSeconds);
            work = Files.createTempDirectory("dlx-cluster-");
        } catch (Cluster.ClusterException | IOException e) {
            err.println("dlxc run: " + e.getMessage());
            return Main.USAGE;
        }
        List<Process> workers = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        try {
            Path file = work.resolve("cluster.json");
            Files.writeString(file, cluster.json());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            out.println("dlxc: " + n + " local workers (" + String.join(", ", cluster.workers()) + "); worker 0, the chief, writes the run folder");
            out.flush();
            for (int i = 0; i < n; i++) {
                List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
                cmd.addAll(arguments);
                cmd.addAll(List.of("--cluster", file.toString(), "--task", String.valueOf(i)));
                if (i > 0) cmd.addAll(List.of("--worker-runs", (workerRuns != null ? workerRuns : work).resolve("task-" + i).toString()));
                ProcessBuilder pb = new ProcessBuilder(cmd);
                pb.environment().remove("TF_CONFIG");
                Path log = work.resolve("worker-" + i + ".log");
                logs.add(log);
                if (i == 0) {
                    Process p = pb.start();
                    workers.add(p);
                    pumps.add(pump(p.getInputStream(), out));
                    pumps.add(pump(p.getErrorStream(), err));
                } else {
                    pb.redirectErrorStream(true).redirectOutput(log.toFile());
                    workers.add(pb.start());
                }
            }
            int worst = 0;
            int[] codes = wait(workers, timeoutSeconds);
            for (Thread t : pumps) t.join(10_000);
            for (int i = 0; i < n; i++) {
                worst = Math.max(worst, codes[i]);
                if (codes[i] != 0 && i > 0) {
                    err.println("dlxc: worker " + i + " failed (exit " + codes[i] + "); the end of its output:");
                    List<String> lines = Files.exists(logs.get(i)) ? Files.readAllLines(logs.get(i)) : List.of();
                    for (String l : lines.subList(Math.max(0, lines.size() - 12), lines.size())) err.println("  " + l);
                }
            }
            if (codes[0] != 0) err.println("dlxc: worker 0 (the chief) failed (exit " + codes[0] + "); its output is above");
            return worst;
        } catch (IOException e) {
            err.println("dlxc run: cannot start the local workers: " + e.getMessage());
            return Main.ERRORS;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } finally {
            for (Process p : workers) if (p.isAlive()) p.destroyForcibly();
            err.flush();
            out.flush();
            WorkerFolder.delete(work);
        }
    }

    /** Every worker's exit code; once one has failed, those still running after the timeout (and a grace) are stopped (exit 1). */
    private static int[] wait(List<Process> workers, int timeoutSeconds) throws InterruptedException {
        int n = workers.size();
        int[] codes = new int[n];
        long deadline = Long.MAX_VALUE;
        boolean[] done = new boolean[n];
        int left = n;
        while (left > 0) {
            for (int i = 0; i < n; i++) {
                if (done[i]) continue;
                Process p = workers.get(i);
                if (p.waitFor(200, TimeUnit.MILLISECONDS)) {
                    done[i] = true;
                    left--;
                    codes[i] = p.exitValue();
                    if (codes[i] != 0 && deadline == Long.MAX_VALUE) deadline = System.nanoTime() + (timeoutSeconds + 30) * 1_000_000_000L;
                } else if (System.nanoTime() > deadline) {
                    p.destroyForcibly().waitFor();
                    done[i] = true;
                    left--;
                    codes[i] = 1;
                }
            }
        }
        return codes;
    }

    private static Thread pump(InputStream in, PrintWriter to) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    to.println(line);
                    to.flush();
                }
            } catch (IOException ignored) {
                // the worker ended
            }
        }, "dlx-worker-output");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
