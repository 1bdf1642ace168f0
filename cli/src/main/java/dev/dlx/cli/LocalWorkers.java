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
            out.println("dlxc: " + n + " local workers (" + String.join(", ", cluster.workers()) + "); worker 0, the chief, writes the run folder");
            out.flush();
            Path home = home();
            for (int i = 0; i < n; i++) {
                List<String> more = new ArrayList<>(List.of("--cluster", file.toString(), "--task", String.valueOf(i), RunCommand.STOP_ON_STDIN));
                if (i > 0) more.addAll(List.of("--worker-runs", (workerRuns != null ? workerRuns : work).resolve("task-" + i).toString()));
                ProcessBuilder pb = worker(home, arguments, more);
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
            int[] codes;
            // Ctrl-C reaches every worker when they share the terminal's process group; a SIGINT sent to this
            // process alone is passed on (a line on each worker's standard input). Each asks to stop, the
            // workers agree in their next step and all stop after it; this process waits for them
            dev.dlx.runtime.train.StopSignal stop = new dev.dlx.runtime.train.StopSignal();
            try (Interrupts.Installed ctrlC = Interrupts.onCtrlC(stop, System.err,
                "\ndlxc: every worker stops after the same batch; the chief saves `last` (Ctrl-C again to quit at once)...")) {
                codes = wait(workers, timeoutSeconds, stop);
            }
            for (Thread t : pumps) t.join(10_000);
            for (int i = 0; i < n; i++) {
                worst = Math.max(worst, codes[i]);
                if (codes[i] != 0 && codes[i] != dev.dlx.runtime.run.Runner.INTERRUPTED && i > 0) {
                    err.println("dlxc: worker " + i + " failed (exit " + codes[i] + "); the end of its output:");
                    List<String> lines = Files.exists(logs.get(i)) ? Files.readAllLines(logs.get(i)) : List.of();
                    for (String l : lines.subList(Math.max(0, lines.size() - 12), lines.size())) err.println("  " + l);
                }
            }
            if (codes[0] == dev.dlx.runtime.run.Runner.INTERRUPTED) {
                err.println("dlxc: all " + n + " workers stopped after the same batch; the chief saved `last` (its line above says how to resume)");
            } else if (codes[0] != 0) err.println("dlxc: worker 0 (the chief) failed (exit " + codes[0] + "); its output is above");
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

    /**
     * Where the launcher found dlx ({@code dlx.home}, set by `dlxc`), whose cli/jvm files the workers
     * run with; null when started otherwise (then the workers get no options of their own).
     */
    static Path home() {
        String h = System.getProperty("dlx.home");
        return h == null || h.isBlank() ? null : Path.of(h);
    }

    /**
     * One worker: the same Java and class path as this process, with the JVM options a single
     * `dlxc run` gets (cli/jvm/train.options, then DLXC_JAVA_OPTS) and TensorFlow's settings of
     * cli/jvm/tensorflow.env, each unless already set in the environment, as `dlxc` does; no
     * TF_CONFIG (the worker's cluster is in its arguments).
     */
    static ProcessBuilder worker(Path home, List<String> arguments, List<String> more) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java));
        if (home != null) {
            Path options = home.resolve("cli/jvm/train.options");
            if (Files.exists(options)) cmd.addAll(words(Files.readString(options)));
            cmd.add("-Ddlx.home=" + home);
        }
        String extra = System.getenv("DLXC_JAVA_OPTS");
        if (extra != null) cmd.addAll(words(extra));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(arguments);
        cmd.addAll(more);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("TF_CONFIG");
        Path env = home == null ? null : home.resolve("cli/jvm/tensorflow.env");
        if (env != null && Files.exists(env)) {
            for (String line : Files.readAllLines(env)) {
                String l = line.strip();
                int eq = l.indexOf('=');
                if (l.isEmpty() || l.startsWith("#") || eq < 1) continue;
                String key = l.substring(0, eq);
                String value = pb.environment().get(key);
                if (value == null || value.isEmpty()) pb.environment().put(key, l.substring(eq + 1));
            }
        }
        return pb;
    }

    private static List<String> words(String text) {
        return java.util.Arrays.stream(text.strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    /**
     * Every worker's exit code; once one has failed, those still running after the timeout (and a
     * grace) are stopped (exit 1). When {@code stop} is requested, each worker still running is told
     * once on its standard input (see {@link RunCommand#STOP_ON_STDIN}).
     */
    private static int[] wait(List<Process> workers, int timeoutSeconds, dev.dlx.runtime.train.StopSignal stop) throws InterruptedException {
        int n = workers.size();
        int[] codes = new int[n];
        long deadline = Long.MAX_VALUE;
        boolean[] done = new boolean[n];
        boolean told = false;
        int left = n;
        while (left > 0) {
            if (!told && stop.requested()) {
                told = true;
                for (Process p : workers) {
                    if (!p.isAlive()) continue;
                    try {
                        p.getOutputStream().write(RunCommand.STOP_LINE);
                        p.getOutputStream().flush();
                    } catch (IOException ended) {
                        // it ended meanwhile
                    }
                }
            }
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
