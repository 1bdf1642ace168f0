package dev.dlx.bench;

import java.nio.file.Path;

/**
 * The networks trained by every system: W1 an MLP and W2 a CNN on MNIST, W3 the Fashion-MNIST
 * sample with its augmentation. Floating-point work per training sample is counted the usual way:
 * two operations per multiply-add, three passes (forward, gradient of the input, gradient of the
 * weights).
 */
public enum Workload {
    W1("MLP 784-128-10, MNIST", "bench/workloads/w1_mlp.dlx", "samples/data/mnist", 784L * 128 + 128L * 10),
    W2("CNN 32-64 same, MNIST", "bench/workloads/w2_cnn.dlx", "samples/data/mnist",
        28L * 28 * 32 * 9 + 14L * 14 * 64 * 9 * 32 + 7L * 7 * 64 * 128 + 128L * 10),
    W3("fashion_cnn.dlx + augmentation", "samples/fashion_cnn.dlx", "samples/data/fashion",
        26L * 26 * 32 * 9 + 11L * 11 * 64 * 9 * 32 + 5L * 5 * 64 * 128 + 128L * 10);

    public final String title;
    public final String file;
    public final String data;
    /** Multiply-adds of one sample's forward pass. */
    public final long forwardMacs;

    Workload(String title, String file, String data, long forwardMacs) {
        this.title = title;
        this.file = file;
        this.data = data;
        this.forwardMacs = forwardMacs;
    }

    /** Floating-point operations to train on one sample. */
    public double trainFlops() { return 6.0 * forwardMacs; }

    public Path file(Path repo) { return repo.resolve(file); }
    public Path data(Path repo) { return repo.resolve(data); }

    public static final int BATCH = 64;
    public static final float LR = 1e-3f;
}
