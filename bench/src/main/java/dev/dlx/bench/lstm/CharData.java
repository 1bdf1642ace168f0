package dev.dlx.bench.lstm;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.data.Splitter;
import dev.dlx.runtime.run.Programs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * W4's data, the same for every system: the windows the dataset statement of
 * {@code bench/workloads/w4_char_lstm.dlx} cuts from the text (40 character ids, each labelled with
 * the character that follows it), split as `dlxc run` splits them. Without Moby Dick's text a
 * synthetic one of the same length takes its place ({@link #synthetic}), written under
 * {@code bench/target/w4/}.
 */
public record CharData(Compilation compilation, SampleSet train, String source, int[] ids, int[] targets) {
    public static final String FILE = "bench/workloads/w4_char_lstm.dlx";
    public static final String TEXT = "samples/data/moby-dick/moby-dick.txt";
    public static final int STEPS = 40, VOCAB = 64, EMBED = 32, UNITS = 192, BATCH = 64;
    public static final float LR = 3e-3f;

    public int count() { return train.size(); }

    public TrainIR training() { return compilation.trainings().get(0); }

    public ModelIR model() { return compilation.models().get(training().model()); }

    public DatasetIR dataset() { return compilation.datasets().get(training().dataset()); }

    /** Loads the windows; {@code samples} > 0 keeps the first that many training windows. */
    public static CharData load(Path repo, int samples) throws Exception {
        Path file = repo.resolve(FILE);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String source = "Moby Dick (" + TEXT + ")";
        if (!Files.exists(repo.resolve(TEXT))) {
            Path synthetic = synthetic(repo.resolve("bench/target/w4/synthetic.txt"));
            text = text.replace("\"../../" + TEXT + "\"", "\"" + synthetic.toAbsolutePath() + "\"");
            source = "synthetic text (" + repo.relativize(synthetic.toAbsolutePath()) + ")";
        }
        Compilation c = Programs.compile(file, text, new PrintWriter(System.err, true));
        if (c == null) throw new IllegalStateException("cannot compile " + file);
        DatasetIR ds = c.datasets().get(c.trainings().get(0).dataset());
        SampleSet train = Splitter.split(LoadedData.load(ds), 1).train();
        if (samples > 0) train = train.head(samples);
        int n = train.size();
        float[] x = train.base().x();
        int[] ids = new int[n * STEPS];
        for (int i = 0; i < n; i++) {
            int at = train.index()[i] * STEPS;
            for (int t = 0; t < STEPS; t++) ids[i * STEPS + t] = (int) x[at + t];
        }
        return new CharData(c, train, source, ids, train.allClasses());
    }

    /**
     * 210,000 characters of made-up words (a Zipf-like draw over 61 letters, digits and marks,
     * separated by spaces and line breaks), the same every time: W4's shape without the book.
     */
    static Path synthetic(Path out) throws IOException {
        if (Files.exists(out)) return out;
        String alphabet = "etaoinshrdlucmfwypvbgkjqxzETAOINSHRDLUCMFWYPVBGKJQXZ0123456789,.;:!?'\"-";
        Random r = new Random(4);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 210_000) {
            int len = 1 + r.nextInt(9);
            for (int i = 0; i < len; i++) {
                double u = r.nextDouble();
                sb.append(alphabet.charAt((int) (alphabet.length() * u * u * u)));
            }
            sb.append(r.nextInt(12) == 0 ? '\n' : ' ');
        }
        Files.createDirectories(out.getParent());
        Files.writeString(out, sb, StandardCharsets.UTF_8);
        return out;
    }
}
