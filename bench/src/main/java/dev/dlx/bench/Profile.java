package dev.dlx.bench;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.run.Programs;
import dev.dlx.runtime.train.TrainGraph;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;

/**
 * `Profile WORKLOAD [STEPS] [TOP]`: where a training step's time goes, op by op, for the
 * hand-written program and for dlx in one JVM (the settings `./dlxc` trains with). Each runs some
 * untimed steps, then untraced timed steps (the step time), then traced steps (TensorFlow's full
 * trace: every op's device and duration), summed per op type and averaged per step. Op times
 * overlap when ops run at once, and tracing costs time of its own, so the shares are of the summed
 * op time, not of the step.
 */
public final class Profile {
    private Profile() {}

    public static void main(String[] args) throws Exception {
        Workload w = Workload.valueOf(args.length > 0 ? args[0] : "W2");
        if (w == Workload.W3) throw new IllegalArgumentException("the hand-written program covers W1 and W2");
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        Path repo = Path.of(System.getProperty("dlx.repo", ".")).toAbsolutePath().normalize();
        Mnist mnist = Mnist.folder(w.data(repo))[0];
        Compilation c = Programs.compile(w.file(repo), new PrintWriter(System.err, true));
        if (c == null) throw new IllegalStateException("cannot compile " + w.file(repo));
        // -Dbench.precision=bf16: dlx's products in bfloat16
        TrainIR t = c.trainings().get(0).withPrecision("bf16".equals(System.getProperty("bench.precision"))
            ? dev.dlx.compiler.train.Precision.BF16 : dev.dlx.compiler.train.Precision.DEFAULT);
        ModelIR model = c.models().get(t.model());
        DatasetIR ds = c.datasets().get(t.dataset());
        SampleSet train = Splitter.split(LoadedData.load(ds), 1).train();
        Normalizer normalizer = ds.normalize() == null ? null : Normalizer.fit(ds.normalize(), train);
        int batch = t.batchSize(), warmup = Math.max(20, steps / 2);
        System.out.printf(Locale.ROOT, "%s, batch %d: %d untimed, %d timed and %d traced steps each; %s%n%s%n", w, batch, warmup, steps, steps,
            environment(), Machine.describe());
        TrainGraph.Threads threads = threads(System.getProperty("bench.threads"), TrainGraph.Threads.auto(model, batch));
        // the hand-written session first: TensorFlow's thread pools are sized by the first session of a process
        try (HandTf hand = new HandTf(w, Runtime.getRuntime().availableProcessors() == 1 || w == Workload.W1 ? 1 : 2);
             TrainGraph g = TrainGraph.build(model, t, ds.labels(), 1, threads, true);
             BatchFeeder feed = new BatchFeeder(train, ds.labels(), normalizer, null, batch)) {
            g.stage(feed);
            int[] order = new int[train.size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            int per = mnist.count() / batch;
            int[] next = {0};
            Consumer<Consumer<RunMetadata>> handStep = sink -> hand.step(mnist, (next[0]++ % per) * batch, batch, sink);
            long[] index = {0};
            Consumer<Consumer<RunMetadata>> dlxStep = sink -> {
                g.traceSteps(sink);
                int from = (int) (index[0]++ % per) * batch;
                try {
                    g.step(feed.positions(order, from, batch), true, index[0]);
                } finally {
                    g.traceSteps(null);
                }
            };
            report("hand-written", handStep, warmup, steps, top);
            report("dlx (" + threads + ", " + t.precision().word() + ")", dlxStep, warmup, steps, top);
            System.out.println("load average at the end: " + Machine.loadAverage());
        }
    }

    /** `-Dbench.threads=INTRA,INTER` for dlx's session (INTER -1: the calling thread), else {@code auto}. */
    static TrainGraph.Threads threads(String spec, TrainGraph.Threads auto) {
        if (spec == null || spec.isBlank()) return auto;
        String[] p = spec.split(",");
        return new TrainGraph.Threads(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
    }

    /** TensorFlow's settings from the environment that change what runs. */
    static String environment() {
        List<String> out = new ArrayList<>();
        for (String k : List.of("TF_ENABLE_ONEDNN_OPTS", "TF_XLA_FLAGS", "ONEDNN_DEFAULT_FPMATH_MODE", "OMP_NUM_THREADS")) {
            String v = System.getenv(k);
            if (v != null) out.add(k + "=" + v);
        }
        return out.isEmpty() ? "TensorFlow's defaults" : String.join(" ", out);
    }

    private record OpTime(String op, double micros, int count) {}

    static void report(String system, Consumer<Consumer<RunMetadata>> step, int warmup, int steps, int top) {
        for (int i = 0; i < warmup; i++) step.accept(null);
        double[] wall = new double[steps];
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            step.accept(null);
            wall[i] = (System.nanoTime() - t0) / 1e3;
        }
        java.util.Arrays.sort(wall);
        Map<String, double[]> byOp = new HashMap<>();
        TreeSet<String> devices = new TreeSet<>();
        double[] nodes = {0};
        for (int i = 0; i < steps; i++) {
            step.accept(md -> {
                for (DeviceStepStats dev : md.getStepStats().getDevStatsList()) {
                    devices.add(dev.getDevice().replaceFirst("^/job:localhost/replica:0/task:0/", ""));
                    for (NodeExecStats n : dev.getNodeStatsList()) {
                        String op = opType(n);
                        if (op.equals("_SOURCE") || op.equals("_SINK")) continue;
                        double[] acc = byOp.computeIfAbsent(op, k -> new double[2]);
                        acc[0] += n.getAllEndRelMicros();
                        acc[1]++;
                        nodes[0]++;
                    }
                }
            });
        }
        List<OpTime> ops = new ArrayList<>();
        double total = 0;
        for (Map.Entry<String, double[]> e : byOp.entrySet()) {
            ops.add(new OpTime(e.getKey(), e.getValue()[0] / steps, (int) Math.round(e.getValue()[1] / steps)));
            total += e.getValue()[0] / steps;
        }
        ops.sort((a, b) -> Double.compare(b.micros, a.micros));
        System.out.printf(Locale.ROOT, "%n%s: step %.0f us (median untraced; %.0f-%.0f), %d nodes a step, op time summed %.0f us; devices %s%n",
            system, wall[steps / 2], wall[0], wall[steps - 1], Math.round(nodes[0] / steps), total, devices);
        System.out.println("| op | us a step | nodes | share of op time |");
        System.out.println("|---|---|---|---|");
        double shown = 0;
        for (int i = 0; i < Math.min(top, ops.size()); i++) {
            OpTime o = ops.get(i);
            shown += o.micros;
            System.out.printf(Locale.ROOT, "| %s | %.0f | %d | %.1f%% |%n", o.op, o.micros, o.count, 100 * o.micros / total);
        }
        if (ops.size() > top) {
            System.out.printf(Locale.ROOT, "| (%d other op types) | %.0f | - | %.1f%% |%n", ops.size() - top, total - shown, 100 * (total - shown) / total);
        }
    }

    /** The op type of a traced node: its timeline label reads `name = Type(inputs)`. */
    static String opType(NodeExecStats n) {
        String label = n.getTimelineLabel();
        int eq = label.indexOf(" = "), paren = label.indexOf('(', Math.max(eq, 0));
        if (eq >= 0 && paren > eq) return label.substring(eq + 3, paren).trim();
        return n.getNodeName();
    }
}
