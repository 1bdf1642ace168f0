package dev.dlx.runtime.embed;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Word vectors: a vocabulary and one vector per word (row k of an embedding table is word k's).
 * Words are compared by cosine similarity w1·w2 / (|w1| |w2|); `<pad>`, `<unk>` and unused rows
 * are never an answer. Read and written in the word2vec text format that other tools read: a
 * header line "V D", then per line a word and its D numbers, separated by spaces.
 */
public final class WordVectors {
    private final List<String> words;
    private final float[][] vectors;
    private final float[][] unit;
    private final Map<String, Integer> index = new HashMap<>();

    public WordVectors(List<String> words, float[][] vectors) {
        if (words.size() != vectors.length) throw new IllegalArgumentException(words.size() + " words for " + vectors.length + " vectors");
        this.words = List.copyOf(words);
        this.vectors = vectors;
        this.unit = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            double n = 0;
            for (float v : vectors[i]) n += v * v;
            n = Math.sqrt(Math.max(n, 1e-24));
            unit[i] = new float[vectors[i].length];
            for (int k = 0; k < unit[i].length; k++) unit[i][k] = (float) (vectors[i][k] / n);
            index.putIfAbsent(this.words.get(i), i);
        }
    }

    /** The rows of a table [words, dim] stored row after row. */
    public static WordVectors of(List<String> words, float[] table, int dim) {
        float[][] v = new float[words.size()][dim];
        for (int i = 0; i < v.length; i++) System.arraycopy(table, i * dim, v[i], 0, dim);
        return new WordVectors(words, v);
    }

    public List<String> words() { return words; }
    public int size() { return words.size(); }
    public int dim() { return vectors.length == 0 ? 0 : vectors[0].length; }
    public float[] vector(int i) { return vectors[i]; }

    /** Whether row {@code i} is a real word (not `<pad>`, `<unk>` or an unused row). */
    public boolean isWord(int i) {
        String w = words.get(i);
        return !(w.equals("<pad>") || w.equals("<unk>") || w.startsWith("<unused-"));
    }

    /** The row of {@code word}; an unknown word is an error that names the nearest spellings. */
    public int require(String word) {
        Integer i = index.get(word.toLowerCase(Locale.ROOT));
        if (i == null) i = index.get(word);
        if (i == null || !isWord(i)) {
            throw new IllegalArgumentException("`" + word + "` is not in the vocabulary of " + size() + " words" + suggestion(word));
        }
        return i;
    }

    private String suggestion(String word) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (int i = 0; i < words.size(); i++) {
            if (!isWord(i)) continue;
            int d = editDistance(word.toLowerCase(Locale.ROOT), words.get(i));
            if (d < bestDistance) {
                bestDistance = d;
                best = words.get(i);
            }
        }
        return best != null && bestDistance <= Math.max(1, word.length() / 3) ? " (did you mean `" + best + "`?)" : "";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** A word and its cosine similarity to what was asked. */
    public record Neighbour(String word, double similarity) {}

    public double cosine(int i, int j) {
        double s = 0;
        for (int k = 0; k < unit[i].length; k++) s += unit[i][k] * unit[j][k];
        return s;
    }

    /** The {@code k} words most similar to {@code word}, most similar first (itself left out). */
    public List<Neighbour> nearest(String word, int k) {
        int w = require(word);
        return nearest(unit[w], k, Set.of(w));
    }

    /**
     * a : b :: c : ?, the words nearest to b - a + c (each of the three as a unit vector, Mikolov's
     * 3CosAdd), the three left out.
     */
    public List<Neighbour> analogy(String a, String b, String c, int k) {
        int ia = require(a), ib = require(b), ic = require(c);
        float[] q = new float[dim()];
        for (int d = 0; d < q.length; d++) q[d] = unit[ib][d] - unit[ia][d] + unit[ic][d];
        return nearest(q, k, Set.of(ia, ib, ic));
    }

    private List<Neighbour> nearest(float[] q, int k, Set<Integer> leftOut) {
        double n = 0;
        for (float v : q) n += v * v;
        n = Math.sqrt(Math.max(n, 1e-24));
        List<Neighbour> all = new ArrayList<>();
        for (int i = 0; i < unit.length; i++) {
            if (leftOut.contains(i) || !isWord(i)) continue;
            double s = 0;
            for (int d = 0; d < q.length; d++) s += unit[i][d] * q[d];
            all.add(new Neighbour(words.get(i), s / n));
        }
        all.sort((x, y) -> Double.compare(y.similarity(), x.similarity()));
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }

    /** Writes the word2vec text format: "V D", then each word (unused rows left out) and its numbers. */
    public void writeText(Path file) throws IOException {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < size(); i++) if (!words.get(i).startsWith("<unused-")) rows.add(i);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(rows.size() + " " + dim() + "\n");
            StringBuilder line = new StringBuilder();
            for (int i : rows) {
                line.setLength(0);
                line.append(words.get(i));
                for (float v : vectors[i]) line.append(' ').append(v);
                w.write(line.append('\n').toString());
            }
        }
    }

    /**
     * Reads the word2vec text format; a malformed line is an error that names the file and line
     * (a header that is not "V D", a line without D numbers, a number that is not one, fewer or
     * more lines than V, a word twice).
     */
    public static WordVectors readText(Path file) throws IOException {
        String shown = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            String[] hd = header == null ? new String[0] : header.trim().split("\\s+");
            int count, dim;
            try {
                if (hd.length != 2) throw new NumberFormatException();
                count = Integer.parseInt(hd[0]);
                dim = Integer.parseInt(hd[1]);
                if (count < 0 || dim < 1) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw new IOException(shown + ":1: the word2vec text format starts with \"WORDS DIMENSIONS\", found `"
                    + (header == null ? "" : header.length() > 40 ? header.substring(0, 40) + "..." : header) + "`");
            }
            List<String> words = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            String line;
            int at = 1;
            while ((line = r.readLine()) != null) {
                at++;
                if (line.isBlank()) continue;
                String[] parts = line.trim().split(" +");
                if (parts.length != dim + 1) {
                    throw new IOException(shown + ":" + at + ": `" + parts[0] + "` has " + (parts.length - 1) + " numbers, but the header says "
                        + dim + " dimensions");
                }
                float[] v = new float[dim];
                for (int k = 0; k < dim; k++) {
                    try {
                        v[k] = Float.parseFloat(parts[k + 1]);
                    } catch (NumberFormatException e) {
                        throw new IOException(shown + ":" + at + ": `" + parts[k + 1] + "` is not a number (dimension " + (k + 1) + " of `"
                            + parts[0] + "`)");
                    }
                    if (!Float.isFinite(v[k])) throw new IOException(shown + ":" + at + ": `" + parts[0] + "` has a value that is not finite");
                }
                if (!seen.add(parts[0])) throw new IOException(shown + ":" + at + ": `" + parts[0] + "` appears twice");
                words.add(parts[0]);
                vectors.add(v);
            }
            if (words.size() != count) {
                throw new IOException(shown + ": the header says " + count + " words, but the file has " + words.size());
            }
            return new WordVectors(words, vectors.toArray(new float[0][]));
        }
    }
}
