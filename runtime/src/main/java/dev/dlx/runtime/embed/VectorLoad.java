package dev.dlx.runtime.embed;

import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.layers.Embedding;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.train.TrainGraph;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * `embedding V D load "vectors.txt"`: the layer starts from word vectors in the word2vec text
 * format. Row k takes the vector of word k of the dataset's vocabulary (a `source text` dataset's);
 * without a vocabulary (ids from a csv) row k takes the file's k-th vector. A vocabulary word the
 * file lacks is an error naming the first few, unless `unknown init` keeps its initial vector
 * (`<pad>`, `<unk>` and unused rows keep theirs unless the file has them). `freeze` keeps the
 * loaded vectors fixed; otherwise they train on.
 */
public final class VectorLoad {
    private VectorLoad() {}

    /** Loads every `load` of {@code model}'s embeddings into {@code g}; returns one line per layer loaded (empty when none loads). */
    public static List<String> apply(TrainGraph g, ModelIR model, LoadedData data) throws IOException {
        List<String> report = new ArrayList<>();
        List<String> vocabulary = data.words() != null ? data.words().vocabulary()
            : data.ir().source() instanceof dev.dlx.compiler.data.TextSource ? data.classNames() : null;
        Map<String, float[]> current = null;
        Map<String, float[]> write = new HashMap<>();
        for (Node n : model.weightHolders()) {
            if (!(n.settings() instanceof Embedding.Settings emb) || emb.load() == null) continue;
            String written = emb.load();
            Path file = Embedding.vectorsFile(written, n.span());
            WordVectors v;
            try {
                v = WordVectors.readText(file);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IOException("`load`: word vectors `" + written + "` not found (`dlxc embed RUN --export " + written + "` writes them)");
            }
            int vocab = emb.vocab(), dim = emb.dim();
            String layer = n.weightOwner();
            if (v.dim() != dim) {
                throw new IOException("`load`: the vectors in `" + written + "` have " + v.dim() + " dimensions, but layer `" + layer + "` has dim " + dim);
            }
            if (current == null) current = g.readWeights();
            String weight = layer + "/embeddings";
            float[] table = current.get(weight).clone();
            int loaded = 0;
            List<String> missing = new ArrayList<>();
            if (vocabulary == null) {
                if (v.size() > vocab) {
                    throw new IOException("`load`: `" + written + "` holds " + v.size() + " words, but layer `" + layer + "` has room for " + vocab
                        + " ids (without a text vocabulary, id k is the file's k-th word)");
                }
                for (int k = 0; k < v.size(); k++) System.arraycopy(v.vector(k), 0, table, k * dim, dim);
                loaded = v.size();
            } else {
                Map<String, Integer> rows = new HashMap<>();
                for (int k = 0; k < v.size(); k++) rows.put(v.words().get(k), k);
                for (int id = 0; id < Math.min(vocab, vocabulary.size()); id++) {
                    String w = vocabulary.get(id);
                    Integer r = rows.get(w);
                    if (r != null) {
                        System.arraycopy(v.vector(r), 0, table, id * dim, dim);
                        loaded++;
                    } else if (!(w.equals("<pad>") || w.equals("<unk>") || w.startsWith("<unused-"))) {
                        missing.add(w);
                    }
                }
                if (!missing.isEmpty() && !emb.unknownInit()) {
                    throw new IOException("`load`: " + missing.size() + " word" + (missing.size() == 1 ? "" : "s") + " of the vocabulary "
                        + (missing.size() == 1 ? "is" : "are") + " not in `" + written + "`: `" + String.join("`, `", missing.subList(0, Math.min(8,
                        missing.size()))) + "`" + (missing.size() > 8 ? ", ..." : "") + " (add `unknown init` to layer `" + layer
                        + "` to start them from their initial vectors)");
                }
            }
            write.put(weight, table);
            report.add("loaded the vectors of " + loaded + " words from " + written + " into `" + layer + "`"
                + (missing.isEmpty() ? "" : " (" + missing.size() + " kept their initial vectors)"));
        }
        if (!write.isEmpty()) g.writeWeights(write);
        return report;
    }
}
