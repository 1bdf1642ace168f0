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
 * <pre>bench/run [--rounds N] [--workloads W1,W2,W3] [--systems tf,dlx,djl] [--memory EPOCHS]</pre>
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) throws Exception {
        int rounds = 2;
        List<String> workloads = List.of("W1", "W2", "W3");
        List<String> systems = List.of("tf", "dlx", "djl");
        int memoryEpochs = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                case "--workloads": workloads = List.of(args[++i].split(",")); break;
                case "--systems": systems = List.of(args[++i].split(",")); break;
                case "--memory": memoryEpochs = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path repo = Path.of(System.getProperty("dlx.repo", ".")).toAbsolutePath().normalize();
        System.out.printf(Locale.ROOT, "dlx training benchmark, %s, %d cores, %s %s, Java %s%n", LocalDate.now(),
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
            System.getProperty("java.version"));
        List<Measurement> ceilings = new ArrayList<>();
        ceilings.add(child(repo, "matmul", "W1", 1));
        Map<String, List<Measurement>> results = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (String w : workloads) {
                List<String> order = new ArrayList<>(systems);
                if (w.equals("W3")) order.replaceAll(s -> s.equals("tf") ? "dlx-noaug" : s);
                if (r % 2 == 1) java.util.Collections.reverse(order);
                for (String s : order) {
                    Measurement m = child(repo, s, w, 1);
                    System.out.printf(Locale.ROOT, "  round %d %s %-9s %8.0f samples/s, test accuracy %.4f%n", r + 1, w, s,
                        m.samplesPerSecond(), m.testAccuracy());
                    results.computeIfAbsent(w + " " + s, k -> new ArrayList<>()).add(m);
                }
            }
        }
        ceilings.add(child(repo, "matmul", "W1", 1));
        double ceiling = median(ceilings, Measurement::gflops);
        System.out.printf(Locale.ROOT, "%nfloat32 matmul ceiling (TensorFlow Java, 2048x2048): %.0f GFLOP/s (median of %d)%n%n", ceiling,
            ceilings.size());
        System.out.println("| workload | system | samples/s (median) | vs tf | vs dlx | first step ms | setup s | test acc | peak RSS MB | GFLOP/s | % of ceiling |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (String w : workloads) {
            String base = w.equals("W3") ? "dlx-noaug" : "tf";
            double baseline = results.containsKey(w + " " + base) ? median(results.get(w + " " + base), Measurement::samplesPerSecond) : Double.NaN;
            double dlx = results.containsKey(w + " dlx") ? median(results.get(w + " dlx"), Measurement::samplesPerSecond) : Double.NaN;
            for (Map.Entry<String, List<Measurement>> e : results.entrySet()) {
                if (!e.getKey().startsWith(w + " ")) continue;
                List<Measurement> ms = e.getValue();
                double sps = median(ms, Measurement::samplesPerSecond);
                double gflops = median(ms, Measurement::gflops);
                System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %.2fx | %.2fx | %.0f | %.1f | %.4f | %.0f | %.1f | %.0f%% |%n", w,
                    e.getKey().substring(w.length() + 1), sps, sps / baseline, sps / dlx, median(ms, Measurement::firstStepMs),
                    median(ms, Measurement::setupSeconds), median(ms, Measurement::testAccuracy), median(ms, Measurement::peakRssMb),
                    gflops, 100 * gflops / ceiling);
            }
        }
        System.out.println();
        System.out.println("W3's baseline is dlx itself with augmentation off (the hand-written program covers W1 and W2).");
        if (memoryEpochs > 0) memory(repo, memoryEpochs);
    }

    /** Resident memory after each of {@code epochs} epochs of W2 with dlx: it should stay flat. */
    static void memory(Path repo, int epochs) throws Exception {
        System.out.printf(Locale.ROOT, "%nresident memory over %d epochs of W2 (dlx):%n", epochs);
        List<String> cmd = javaCommand(repo, "dev.dlx.bench.MemoryGrowth", "W2", String.valueOf(epochs));
        Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) System.out.println("  " + line);
        }
        if (p.waitFor() != 0) throw new IllegalStateException("the memory run failed");
    }

    static Measurement child(Path repo, String system, String workload, int epochs) throws IOException, InterruptedException {
        List<String> cmd = javaCommand(repo, "dev.dlx.bench.Child", system, workload, String.valueOf(epochs));
        Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
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
        return m;
    }

    static List<String> javaCommand(Path repo, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx6g", "-Ddlx.repo=" + repo, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static double median(List<Measurement> ms, ToDoubleFunction<Measurement> f) {
        double[] v = ms.stream().mapToDouble(f).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
