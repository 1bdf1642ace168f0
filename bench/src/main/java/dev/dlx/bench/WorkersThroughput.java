package dev.dlx.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `WorkersThroughput FILE EPOCHS [COUNTS]`: `dlxc run FILE --workers N` for N in COUNTS (default
 * 1,2,3), each in a process of its own as `dlxc` starts it; prints the last epoch's samples/s (all
 * workers together), what a step all-reduces by the training graph's collectives, and the bytes
 * that crossed the loopback interface during the run (/proc/net/dev `lo`, received, so each byte
 * sent between workers counts once) divided by the steps trained, next to the model's trained
 * weights' bytes. The loopback count takes in everything else that used loopback meanwhile (and
 * the start-up meeting, the metrics' reductions), so it is an upper bound.
 */
public final class WorkersThroughput {
    private WorkersThroughput() {}

    static final Pattern EPOCH = Pattern.compile("epoch +(\\d+)/(\\d+) .* ([\\d,]+) samples/s");
    static final Pattern REDUCE = Pattern.compile("all-reduce: ([\\d,]+) bytes a step in (\\d+) collectives over (\\d+) workers \\(the trained weights: ([\\d,]+) bytes\\)");
    private static final Pattern SPLIT = Pattern.compile("train ([\\d,]+)");
    private static final Pattern BATCH = Pattern.compile("^\\s*batch (\\d+)", Pattern.MULTILINE);

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("dlx.repo", ".")).toAbsolutePath().normalize();
        Path file = repo.resolve(args.length > 0 ? args[0] : "samples/digits.dlx");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        String[] counts = (args.length > 2 ? args[2] : "1,2,3").split(",");
        Matcher bm = BATCH.matcher(Files.readString(file));
        int batch = bm.find() ? Integer.parseInt(bm.group(1)) : 32;
        System.out.printf(Locale.ROOT, "%s, %d epochs, batch %d per worker, %d cores (%s)%n", repo.relativize(file), epochs, batch,
            Runtime.getRuntime().availableProcessors(), cpu());
        System.out.println("workers  samples/s (last epoch, all)  per worker  all-reduced a step (graph)  loopback bytes a step  trained weights");
        for (String c : counts) {
            int n = Integer.parseInt(c.trim());
            Path runs = Files.createTempDirectory("dlx-bench-workers-");
            long before = loopbackReceived();
            String out = dlxc(repo, List.of("run", file.toString(), "--workers", String.valueOf(n), "--epochs", String.valueOf(epochs),
                "--seed", "3", "--progress", "plain", "--runs", runs.toString())).text();
            long wire = loopbackReceived() - before;
            double rate = Double.NaN;
            Matcher m = EPOCH.matcher(out);
            while (m.find()) rate = Double.parseDouble(m.group(3).replace(",", ""));
            Matcher r = REDUCE.matcher(out);
            Matcher s = SPLIT.matcher(out);
            int train = s.find() ? Integer.parseInt(s.group(1).replace(",", "")) : 0;
            long steps = (long) epochs * (train / (batch * n));
            String graph = r.find() ? String.format(Locale.ROOT, "%s B in %s", r.group(1), r.group(2)) : "-";
            String weights = r.find(0) ? r.group(4) + " B" : "-";
            System.out.printf(Locale.ROOT, "%7d  %27.0f  %10.0f  %26s  %21s  %15s%n", n, rate, rate / n, graph,
                n > 1 && steps > 0 ? String.format(Locale.ROOT, "%,d", wire / steps) : "-", weights);
            if (Double.isNaN(rate)) System.out.println(out);
            System.out.flush();
            deleteAll(runs);
        }
    }

    /** A `dlxc` command's exit code and output (stdout and stderr together). */
    record Output(int code, String text) {}

    /** The chief's output of one `dlxc run`, started as `dlxc` starts it (cli/jvm options and TensorFlow's settings), and its exit code. */
    static Output dlxc(Path repo, List<String> args) throws IOException, InterruptedException {
        Process p = command(repo, List.of(), args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return new Output(p.waitFor(), out);
    }

    /** `dlxc ARGS` as `dlxc` starts it (cli/jvm options and TensorFlow's settings), behind {@code prefix} (e.g. `ip netns exec NS`). */
    static ProcessBuilder command(Path repo, List<String> prefix, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(Files.readString(repo.resolve("cli/jvm/train.options")).strip().split("\\s+")));
        cmd.addAll(List.of("-Ddlx.home=" + repo, "-cp", System.getProperty("java.class.path"), "dev.dlx.cli.Main"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        for (String line : Files.readAllLines(repo.resolve("cli/jvm/tensorflow.env"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) pb.environment().putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
        }
        return pb;
    }

    /** Bytes received on the loopback interface since boot. */
    static long loopbackReceived() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/net/dev"))) {
            String l = line.strip();
            if (l.startsWith("lo:")) return Long.parseLong(l.substring(3).strip().split("\\s+")[0]);
        }
        return 0;
    }

    static String cpu() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(f -> f.startsWith("flags")).findFirst().orElse("");
                return line.substring(line.indexOf(':') + 1).strip() + (flags.contains("avx512f") ? ", AVX-512" : flags.contains("avx2") ? ", AVX2 (no AVX-512)" : "");
            }
        }
        return "unknown CPU";
    }

    static void deleteAll(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
