package dev.dlx.bench;

import dev.dlx.runtime.run.RunFolder;
import dev.dlx.runtime.train.Checkpoint;
import dev.dlx.runtime.train.StepLosses;
import dev.dlx.runtime.train.WeightDifference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * `WorkersCheck [FILE [GLOBAL_BATCH [COUNTS [EVERY]]]]` (`bench/run workers-check`): the acceptance
 * check of data-parallel training on its real workload, W1 (bench/workloads/w1_mlp.dlx) by default.
 * One process trains one epoch at the global batch (default 96), then N local workers (COUNTS,
 * default 2,3) each at GLOBAL_BATCH / N, every run with `--seed 3 --log-every EVERY` (default 25),
 * each started as `dlxc` starts it. Reads every worker's final `last` weights and the chief's
 * steps.csv, and prints: the largest difference between any worker's weights and the chief's
 * (must be 0: bit-equal), the largest difference from the one process's weights (absolute, and
 * relative to its largest weight), and the largest difference of the loss curves, row by row.
 * Exits 1 when the workers' weights differ at all, or a row of the loss curve is further from the
 * one process's than {@link #TOLERANCE} relative. The weights' distance from the one process's is
 * reported, not judged: see {@link #TOLERANCE}.
 *
 * <p>The file is copied beside itself with its dataset's `batch` changed (its data paths may be
 * relative to it), and the copy is removed at the end.
 */
public final class WorkersCheck {
    private WorkersCheck() {}

    /**
     * How far a row of the workers' loss curve may be from the one process's, relative to its loss.
     * The workers sum each gradient in another order than one process does (per-worker batch sums,
     * then the all-reduce), which alone differs by a few 1e-7 relative a step, and average the rows'
     * losses in float32. Training amplifies such differences: a sample whose relu input is near zero
     * switches the unit on in one run and off in the other, and Adam moves a weight whose gradient is
     * near zero by about the learning rate whatever the gradient's size; over an epoch of 625 steps
     * single weights end a few 1e-3 apart (measured on W1 with 2 x 48: 3.4e-3, and 1.7e-3 with SGD lr
     * 0.1 in place of Adam; with 3 x 32 within 1e-6, which sums in nearly the one process's order), so
     * the weights are reported against the one process, not judged. What the model computes stays
     * close: the first row (25 steps) agreed to every printed digit, every row within 1e-4. 1e-3 is
     * above that and far below what a wrong reduction gives (a worker's gradient not averaged, a
     * batch trained twice or missed moves the curve by percents from the first rows on).
     */
    static final double TOLERANCE = 1e-3;

    private static final Pattern BATCH = Pattern.compile("(?m)^(\\s*batch )(\\d+)");

    record Trained(String what, Map<String, float[]> weights, List<Map<String, float[]>> others, List<StepLosses.Row> steps, double seconds) {}

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(System.getProperty("dlx.repo", ".")).toAbsolutePath().normalize();
        Path file = repo.resolve(args.length > 0 ? args[0] : "bench/workloads/w1_mlp.dlx");
        int global = args.length > 1 ? Integer.parseInt(args[1]) : 96;
        String[] counts = (args.length > 2 ? args[2] : "2,3").split(",");
        int every = args.length > 3 ? Integer.parseInt(args[3]) : 25;
        String source = Files.readString(file);
        if (!BATCH.matcher(source).find()) throw new IllegalArgumentException(file + " has no dataset `batch`");
        System.out.printf(Locale.ROOT, "%s: one epoch at global batch %d, --seed 3 --log-every %d%n%s%n", repo.relativize(file), global, every,
            Machine.describe());
        Trained one = train(repo, file, source, 1, global, every);
        List<StepLosses.Row> reference = one.steps();
        System.out.printf(Locale.ROOT, "%-15s %6s %5s %11s %15s %25s %37s %9s%n", "run", "steps", "rows", "last row", "workers' weights",
            "weights vs 1 process", "loss rows vs 1 process", "seconds");
        System.out.printf(Locale.ROOT, "%-15s %6d %5d %11.6f %15s %25s %37s %9.1f%n", one.what(), steps(reference), reference.size(),
            reference.isEmpty() ? Double.NaN : reference.get(reference.size() - 1).loss(), "-", "-", "-", one.seconds());
        boolean ok = !reference.isEmpty();
        for (String c : counts) {
            int n = Integer.parseInt(c.trim());
            if (global % n != 0) throw new IllegalArgumentException("global batch " + global + " is not a multiple of " + n + " workers");
            Trained t = train(repo, file, source, n, global / n, every);
            double apart = 0;
            for (Map<String, float[]> other : t.others()) apart = Math.max(apart, WeightDifference.of(other, t.weights()).largest());
            WeightDifference d = WeightDifference.of(t.weights(), one.weights());
            double[] curve = curveDifference(t.steps(), reference);
            ok &= apart == 0 && curve[1] <= TOLERANCE;
            System.out.printf(Locale.ROOT, "%-15s %6d %5d %11.6f %15s %25s %37s %9.1f%n", t.what(), steps(t.steps()), t.steps().size(),
                t.steps().isEmpty() ? Double.NaN : t.steps().get(t.steps().size() - 1).loss(), apart == 0 ? "bit-equal" : String.format(Locale.ROOT, "%.3g", apart),
                String.format(Locale.ROOT, "%.3g (%.3g of %.3g)", d.largest(), d.relative(), d.scale()),
                Double.isNaN(curve[0]) ? "rows differ" : String.format(Locale.ROOT, "%.3g (%.3g rel.; row 1 %.2g)", curve[0], curve[1], curve[2]), t.seconds());
        }
        System.out.printf(Locale.ROOT, "load average at the end: %s%n%s: every worker's weights bit-equal to the chief's, "
            + "and every row of the loss curve within %.0e (relative) of the one process's%n", Machine.loadAverage(), ok ? "passed" : "FAILED", TOLERANCE);
        System.exit(ok ? 0 : 1);
    }

    /** The steps the rows cover. */
    static long steps(List<StepLosses.Row> rows) { return rows.isEmpty() ? 0 : rows.get(rows.size() - 1).step(); }

    /**
     * The largest absolute and relative difference of the rows' losses, and the first row's relative
     * difference (rounding that grows over the epoch starts small; a wrong reduction differs from the
     * first row on); NaN when the rows are not of the same steps.
     */
    static double[] curveDifference(List<StepLosses.Row> rows, List<StepLosses.Row> reference) {
        if (rows.size() != reference.size() || rows.isEmpty()) return new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NaN};
        double abs = 0, rel = 0;
        for (int i = 0; i < rows.size(); i++) {
            StepLosses.Row a = rows.get(i), b = reference.get(i);
            if (a.step() != b.step() || a.batches() != b.batches()) return new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NaN};
            double diff = Math.abs(a.loss() - b.loss());
            abs = Math.max(abs, diff);
            rel = Math.max(rel, diff / Math.abs(b.loss()));
        }
        double first = Math.abs(rows.get(0).loss() - reference.get(0).loss()) / Math.abs(reference.get(0).loss());
        return new double[] {abs, rel, first};
    }

    /** One epoch of {@code file} at {@code batch} a worker on {@code n} local workers (1: one process, no cluster). */
    static Trained train(Path repo, Path file, String source, int n, int batch, int every) throws Exception {
        Path copy = withBatch(file, source, batch);
        Path runs = Files.createTempDirectory("dlx-workers-check-");
        try {
            Path chief = runs.resolve("runs"), others = runs.resolve("workers");
            List<String> args = new ArrayList<>(List.of("run", copy.toString(), "--epochs", "1", "--seed", "3", "--log-every", String.valueOf(every),
                "--progress", "plain", "--runs", chief.toString()));
            if (n > 1) args.addAll(List.of("--workers", String.valueOf(n), "--worker-runs", others.toString(), "--collective-timeout", "300"));
            long t0 = System.nanoTime();
            WorkersThroughput.Output out = WorkersThroughput.dlxc(repo, args);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (out.code() != 0) throw new IllegalStateException("dlxc " + String.join(" ", args) + " ended with exit " + out.code() + ":\n" + out.text());
            Path folder = onlyFolder(chief);
            List<Map<String, float[]>> workers = new ArrayList<>();
            for (int i = 1; i < n; i++) workers.add(Checkpoint.read(onlyFolder(others.resolve("task-" + i)).resolve(RunFolder.LAST)).weights());
            String what = n == 1 ? "1 process x " + batch : n + " workers x " + batch;
            return new Trained(what, Checkpoint.read(folder.resolve(RunFolder.LAST)).weights(), workers, RunFolder.open(folder).readSteps(), seconds);
        } finally {
            Files.deleteIfExists(copy);
            WorkersThroughput.deleteAll(runs);
        }
    }

    /** A copy of {@code file} beside it (its data paths may be relative to it) with its dataset's `batch` set to {@code batch}; the caller removes it. */
    static Path withBatch(Path file, String source, int batch) throws java.io.IOException {
        Matcher m = BATCH.matcher(source);
        if (!m.find()) throw new IllegalArgumentException(file + " has no dataset `batch`");
        Path copy = Files.createTempFile(file.getParent(), ".workers-check-", ".dlx");
        Files.writeString(copy, m.replaceFirst("$1" + batch));
        return copy;
    }

    /** The one run folder under {@code runs}. */
    static Path onlyFolder(Path runs) throws Exception {
        try (Stream<Path> s = Files.list(runs)) {
            List<Path> found = s.filter(Files::isDirectory).toList();
            if (found.size() != 1) throw new IllegalStateException("not one run folder under " + runs + ": " + found);
            return found.get(0);
        }
    }
}
