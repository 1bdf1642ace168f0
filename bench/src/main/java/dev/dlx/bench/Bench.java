package dev.dlx.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The training benchmark: every system on every workload, one fresh JVM per measurement,
 * alternating systems within each round (tf, dlx, djl, then again) so that a drift in the
 * machine's speed hits all alike, with the matrix-multiply ceiling measured in the same run.
 * Prints a Markdown table of medians and ratios against the hand-written TensorFlow Java baseline.
 *
 * <pre>bench/run [--rounds N] [--epochs E] [--workloads W1,W2,W3] [--systems tf,tf-jvm,dlx,djl] [--memory EPOCHS]</pre>
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        int rounds = 2, epochs = 2;
        List<String> workloads = List.of("W1", "W2", "W3");
        List<String> systems = List.of("tf", "tf-jvm", "dlx", "djl");
        int memoryEpochs = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                case "--workloads": workloads = List.of(args[++i].split(",")); break;
                case "--systems": systems = List.of(args[++i].split(",")); break;
                case "--memory": memoryEpochs = Integer.parseInt(args[++i]); break;
                case "--epochs": epochs = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path repo = Path.of(System.getProperty("dlx.repo", ".")).toAbsolutePath().normalize();
        System.out.printf(Locale.ROOT, "dlx training benchmark, %s, %d cores, %s %s, Java %s%n", LocalDate.now(),
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
            System.getProperty("java.version"));
        System.out.println(Machine.describe());
        List<Measurement> ceilings = new ArrayList<>();
        ceilings.add(child(repo, "matmul", "W1", 1));
        Map<String, List<Measurement>> results = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (String w : workloads) {
                List<String> order = new ArrayList<>(systems);
                if (w.equals("W3")) {
                    order.remove("tf-jvm");
                    order.replaceAll(s -> s.equals("tf") ? "dlx-noaug" : s);
                }
                if (r % 2 == 1) java.util.Collections.reverse(order);
                for (String s : order) {
                    String loadBefore = Machine.loadAverage();
                    Measurement m = child(repo, s, w, epochs);
                    System.out.printf(Locale.ROOT, "  round %d %s %-9s epoch 1 %8.0f samples/s, epoch %d %8.0f samples/s, test accuracy %.4f; load average %s -> %s%n",
                        r + 1, w, s, m.samplesPerSecond(), epochs, m.steadySamplesPerSecond(), m.testAccuracy(), loadBefore, Machine.loadAverage());
                    results.computeIfAbsent(w + " " + s, k -> new ArrayList<>()).add(m);
                }
            }
        }
        ceilings.add(child(repo, "matmul", "W1", 1));
        double ceiling = median(ceilings, Measurement::gflops);
        System.out.printf(Locale.ROOT, "%nfloat32 matmul ceiling (TensorFlow Java, 2048x2048): %.0f GFLOP/s (median of %d)%n%n", ceiling,
            ceilings.size());
        System.out.printf(Locale.ROOT, "| workload | system | epoch 1 samples/s | vs baseline | epoch %d samples/s | vs baseline | first step ms | setup s | test acc | peak RSS MB | GFLOP/s (epoch %d) | %% of ceiling |%n", epochs, epochs);
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (String w : workloads) {
            String base = w.equals("W3") ? "dlx-noaug" : "tf";
            double baseline = results.containsKey(w + " " + base) ? median(results.get(w + " " + base), Measurement::samplesPerSecond) : Double.NaN;
            double steadyBase = results.containsKey(w + " " + base) ? median(results.get(w + " " + base), Measurement::steadySamplesPerSecond) : Double.NaN;
            Workload wl = Workload.valueOf(w);
            for (Map.Entry<String, List<Measurement>> e : results.entrySet()) {
                if (!e.getKey().startsWith(w + " ")) continue;
                List<Measurement> ms = e.getValue();
                double sps = median(ms, Measurement::samplesPerSecond), steady = median(ms, Measurement::steadySamplesPerSecond);
                double gflops = steady * wl.trainFlops() / 1e9;
                System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %s | %,.0f | %s | %.0f | %.1f | %.4f | %.0f | %.1f | %.0f%% |%n", w,
                    e.getKey().substring(w.length() + 1), sps, ratio(sps, baseline), steady, ratio(steady, steadyBase), median(ms, Measurement::firstStepMs),
                    median(ms, Measurement::setupSeconds), median(ms, Measurement::testAccuracy), median(ms, Measurement::peakRssMb),
                    gflops, 100 * gflops / ceiling);
            }
        }
        System.out.println();
        System.out.println("Baseline: `tf` (hand-written TensorFlow Java, default JVM options) for W1 and W2; for W3, dlx itself with");
        System.out.println("augmentation off. `tf-jvm` is the hand-written program with the settings `./dlxc` launches training with: JVM options ("
            + trainJvmOptions(repo) + ") and TensorFlow's environment " + tensorflowSettings(repo) + ".");
        if (memoryEpochs > 0) memory(repo, memoryEpochs);
    }

    /** Resident memory after each of {@code epochs} epochs of W2 with dlx: it should stay flat. */
    static void memory(Path repo, int epochs) throws Exception {
        System.out.printf(Locale.ROOT, "%nresident memory over %d epochs of W2 (dlx):%n", epochs);
        List<String> cmd = javaCommand(repo, List.of(trainJvmOptions(repo).split("\\s+")), "dev.dlx.bench.MemoryGrowth", "W2", String.valueOf(epochs));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        tensorflowSettings(repo).forEach(pb.environment()::putIfAbsent);
        Process p = pb.start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) System.out.println("  " + line);
        }
        if (p.waitFor() != 0) throw new IllegalStateException("the memory run failed");
    }

    static Measurement child(Path repo, String system, String workload, int epochs) throws IOException, InterruptedException {
        // dlx runs with the JVM options and TensorFlow settings its launcher gives `dlxc run`
        boolean launched = system.startsWith("dlx") || system.equals("tf-jvm");
        List<String> jvm = launched ? List.of(trainJvmOptions(repo).split("\\s+")) : List.of();
        List<String> cmd = javaCommand(repo, jvm, "dev.dlx.bench.Child", system.equals("tf-jvm") ? "tf" : system, workload, String.valueOf(epochs));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        if (launched) tensorflowSettings(repo).forEach(pb.environment()::putIfAbsent);
        if (system.equals("djl")) {
            // PyTorch's OpenMP threads: one, its fastest here (on 2 cores with other work running, two threads
            // ran W1 at 330 samples/s against 12,400 with one, and W2 at 126 against 655: OpenMP waits on
            // barriers whenever one of its threads is descheduled); DJL_OMP_THREADS overrides
            String threads = System.getenv().getOrDefault("DJL_OMP_THREADS", "1");
            pb.environment().put("OMP_NUM_THREADS", threads);
        }
        Process p = pb.start();
        Measurement m = null;
        StringBuilder all = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(Measurement.PREFIX)) m = Measurement.parse(line);
                else all.append(line).append('\n');
            }
        }
        int code = p.waitFor();
        if (code != 0 || m == null) throw new IllegalStateException(system + " " + workload + " failed (exit " + code + "):\n" + all);
        return system.equals("tf-jvm") ? new Measurement("tf-jvm", m.workload(), m.setupSeconds(), m.firstStepMs(), m.epochSeconds(),
            m.samplesPerSecond(), m.steadySamplesPerSecond(), m.testAccuracy(), m.peakRssMb(), m.gflops(), m.note()) : m;
    }

    static List<String> javaCommand(Path repo, List<String> jvm, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-Xmx6g", "-Ddlx.repo=" + repo, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The environment `./dlxc` gives TensorFlow (`cli/jvm/tensorflow.env`, NAME=value lines). */
    static java.util.Map<String, String> tensorflowSettings(Path repo) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(repo.resolve("cli/jvm/tensorflow.env"))) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        } catch (IOException e) {
            // none
        }
        return out;
    }

    /** The JVM options `./dlxc run` uses (`cli/jvm/train.options`). */
    static String trainJvmOptions(Path repo) {
        try {
            return java.nio.file.Files.readString(repo.resolve("cli/jvm/train.options")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** {@code value / baseline} as "1.23x", or "-" when the baseline was not run. */
    static String ratio(double value, double baseline) {
        return Double.isNaN(baseline) ? "-" : String.format(Locale.ROOT, "%.2fx", value / baseline);
    }

    static double median(List<Measurement> ms, ToDoubleFunction<Measurement> f) {
        double[] v = ms.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
