package dev.dlx.aot;

import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.Samples;
import dev.dlx.runtime.run.ConsoleListener;
import dev.dlx.runtime.run.RunOptions;
import dev.dlx.runtime.run.Runner;
import dev.dlx.runtime.run.SavedRun;
import dev.dlx.runtime.train.TrainGraph;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * One small model trained for one epoch on the digits data (conv, batch norm, pooling, dropout,
 * dense; featurewise normalization; `features reshape [8, 8, 1] scale 1/16`), shared by the tests of
 * this module: its run folder, some raw rows of the data, and the runtime's own predictions.
 */
public final class TrainedDigits {
    public static final Path REPO = Path.of(System.getProperty("dlx.repo", "..")).toAbsolutePath().normalize();
    public static final Path DATA = REPO.resolve("samples/data/digits.csv.gz");
    private static final java.util.Map<String, Path> FOLDERS = new java.util.HashMap<>();

    private TrainedDigits() {}

    public static String program(String normalize) {
        return """
            dataset digits {
                source csv "%s" { features 0..63, label 64 }
                features reshape [8, 8, 1] scale 1/16
                labels classes 10 onehot names "zero" "one" "two" "three" "four" "five" "six" "seven" "eight" "nine"
                split train 70%%, val 15%%, test 15%% shuffle seed 42
                normalize %s
                batch 64
            }
            model TinyNet(image [8, 8, 1]) -> [10] {
                conv 8 3 padding same bias false -> batchnorm -> relu
                maxpool 2
                flatten
                dense 16 -> relu
                dropout 0.2
                dense 10 -> softmax
            }
            train TinyNet on digits {
                loss categorical_crossentropy
                optimizer adam lr 1e-2
                epochs 1
            }
            """.formatted(DATA, normalize);
    }

    /** The run folder (trained on first use), with featurewise normalization. */
    public static Path run() throws Exception { return run("featurewise"); }

    /** The run folder with `normalize featurewise` or `normalize samplewise` (trained on first use). */
    public static synchronized Path run(String normalize) throws Exception {
        Path folder = FOLDERS.get(normalize);
        if (folder != null) return folder;
        Path dir = Files.createTempDirectory("dlx-aot-test");
        dir.toFile().deleteOnExit();
        Path file = dir.resolve("tiny_digits.dlx");
        Files.writeString(file, program(normalize));
        StringWriter out = new StringWriter(), err = new StringWriter();
        Runner runner = new Runner(new PrintWriter(out, true), new PrintWriter(err, true), null, null);
        int code = runner.run(file, RunOptions.defaults().withRuns(dir.resolve("runs")).withSeed(1L).withProgress(ConsoleListener.Mode.PLAIN));
        if (code != 0) throw new AssertionError("training failed (" + code + "):\n" + out + err);
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            folder = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        FOLDERS.put(normalize, folder);
        return folder;
    }

    /** The first {@code n} rows of the data file: 64 pixel values 0..16 each (the label dropped). */
    public static float[][] rawRows(int n) throws Exception {
        List<float[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(DATA))))) {
            String line;
            while (rows.size() < n && (line = r.readLine()) != null) {
                String[] f = line.split(",");
                float[] x = new float[64];
                for (int i = 0; i < 64; i++) x[i] = Float.parseFloat(f[i]);
                rows.add(x);
            }
        }
        return rows.toArray(new float[0][]);
    }

    /** Rows after the dataset's feature steps, as the model class takes them: [n][8][8][1] scaled by 1/16. */
    public static float[][][][] samples(float[][] rows) {
        float[][][][] out = new float[rows.length][8][8][1];
        for (int i = 0; i < rows.length; i++) {
            for (int p = 0; p < 64; p++) out[i][p / 8][p % 8][0] = rows[i][p] * (float) (1.0 / 16) + 0f;
        }
        return out;
    }

    /** The runtime's own predictions (what `dlxc predict` computes): the training graph with the run's weights, host normalization. */
    public static float[][] runtimePredictions(SavedRun run, float[][][][] samples) {
        int n = samples.length;
        float[] x = new float[n * 64];
        for (int i = 0; i < n; i++) for (int p = 0; p < 64; p++) x[i * 64 + p] = samples[i][p / 8][p % 8][0];
        Samples s = new Samples(x, n, new int[] {8, 8, 1}, null, null, 0);
        try (TrainGraph g = run.graph(1); BatchFeeder feed = new BatchFeeder(s.all(), null, run.normalizer(), null, n)) {
            g.evaluate(feed.batch(null, 0, n, null));
            float[] p = g.predictions();
            float[][] out = new float[n][];
            for (int i = 0; i < n; i++) out[i] = Arrays.copyOfRange(p, i * 10, (i + 1) * 10);
            return out;
        }
    }
}
