package dev.dlx.runtime.train;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.diag.TextRenderer;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.Samples;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Programs and data written into a temporary folder for training tests. */
public final class Fixtures {
    private Fixtures() {}

    public static Path repo() { return Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize(); }

    /** Writes {@code files} (name -> content) and `main.dlx` into {@code dir}, and compiles it; it must check clean. */
    public static Compilation compile(Path dir, String program, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) Files.writeString(dir.resolve(f.getKey()), f.getValue());
        Path main = dir.resolve("main.dlx");
        Files.writeString(main, program);
        Compilation c = new Compiler().compile(main).orElseThrow();
        if (!c.ok()) throw new AssertionError("does not check:\n" + program + "\n" + new TextRenderer(false).renderAll(c.diagnostics().sorted()));
        return c;
    }

    public static TrainIR training(Compilation c) { return c.trainings().get(0); }
    public static ModelIR model(Compilation c) { return c.models().get(training(c).model()); }
    public static DatasetIR dataset(Compilation c) { return c.datasets().get(training(c).dataset()); }

    /** The training graph of the file's first `train` block, on one thread (repeatable). */
    public static TrainGraph graph(Compilation c, long seed) {
        return TrainGraph.build(model(c), training(c), dataset(c).labels(), seed, TrainGraph.Threads.of(1));
    }

    /** A batch of regression samples given in full: {@code x} rows of {@code features}, one target each. */
    public static BatchFeeder regressionFeeder(Compilation c, float[] x, int features, float[] y) {
        int n = y.length;
        Samples s = new Samples(x, n, new int[] {features}, null, y, 1);
        return new BatchFeeder(s.all(), dataset(c).labels(), null, null, n);
    }

    /** Captured output streams. */
    public static final class Output {
        public final StringWriter out = new StringWriter();
        public final StringWriter err = new StringWriter();
        public final PrintWriter outWriter = new PrintWriter(out, true);
        public final PrintWriter errWriter = new PrintWriter(err, true);
        public final PrintStream bar = new PrintStream(java.io.OutputStream.nullOutputStream());

        @Override public String toString() { return "--- out\n" + out + "--- err\n" + err; }
    }

    /**
     * `x0,...,x5,label` rows of 6 Gaussian features and one of 3 classes, feature `label` raised by
     * {@code shift}, for classification tests.
     */
    public static String classesCsv(int rows, double shift, long seed) {
        java.util.Random r = new java.util.Random(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            int label = r.nextInt(3);
            for (int j = 0; j < 6; j++) s.append(String.format(java.util.Locale.ROOT, "%.4f,", r.nextGaussian() + (j == label ? shift : 0)));
            s.append(label).append('\n');
        }
        return s.toString();
    }

    /** `x0,x1,...,y` rows of a linear target y = sum(w_i x_i) + noise, for regression tests. */
    public static String regressionCsv(int rows, int features, long seed) {
        java.util.Random r = new java.util.Random(seed);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            double y = 0;
            for (int j = 0; j < features; j++) {
                double v = r.nextGaussian();
                y += (j + 1) * 0.5 * v;
                s.append(String.format(java.util.Locale.ROOT, "%.5f,", v));
            }
            s.append(String.format(java.util.Locale.ROOT, "%.5f%n", y + 0.1 * r.nextGaussian()));
        }
        return s.toString();
    }
}
