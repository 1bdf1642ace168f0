package dev.dlx.bench;

import java.nio.file.Path;

/**
 * One measured process: `Child SYSTEM WORKLOAD [EPOCHS]` trains one system on one workload and
 * prints a {@link Measurement} line. Each measurement gets a fresh JVM so that peak memory and JIT
 * state belong to that system alone.
 */
public final class Child {
    private Child() {}

    public static void main(String[] args) throws Exception {
        String system = args[0];
        Workload w = Workload.valueOf(args[1]);
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Path repo = Path.of(System.getProperty("dlx.repo", ".")).toAbsolutePath().normalize();
        Measurement m;
        switch (system) {
            case "dlx": m = DlxSystem.run(w, repo, epochs, true); break;
            case "dlx-noaug": m = DlxSystem.run(w, repo, epochs, false); break;
            case "dlx-bf16": m = DlxSystem.run(w, repo, epochs, true, dev.dlx.compiler.train.Precision.BF16); break;
            case "tf": m = handTf(w, repo, epochs); break;
            case "djl": m = DjlPeer.run(w, repo, epochs); break;
            case "matmul": m = MatmulCeiling.measure(); break;
            default: throw new IllegalArgumentException("unknown system " + system + " (dlx, dlx-noaug, dlx-bf16, tf, djl, matmul)");
        }
        System.out.println(m.line());
    }

    static Measurement handTf(Workload w, Path repo, int epochs) throws Exception {
        if (w == Workload.W3) throw new IllegalArgumentException("the hand-written baseline covers W1 and W2");
        Mnist[] data = Mnist.folder(w.data(repo));
        long t0 = System.nanoTime();
        try (HandTf net = new HandTf(w, Runtime.getRuntime().availableProcessors() == 1 || w == Workload.W1 ? 1 : 2)) {
            double setup = (System.nanoTime() - t0) / 1e9;
            double first = 0, seconds = 0, last = 0;
            for (int e = 0; e < epochs; e++) {
                long s = System.nanoTime();
                double f = net.epoch(data[0], e + 1);
                last = (System.nanoTime() - s) / 1e9;
                if (e == 0) {
                    first = f;
                    seconds = last;
                }
            }
            double sps = data[0].count() / seconds;
            return new Measurement("tf", w.name(), setup, first * 1e3, seconds, sps, data[0].count() / last, net.accuracy(data[1]),
                Measurement.processPeakRssMb(),
                sps * w.trainFlops() / 1e9, "");
        }
    }
}
