package dev.dlx.runtime.decode;

import dev.dlx.compiler.data.TextSource;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.Samples;
import dev.dlx.runtime.data.TextReader;
import dev.dlx.runtime.run.SavedRun;
import dev.dlx.runtime.train.TrainGraph;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Set;

/**
 * Text generation with a trained language model: a run whose dataset is `source text ... window L`
 * (inputs of L token ids, a next-token distribution over the vocabulary as output, or one per step).
 * The model sees the last L tokens of the prime and what has been generated (left-padded with
 * `<pad>` while shorter); the special ids (`<pad>`, `<unk>`, unused ids) are never generated.
 * The vocabulary is the run's saved one, so the ids mean what they meant in training.
 */
public final class Generation implements AutoCloseable {
    private final SavedRun run;
    private final TextSource text;
    private final List<String> vocabulary;
    private final Map<String, Integer> ids = new HashMap<>();
    private final boolean[] special;
    private final TrainGraph graph;
    private final boolean logits;
    private final int window;
    private final int vocab;

    /** Refuses runs that are not language models, with a message that says why. */
    public static Generation open(SavedRun run, int threads) {
        if (!(run.dataset().source() instanceof TextSource t) || !t.windows()) {
            throw new IllegalArgumentException("model `" + run.model().name() + "` was not trained as a language model: dataset `"
                + run.dataset().name() + "` is not `source text ... window N` (windows labelled with the next token)");
        }
        if (run.classNames() == null || run.classNames().size() != t.vocab()) {
            throw new IllegalArgumentException("the run folder has no saved vocabulary of " + t.vocab() + " tokens (classes.json)");
        }
        return new Generation(run, t, threads);
    }

    private Generation(SavedRun run, TextSource text, int threads) {
        this.run = run;
        this.text = text;
        this.vocabulary = run.classNames();
        this.window = text.length();
        this.vocab = vocabulary.size();
        this.special = new boolean[vocab];
        for (int i = 0; i < vocab; i++) {
            String w = vocabulary.get(i);
            ids.putIfAbsent(w, i);
            special[i] = i < 2 || w.startsWith("<unused-");
        }
        this.logits = run.train().loss() != null && run.train().loss().fromLogits();
        this.graph = run.graph(threads);
        int width = graph.outputWidth();
        if (width != vocab && width != window * vocab) {
            graph.close();
            throw new IllegalArgumentException("model `" + run.model().name() + "` outputs " + width + " values per sample; a language model over "
                + vocab + " tokens outputs " + vocab + " (the next token) or " + window + " x " + vocab + " (every step's next token)");
        }
    }

    public boolean characters() { return text.tokens() == TextSource.Tokens.CHAR; }

    public int window() { return window; }

    /** The prime as token ids; unknown tokens are an error that names them. */
    public int[] encode(String prime) {
        List<String> tokens = TextReader.tokens(prime, text);
        if (tokens.isEmpty()) throw new IllegalArgumentException("the prime is empty: give at least one " + (characters() ? "character" : "word"));
        int[] out = new int[tokens.size()];
        Set<String> unknown = new LinkedHashSet<>();
        for (int i = 0; i < out.length; i++) {
            Integer id = ids.get(tokens.get(i));
            if (id == null || special[id]) unknown.add(tokens.get(i));
            else out[i] = id;
        }
        if (!unknown.isEmpty()) {
            List<String> shown = new ArrayList<>();
            for (String u : unknown) shown.add("`" + u.replace("\n", "\\n") + "`");
            throw new IllegalArgumentException("the prime has " + (characters() ? "characters" : "words") + " outside the model's vocabulary: "
                + String.join(", ", shown.subList(0, Math.min(10, shown.size()))) + (shown.size() > 10 ? ", ..." : "")
                + " (the vocabulary holds the " + (vocab - 2) + " most frequent tokens of `" + text.file().getFileName() + "`)");
        }
        return out;
    }

    /** Token ids back to text: characters joined as they are, words with spaces. */
    public String decode(int[] tokens) {
        StringBuilder s = new StringBuilder();
        for (int t : tokens) {
            if (!characters() && s.length() > 0) s.append(' ');
            s.append(vocabulary.get(t));
        }
        return s.toString();
    }

    /** The model as decoders see it. */
    public NextToken model() {
        return new NextToken() {
            @Override public double[] probabilities(int[] prefix) { return probabilities(new int[][] {prefix})[0]; }

            @Override public double[][] probabilities(int[][] prefixes) { return next(prefixes); }
        };
    }

    private double[][] next(int[][] prefixes) {
        int n = prefixes.length;
        float[] x = new float[n * window];
        for (int i = 0; i < n; i++) {
            int[] p = prefixes[i];
            int take = Math.min(window, p.length);
            for (int t = 0; t < take; t++) x[i * window + window - take + t] = p[p.length - take + t];
        }
        Samples samples = new Samples(x, n, new int[] {window}, null, null, 0);
        double[][] out = new double[n][];
        try (BatchFeeder feed = new BatchFeeder(samples.all(), null, run.normalizer(), null, n)) {
            graph.evaluate(feed.batch(null, 0, n, null));
            float[] pred = graph.predictions();
            int width = graph.outputWidth();
            int offset = width == vocab ? 0 : (window - 1) * vocab;   // per-step outputs: the last step's
            for (int i = 0; i < n; i++) out[i] = distribution(pred, i * width + offset);
        }
        return out;
    }

    private double[] distribution(float[] pred, int from) { return NextToken.renormalized(pred, from, special, logits); }

    @Override public void close() { graph.close(); }
}
