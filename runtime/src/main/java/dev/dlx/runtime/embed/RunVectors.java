package dev.dlx.runtime.embed;

import dev.dlx.runtime.run.RunFolder;
import dev.dlx.runtime.run.SavedRun;
import dev.dlx.runtime.train.Checkpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The word vectors of a trained run: its saved vocabulary (`vocabulary.json` of a run on word
 * examples, `classes.json` of a language model on text windows) and an embedding table of its
 * checkpoint with one row per word. Without a choice it is the first such table with more than one
 * column (skip-gram's and CBOW's context table, GloVe's θ; one-column tables are biases); `table
 * a+b` averages tables (GloVe's final vectors (e + θ) / 2).
 */
public final class RunVectors {
    private RunVectors() {}

    public static WordVectors of(SavedRun run, String table) throws IOException {
        RunFolder f = run.folder();
        String file = f.has(RunFolder.VOCABULARY) ? RunFolder.VOCABULARY
            : f.has(RunFolder.CLASSES) && run.dataset().source() instanceof dev.dlx.compiler.data.TextSource ? RunFolder.CLASSES : null;
        if (file == null) {
            throw new IllegalArgumentException("`" + f.dir() + "` holds no vocabulary: word vectors come from a run on `source text` (`examples "
                + "skipgram`, `cbow`, `cooccurrence`, or a language model's windows)");
        }
        List<String> words = f.parseJson(file, json -> {
            List<String> out = new ArrayList<>();
            for (var e : json.getAsJsonArray()) out.add(e.getAsString());
            return out;
        });
        Checkpoint c = run.checkpoint();
        List<String> tables = new ArrayList<>();
        for (Map.Entry<String, long[]> e : c.shapes().entrySet()) {
            long[] s = e.getValue();
            if (e.getKey().endsWith("/embeddings") && c.weights().containsKey(e.getKey()) && s.length == 2 && s[0] == words.size()) {
                tables.add(e.getKey());
            }
        }
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("model `" + run.model().name() + "` has no embedding table of " + words.size()
                + " rows (one per word of the vocabulary)");
        }
        List<String> chosen = new ArrayList<>();
        if (table == null) {
            chosen.add(tables.stream().filter(t -> c.shapes().get(t)[1] > 1).findFirst().orElse(tables.get(0)));
        } else {
            for (String name : table.split("\\+")) {
                String n = name.trim();
                String key = tables.contains(n) ? n : tables.contains(n + "/embeddings") ? n + "/embeddings" : null;
                if (key == null) {
                    throw new IllegalArgumentException("no embedding table `" + n + "` of " + words.size() + " rows; the tables are "
                        + String.join(", ", tables.stream().map(t -> "`" + t.substring(0, t.length() - "/embeddings".length()) + "`").toList()));
                }
                chosen.add(key);
            }
        }
        int dim = (int) c.shapes().get(chosen.get(0))[1];
        float[] sum = new float[words.size() * dim];
        for (String t : chosen) {
            if (c.shapes().get(t)[1] != dim) {
                throw new IllegalArgumentException("tables `" + chosen.get(0) + "` and `" + t + "` differ in width: " + dim + " and "
                    + c.shapes().get(t)[1]);
            }
            float[] w = c.weights().get(t);
            for (int i = 0; i < sum.length; i++) sum[i] += w[i] / chosen.size();
        }
        return WordVectors.of(words, sum, dim);
    }
}
