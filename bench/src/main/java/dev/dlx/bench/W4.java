package dev.dlx.bench;

import com.google.gson.Gson;
import dev.dlx.bench.lstm.CharData;
import dev.dlx.bench.lstm.DjlLstm;
import dev.dlx.bench.lstm.DlxLstm;
import dev.dlx.bench.lstm.HandLstm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Workload W4, the character LSTM (`bench/workloads/w4_char_lstm.dlx`): one epoch of the same
 * windows trained by the hand-written TensorFlow Java program ({@code tf}: all cores inside ops, two
 * ops at once; {@code tf1}: one thread, the calling one), by dlx ({@code dlx}: the threads the
 * runtime picks; {@code dlx1}: one thread, the calling one) and by DJL + PyTorch ({@code djl}: one
 * OpenMP thread; {@code djl2}: two), each in a fresh JVM with the
 * JVM options and TensorFlow environment `./dlxc` trains with, the systems alternating within each
 * round (the order reversed every other round). Prints every measurement with the load average of
 * the machine before and after it, then a table of medians and each system's ratio to the fastest
 * of the peers that ran ({@code tf}, {@code tf1}, {@code djl}, {@code djl2}).
 *
 * <pre>bench/run lstm [--rounds N] [--systems tf,dlx,djl,djl2] [--samples N]
 * bench/run lstm profile [STEPS]     per-op step statistics of the hand-written step and dlx's
 * bench/run lstm steps [ROUNDS] [STEPS]  hand-written and dlx steps alternated in one JVM</pre>
 */
public final class W4 {
    private W4() {}

    /** One measurement; {@code afterFirstStep}: samples/s of the epoch without its first step (graph optimization, allocations). */
    record Result(String system, String source, int samples, double setupSeconds, double firstStepMs, double epochSeconds,
                  double samplesPerSecond, double afterFirstStep, double meanLoss, double peakRssMb) {}

    private static final String PREFIX = "W4RESULT ";
    private static final Gson GSON = new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create();

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("dlx.repo", ".")).toAbsolutePath().normalize();
        if (args.length > 0 && args[0].equals("profile")) {
            // TensorFlow's step statistics, per op type, of the hand-written program's step and dlx's
            CharData data = CharData.load(repo, 0);
            int warm = 5, traced = args.length > 1 ? Integer.parseInt(args[1]) : 20;
            System.out.printf(Locale.ROOT, "W4 step profile (%s), load average %s%n%n", data.source(), load());
            try (HandLstm net = new HandLstm(Runtime.getRuntime().availableProcessors(), 2)) {
                System.out.println(net.profile(data, warm, traced));
            }
            System.out.println(DlxLstm.profile(data, warm, traced));
            System.out.printf(Locale.ROOT, "load average %s%n", load());
            return;
        }
        if (args.length > 0 && args[0].equals("steps")) {
            CharData data = CharData.load(repo, 0);
            System.out.printf(Locale.ROOT, "W4 steps alternated in one JVM (%s), load average %s%n", data.source(), load());
            DlxLstm.alternate(data, args.length > 1 ? Integer.parseInt(args[1]) : 5, args.length > 2 ? Integer.parseInt(args[2]) : 20);
            return;
        }
        if (args.length > 0 && args[0].equals("child")) {
            child(repo, args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]));
            return;
        }
        int rounds = 2, samples = 0;
        List<String> systems = List.of("tf", "dlx", "djl");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds": rounds = Integer.parseInt(args[++i]); break;
                case "--systems": systems = List.of(args[++i].split(",")); break;
                case "--samples": samples = Integer.parseInt(args[++i]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i] + " (--rounds N, --systems tf,dlx,djl,djl2, --samples N)");
            }
        }
        System.out.printf(Locale.ROOT, "W4 character LSTM, %d cores, Java %s; load average %s%n", Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"), load());
        Map<String, List<Result>> results = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            List<String> order = new ArrayList<>(systems);
            if (r % 2 == 1) Collections.reverse(order);
            for (String s : order) {
                String before = load();
                Result m = measure(repo, s, samples, r + 1);
                System.out.printf(Locale.ROOT, "  round %d %-5s %7.0f samples/s (%.0f after the first step; %d windows, %s), first step %.0f ms, setup %.1f s, loss %.4f, RSS %.0f MB; load %s -> %s%n",
                    r + 1, s, m.samplesPerSecond(), m.afterFirstStep(), m.samples(), m.source(), m.firstStepMs(), m.setupSeconds(), m.meanLoss(),
                    m.peakRssMb(), before, load());
                results.computeIfAbsent(s, k -> new ArrayList<>()).add(m);
            }
        }
        double peer = 0, peerAfter = 0;
        for (String s : List.of("tf", "tf1", "djl", "djl2")) {
            if (!results.containsKey(s)) continue;
            peer = Math.max(peer, median(results.get(s), Result::samplesPerSecond));
            peerAfter = Math.max(peerAfter, median(results.get(s), Result::afterFirstStep));
        }
        System.out.println();
        System.out.println("| system | epoch samples/s (median) | vs the fastest peer | per round | after the first step | vs the fastest peer | first step ms | setup s | epoch mean loss |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, List<Result>> e : results.entrySet()) {
            List<Result> ms = e.getValue();
            StringBuilder per = new StringBuilder();
            for (Result m : ms) per.append(per.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", m.samplesPerSecond()));
            double med = median(ms, Result::samplesPerSecond), after = median(ms, Result::afterFirstStep);
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %s | %s | %,.0f | %s | %.0f | %.1f | %.4f |%n", e.getKey(), med,
                peer > 0 ? String.format(Locale.ROOT, "%.2fx", med / peer) : "-", per, after,
                peerAfter > 0 ? String.format(Locale.ROOT, "%.2fx", after / peerAfter) : "-", median(ms, Result::firstStepMs),
                median(ms, Result::setupSeconds), median(ms, Result::meanLoss));
        }
    }

    private static double median(List<Result> ms, java.util.function.ToDoubleFunction<Result> f) {
        double[] v = ms.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The 1, 5 and 15 minute load averages. */
    public static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    private static Result measure(Path repo, String system, int samples, long seed) throws IOException, InterruptedException {
        List<String> cmd = Bench.javaCommand(repo, List.of(Bench.trainJvmOptions(repo).split("\\s+")), "dev.dlx.bench.W4", "child", system,
            String.valueOf(samples), String.valueOf(seed));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true);
        Bench.tensorflowSettings(repo).forEach(pb.environment()::putIfAbsent);
        if (system.startsWith("djl")) pb.environment().put("OMP_NUM_THREADS", system.equals("djl2") ? "2" : "1");
        Process p = pb.start();
        Result m = null;
        StringBuilder all = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(PREFIX)) m = GSON.fromJson(line.substring(PREFIX.length()), Result.class);
                else all.append(line).append('\n');
            }
        }
        int code = p.waitFor();
        if (code != 0 || m == null) throw new IllegalStateException("W4 " + system + " failed (exit " + code + "):\n" + all);
        return m;
    }

    private static void child(Path repo, String system, int samples, long seed) throws Exception {
        CharData data = CharData.load(repo, samples);
        double[] r;
        switch (system) {
            case "tf": case "tf1": {
                long t0 = System.nanoTime();
                boolean one = system.equals("tf1");
                try (HandLstm net = one ? new HandLstm(1, -1) : new HandLstm(Runtime.getRuntime().availableProcessors(), 2)) {
                    double setup = (System.nanoTime() - t0) / 1e9;
                    double[] first = new double[1];
                    long s0 = System.nanoTime();
                    float[] losses = net.epoch(data, seed, first);
                    double seconds = (System.nanoTime() - s0) / 1e9, sum = 0;
                    for (float l : losses) sum += l;
                    r = new double[] {setup, first[0], seconds, sum / losses.length};
                }
                break;
            }
            case "dlx": r = DlxLstm.run(data, seed, null); break;
            case "dlx1": r = DlxLstm.run(data, seed, dev.dlx.runtime.train.TrainGraph.Threads.of(1)); break;
            case "djl": case "djl2": r = DjlLstm.run(data, seed); break;
            default: throw new IllegalArgumentException("unknown system " + system + " (tf, tf1, dlx, dlx1, djl, djl2)");
        }
        int rest = data.count() - Math.min(CharData.BATCH, data.count());
        Result m = new Result(system, data.source(), data.count(), r[0], r[1] * 1e3, r[2], data.count() / r[2], rest / (r[2] - r[1]), r[3],
            Measurement.processPeakRssMb());
        System.out.println(PREFIX + GSON.toJson(m));
    }
}
