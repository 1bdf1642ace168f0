package dev.dlx.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * MNIST-format (IDX) images and labels read straight into memory as the peers get them: pixels
 * scaled to [0, 1], labels as class indices. Kept apart from dlx's own reader so that the peers
 * do not depend on the system under test.
 */
public record Mnist(float[] x, int[] y, int count, int height, int width) {
    public int pixels() { return height * width; }

    /** One-hot rows of the labels. */
    public float[] oneHot(int classes) {
        float[] out = new float[count * classes];
        for (int i = 0; i < count; i++) out[i * classes + y[i]] = 1f;
        return out;
    }

    public static Mnist read(Path images, Path labels) throws IOException {
        try (DataInputStream in = open(images)) {
            if (in.readInt() != 0x00000803) throw new IOException(images + ": not an IDX image file");
            int n = in.readInt(), h = in.readInt(), w = in.readInt();
            byte[] raw = in.readNBytes(n * h * w);
            if (raw.length != n * h * w) throw new IOException(images + ": truncated");
            float[] x = new float[raw.length];
            for (int i = 0; i < raw.length; i++) x[i] = (raw[i] & 0xff) / 255f;
            try (DataInputStream lin = open(labels)) {
                if (lin.readInt() != 0x00000801) throw new IOException(labels + ": not an IDX label file");
                int m = lin.readInt();
                if (m != n) throw new IOException(labels + ": " + m + " labels for " + n + " images");
                byte[] lab = lin.readNBytes(m);
                int[] y = new int[m];
                for (int i = 0; i < m; i++) y[i] = lab[i] & 0xff;
                return new Mnist(x, y, n, h, w);
            }
        }
    }

    /** The training and test files of a data folder (`train-images-idx3-ubyte` or Fashion's `fashion-train-...gz`). */
    public static Mnist[] folder(Path dir) throws IOException {
        String prefix = Files.exists(dir.resolve("fashion-train-images-idx3-ubyte.gz")) ? "fashion-" : "";
        String ext = prefix.isEmpty() ? "" : ".gz";
        return new Mnist[] {
            read(dir.resolve(prefix + "train-images-idx3-ubyte" + ext), dir.resolve(prefix + "train-labels-idx1-ubyte" + ext)),
            read(dir.resolve(prefix + "t10k-images-idx3-ubyte" + ext), dir.resolve(prefix + "t10k-labels-idx1-ubyte" + ext))};
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream in = Files.newInputStream(p);
        if (p.getFileName().toString().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
        return new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
    }
}
