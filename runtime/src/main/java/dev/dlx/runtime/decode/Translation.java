package dev.dlx.runtime.decode;

import dev.dlx.compiler.data.ParallelSource;
import dev.dlx.compiler.data.TextSource;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.layers.Attention;
import dev.dlx.compiler.layers.MultiHeadAttention;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.ParallelReader;
import dev.dlx.runtime.graph.Tensors;
import dev.dlx.runtime.run.RunFolder;
import dev.dlx.runtime.run.SavedRun;
import dev.dlx.runtime.train.TrainGraph;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

/**
 * Translation with a trained encoder-decoder: a run whose dataset is `source parallel`, whose model
 * reads the source ids (input `source`) and the decoder's previous tokens (input `previous`) and
 * gives P(y<t> | x, y<1..t-1>) at every step (output [target_length, target_vocab]).
 * <p>The encoder runs once per source: the tensors the decoder side reads from the source side
 * alone (the encoder states an attention layer attends over) are computed once and fed back in at
 * every decoding step, so only the decoder is computed again. A step feeds the tokens produced so
 * far behind `<start>` and reads the distribution at the next position; the decoder side must be
 * causal (recurrent layers running forwards, attention from its steps to the encoder's), as
 * teacher forcing trained it. The special ids (`<pad>`, `<unk>`, `<start>`, unused ids) are never
 * produced: each step's distribution is renormalized over the target tokens and `<end>`, and the
 * probabilities P(y|x) its {@link NextToken#logProbability} reads (teacher forced, in one run) the same way.
 */
public final class Translation implements AutoCloseable {
    private final ParallelSource spec;
    private final List<String> sourceVocab, targetVocab;
    private final Map<String, Integer> sourceIds, targetIds;
    private final boolean[] special;
    private final TrainGraph graph;
    private final Operand<TFloat32> sourceInput, previousInput, output;
    /** The tensors the decoder side reads from the source side alone, by node id, with their shapes (no batch axis). */
    private final List<Integer> frontier = new ArrayList<>();
    private final String attention;
    private final boolean logits;

    /** The source once encoded: its ids and the frontier tensors' values. */
    public record Encoded(int[] ids, int length, List<float[]> states, List<long[]> shapes) {}

    /** Refuses runs that are not translators, with a message that says why. */
    public static Translation open(SavedRun run, int threads) throws IOException {
        if (!(run.dataset().source() instanceof ParallelSource p)) {
            throw new IllegalArgumentException("model `" + run.model().name() + "` was not trained as a translator: dataset `"
                + run.dataset().name() + "` is not `source parallel`");
        }
        ModelIR m = run.model();
        for (String input : List.of(ParallelSource.SOURCE, ParallelSource.PREVIOUS)) {
            if (m.inputs().stream().noneMatch(n -> n.name().equals(input))) {
                throw new IllegalArgumentException("model `" + m.name() + "` has no input `" + input + "`: a translator reads `source` and `previous`");
            }
        }
        if (m.outputs().size() != 1) throw new IllegalArgumentException("model `" + m.name() + "` has " + m.outputs().size() + " outputs; a translator has one");
        RunFolder f = run.folder();
        List<String> sv = vocabulary(f, "source"), tv = vocabulary(f, "target");
        return new Translation(run, p, sv, tv, threads);
    }

    private static List<String> vocabulary(RunFolder f, String side) throws IOException {
        String file = RunFolder.vocabularyFile(side);
        if (!f.has(file)) throw new IOException("`" + f.dir() + "` has no " + file + " (the " + side + " vocabulary): train again");
        return f.parseJson(file, json -> {
            List<String> out = new ArrayList<>();
            for (var e : json.getAsJsonArray()) out.add(e.getAsString());
            return out;
        });
    }

    private Translation(SavedRun run, ParallelSource spec, List<String> sourceVocab, List<String> targetVocab, int threads) {
        this.spec = spec;
        this.sourceVocab = List.copyOf(sourceVocab);
        this.targetVocab = List.copyOf(targetVocab);
        this.sourceIds = ParallelReader.ids(sourceVocab);
        this.targetIds = ParallelReader.ids(targetVocab);
        this.special = new boolean[targetVocab.size()];
        for (int i = 0; i < special.length; i++) {
            special[i] = i != ParallelSource.END && (i <= ParallelSource.END || targetVocab.get(i).startsWith("<unused-"));
        }
        this.logits = run.train().loss() != null && run.train().loss().fromLogits();
        ModelIR m = run.model();
        this.graph = run.graph(threads);
        try {
            int s = index(m, ParallelSource.SOURCE), p = index(m, ParallelSource.PREVIOUS);
            this.sourceInput = graph.model().inputs().get(s);
            this.previousInput = graph.model().inputs().get(p);
            this.output = graph.model().output();
            BitSet fromSource = reach(m, m.inputIds().get(s)), fromPrevious = reach(m, m.inputIds().get(p));
            String cross = null;
            for (Node n : m.nodes()) {
                if (!fromPrevious.get(n.id())) continue;
                for (int in : n.inputs()) {
                    if (fromSource.get(in) && !fromPrevious.get(in) && !m.node(in).isInput() && !frontier.contains(in)) frontier.add(in);
                }
                boolean attends = n.settings() instanceof Attention.Settings || n.settings() instanceof MultiHeadAttention.Settings;
                if (cross == null && attends && n.inputs().size() > 1
                        && fromPrevious.get(n.inputs().get(0)) && !fromPrevious.get(n.inputs().get(1))) {
                    cross = n.name();
                }
            }
            this.attention = cross;
            long width = m.outputs().get(0).shape().last().size();
            if (width != targetVocab.size()) {
                throw new IllegalArgumentException("model `" + m.name() + "` gives " + width + " values per step, but the target vocabulary has "
                    + targetVocab.size() + " tokens");
            }
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    private static int index(ModelIR m, String name) {
        for (int i = 0; i < m.inputs().size(); i++) if (m.inputs().get(i).name().equals(name)) return i;
        throw new IllegalArgumentException("no input `" + name + "`");
    }

    /** The nodes that depend on node {@code from}. */
    private static BitSet reach(ModelIR m, int from) {
        BitSet out = new BitSet();
        out.set(from);
        for (Node n : m.nodes()) for (int in : n.inputs()) if (out.get(in)) out.set(n.id());
        return out;
    }

    public int targetLength() { return spec.targetLength(); }
    public boolean characters() { return spec.tokens() == TextSource.Tokens.CHAR; }
    /** The layer whose attention weights {@link #attention} reads, or null when the model has no cross attention. */
    public String attentionLayer() { return attention; }
    /** The tokens of {@code text} as the source side cuts them. */
    public List<String> sourceTokens(String text) { return ParallelReader.tokens(text, spec); }

    /** Runs the encoder once over {@code source}; too long a source is an error that says so. */
    public Encoded encode(String source) throws DataException {
        List<String> tokens = sourceTokens(source);
        int[] ids = ParallelReader.encodeSource(tokens, sourceIds, spec.length(), null);
        List<float[]> states = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        if (!frontier.isEmpty()) {
            try (TFloat32 x = ids(ids, 1, spec.length()); TFloat32 prev = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(1, spec.targetLength()))) {
                Session.Runner r = graph.session().runner().feed(sourceInput, x).feed(previousInput, prev);
                for (int id : frontier) r.fetch(graph.model().tensor(id));
                try (Result res = r.run()) {
                    for (int k = 0; k < frontier.size(); k++) {
                        states.add(Tensors.floats(res.get(k)));
                        shapes.add(res.get(k).shape().asArray());
                    }
                }
            }
        }
        return new Encoded(ids, tokens.size(), states, shapes);
    }

    /** The model as decoders see it, for one encoded source: P(next token | x, the prefix). */
    public NextToken model(Encoded e) {
        return new NextToken() {
            @Override public double[] probabilities(int[] prefix) { return probabilities(new int[][] {prefix})[0]; }

            @Override public double[][] probabilities(int[][] prefixes) {
                int n = prefixes.length, lt = spec.targetLength();
                int[][] previous = new int[n][];
                for (int i = 0; i < n; i++) {
                    if (prefixes[i].length >= lt) throw new IllegalArgumentException("a prefix of " + prefixes[i].length + " tokens leaves no decoder step");
                    previous[i] = previous(prefixes[i]);
                }
                float[] p = decoderOutput(e, previous);
                int v = targetVocab.size();
                double[][] out = new double[n][];
                for (int i = 0; i < n; i++) out[i] = distribution(p, (i * lt + prefixes[i].length) * v);
                return out;
            }

            /** Teacher forcing: one run reads every step's distribution of {@code tokens}, as decoding reads each. */
            @Override public double logProbability(int[] tokens, int stop) {
                int lt = spec.targetLength();
                if (tokens.length + 1 > lt) return Double.NEGATIVE_INFINITY;   // no room for the stop token: the decoder cannot produce it
                float[] p = decoderOutput(e, new int[][] {previous(tokens)});
                int v = targetVocab.size();
                double logp = 0;
                for (int t = 0; t <= tokens.length; t++) logp += Math.log(distribution(p, t * v)[t < tokens.length ? tokens[t] : stop]);
                return logp;
            }
        };
    }

    /** The decoder's input for a prefix: `<start>`, the prefix, padding. */
    private int[] previous(int[] prefix) {
        int[] x = new int[spec.targetLength()];
        x[0] = ParallelSource.START;
        for (int t = 0; t < prefix.length && t + 1 < x.length; t++) x[t + 1] = prefix[t];
        return x;
    }

    /** The output [n, target_length, target_vocab] for decoder inputs {@code previous}, the encoder's tensors fed in. */
    private float[] decoderOutput(Encoded e, int[][] previous) {
        int n = previous.length, lt = spec.targetLength();
        List<TFloat32> fed = new ArrayList<>();
        try {
            TFloat32 x = ids(tile(e.ids, n), n, spec.length());
            fed.add(x);
            int[] flat = new int[n * lt];
            for (int i = 0; i < n; i++) System.arraycopy(previous[i], 0, flat, i * lt, lt);
            TFloat32 prev = ids(flat, n, lt);
            fed.add(prev);
            Session.Runner r = graph.session().runner().feed(sourceInput, x).feed(previousInput, prev);
            for (int k = 0; k < frontier.size(); k++) {
                long[] shape = e.shapes.get(k).clone();
                shape[0] = n;
                TFloat32 t = Tensors.of(TFloat32.class, shape, tile(e.states.get(k), n));
                fed.add(t);
                r.feed(graph.model().tensor(frontier.get(k)), t);
            }
            try (Result res = r.fetch(output).run()) {
                return Tensors.floats(res.get(0));
            }
        } finally {
            for (TFloat32 t : fed) t.close();
        }
    }

    /** The distribution at {@code from}, renormalized over the producible tokens (the target's and `<end>`). */
    private double[] distribution(float[] pred, int from) { return NextToken.renormalized(pred, from, special, logits); }

    /** Translates {@code e} with {@code decoder} (greedy or beam search), up to `target_length` tokens, ending at `<end>`. */
    public Decoded translate(Encoded e, Decoder decoder) {
        return decoder.decode(model(e), new int[0], spec.targetLength(), ParallelSource.END);
    }

    /** The target ids of {@code text} (a reference), `<unk>` for tokens outside the vocabulary. */
    public int[] targetIds(String text) {
        List<String> tokens = ParallelReader.tokens(text, spec);
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) out[i] = targetIds.getOrDefault(tokens.get(i), ParallelSource.UNKNOWN);
        return out;
    }

    /** Target ids back to tokens, without a final `<end>`. */
    public List<String> tokens(int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) if (id != ParallelSource.END) out.add(targetVocab.get(id));
        return out;
    }

    /** Target ids back to text: characters joined as they are, words with spaces. */
    public String text(int[] ids) { return String.join(characters() ? "" : " ", tokens(ids)); }

    /**
     * The cross attention's weights while the decoder reads {@code output} (teacher forced): a row
     * per output token and `<end>`, a column per source token; a layer with several heads gives
     * their mean. Null without cross attention.
     */
    public float[][] attention(Encoded e, int[] output) {
        if (attention == null) return null;
        int lt = spec.targetLength(), ls = spec.length();
        int[] tokens = output.length > 0 && output[output.length - 1] == ParallelSource.END ? java.util.Arrays.copyOf(output, output.length - 1) : output;
        org.tensorflow.Operation op = graph.model().graph().operation(attention + "/weights");
        if (op == null) return null;
        try (TFloat32 x = ids(e.ids, 1, ls); TFloat32 prev = ids(previous(tokens), 1, lt);
             Result res = graph.session().runner().feed(sourceInput, x).feed(previousInput, prev).fetch(op.output(0)).run()) {
            float[] w = Tensors.floats(res.get(0));
            long[] shape = res.get(0).shape().asArray();
            int heads = shape.length == 4 ? (int) shape[1] : 1;
            int rows = Math.min(lt, tokens.length + 1), cols = e.length;
            float[][] out = new float[rows][cols];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) out[i][j] += w[(h * lt + i) * ls + j] / heads;
            }
            return out;
        }
    }

    private static TFloat32 ids(int[] ids, int n, int length) {
        float[] v = new float[ids.length];
        for (int i = 0; i < v.length; i++) v[i] = ids[i];
        return Tensors.of(TFloat32.class, new long[] {n, length}, v);
    }

    private static int[] tile(int[] x, int n) {
        int[] out = new int[x.length * n];
        for (int i = 0; i < n; i++) System.arraycopy(x, 0, out, i * x.length, x.length);
        return out;
    }

    private static float[] tile(float[] x, int n) {
        float[] out = new float[x.length * n];
        for (int i = 0; i < n; i++) System.arraycopy(x, 0, out, i * x.length, x.length);
        return out;
    }

    @Override public void close() { graph.close(); }
}
