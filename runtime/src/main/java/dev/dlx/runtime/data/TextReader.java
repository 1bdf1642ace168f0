package dev.dlx.runtime.data;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.TextSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads `source text` into token ids: 0 pads, 1 stands for tokens outside the vocabulary, the
 * `vocab - 2` most frequent tokens take 2.. in order of frequency (ties: alphabetical). Words are
 * lower-cased runs of letters, digits and apostrophes; characters are taken as they are. With
 * `window N` the samples are windows of N tokens every `stride` tokens, each labelled with the token
 * that follows, or with `targets all` with the token that follows each of its steps (the class
 * names are then the vocabulary, saved in the run folder as classes.json);
 * `limit N` keeps the first N tokens only; otherwise one sample per line, padded
 * with 0 or cut to `length`.
 */
public final class TextReader {
    private TextReader() {}

    public static final String PAD = "<pad>";
    public static final String UNK = "<unk>";

    public static RawData read(TextSource source) throws DataException {
        String text = text(source);
        List<String> vocabulary = vocabulary(tokens(text, source), source.vocab());
        Map<String, Integer> ids = CsvReader.indexOf(vocabulary);
        int length = source.length();
        if (source.windows()) {
            List<String> all = tokens(text, source);
            int windows = all.size() <= length ? 0 : (all.size() - length - 1) / source.stride() + 1;
            if (windows <= 0) {
                throw DataException.in(source.file(), null, "`" + DataException.display(source.file()) + "` has " + all.size()
                    + " tokens, too few for one window of " + length + " and its next token", "use a smaller `window`");
            }
            int[] idOf = new int[all.size()];
            for (int i = 0; i < idOf.length; i++) idOf[i] = ids.getOrDefault(all.get(i), 1);
            float[] x = new float[Math.multiplyExact(windows, length)];
            int steps = source.everyStep() ? length : 1;
            int[] labels = new int[Math.multiplyExact(windows, steps)];
            for (int w = 0; w < windows; w++) {
                int start = w * source.stride();
                for (int t = 0; t < length; t++) x[w * length + t] = idOf[start + t];
                // the token after each step (targets all), or after the last one
                for (int t = 0; t < steps; t++) labels[w * steps + t] = idOf[start + length - steps + 1 + t];
            }
            return RawData.of(new Samples(x, windows, new int[] {length}, labels, null, 0), null, vocabulary);
        }
        String[] lines = text.split("\r?\n");
        List<float[]> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) continue;
            List<String> t = tokens(line, source);
            float[] row = new float[length];
            for (int i = 0; i < Math.min(length, t.size()); i++) row[i] = ids.getOrDefault(t.get(i), 1);
            rows.add(row);
        }
        if (rows.isEmpty()) throw DataException.in(source.file(), null, "`" + DataException.display(source.file()) + "` has no lines", null);
        float[] x = new float[rows.size() * length];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, x, i * length, length);
        return RawData.of(new Samples(x, rows.size(), new int[] {length}, null, null, 0), null, null);
    }

    /** The text of {@code source}, or its first `limit` tokens. */
    private static String text(TextSource source) throws DataException {
        String text;
        try (InputStream in = DataFiles.open(source.file())) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw DataException.in(source.file(), null, "`" + DataException.display(source.file()) + "` cannot be read: " + e.getMessage(), null);
        }
        boolean chars = source.tokens() == TextSource.Tokens.CHAR;
        return source.limit() > 0 ? prefix(text, chars, source.punctuation(), source.lines(), source.limit()) : text;
    }

    /**
     * `examples skipgram|cbow|cooccurrence`: the text's tokens in the vocabulary (the others left
     * out), drawn into word-embedding examples, one part per feature of ids (as floats); the draws
     * are seeded by the examples' `seed`, else by {@code seed} (the run's).
     */
    public static LoadedData examples(DatasetIR ds, TextSource source, long seed) throws DataException {
        List<String> tokens = tokens(text(source), source);
        List<String> vocabulary = vocabulary(tokens, source.vocab());
        Map<String, Integer> ids = CsvReader.indexOf(vocabulary);
        int[] words = new int[tokens.size()];
        int n = 0;
        for (String t : tokens) {
            Integer id = ids.get(t);
            if (id != null && id >= 2) words[n++] = id;
        }
        words = java.util.Arrays.copyOf(words, n);
        long[] counts = new long[vocabulary.size()];
        for (String t : tokens) counts[ids.getOrDefault(t, 1)]++;
        dev.dlx.compiler.data.WordExamples spec = source.examples();
        List<String> names = spec.kind().features();
        List<Part> parts = new ArrayList<>();
        WordSampler sampler = null;
        if (spec.redrawn()) {
            sampler = WordSampler.of(spec, words, vocabulary.size(), spec.seed().isPresent() ? spec.seed().getAsInt() : seed);
            for (int k = 0; k < names.size(); k++) {
                parts.add(new Part(names.get(k), new Samples(sampler.feature(k), sampler.examples(), new int[] {sampler.width(k)}, null, null, 0),
                    null, null));
            }
        } else {
            Cooccurrence x = Cooccurrence.of(words, vocabulary.size(), spec.window());
            if (x.pairs() == 0) {
                throw DataException.in(source.file(), null, "`" + DataException.display(source.file()) + "` has no two words of the vocabulary near "
                    + "each other", "use a longer text");
            }
            float[] ti = new float[x.pairs()], cj = new float[x.pairs()], c = new float[x.pairs()];
            for (int k = 0; k < x.pairs(); k++) {
                ti[k] = x.target()[k];
                cj[k] = x.context()[k];
                c[k] = (float) x.count()[k];
            }
            float[][] values = {ti, cj, c};
            for (int k = 0; k < names.size(); k++) parts.add(new Part(names.get(k), new Samples(values[k], x.pairs(), new int[] {1}, null, null, 0), null, null));
        }
        return new LoadedData(ds, parts.get(0).samples(), null, null, Map.of(), List.of(), null, parts, List.of(),
            new WordData(vocabulary, counts, sampler));
    }

    /** The text up to its {@code limit}-th token (the whole text when shorter), words without punctuation or line ends. */
    static String prefix(String text, boolean chars, int limit) { return prefix(text, chars, false, false, limit); }

    /** The text up to its {@code limit}-th token (the whole text when shorter). */
    static String prefix(String text, boolean chars, boolean punctuation, boolean lines, int limit) {
        if (chars) {
            int cps = text.codePointCount(0, text.length());
            return cps <= limit ? text : text.substring(0, text.offsetByCodePoints(0, limit));
        }
        java.util.regex.Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        int seen = 0;
        while (m.find()) {
            if (!counts(m, punctuation, lines)) continue;
            if (++seen == limit) return text.substring(0, m.end());
        }
        return text;
    }

    /** The token that stands for a line end (`lines true`). */
    public static final String EOL = "<eol>";

    /** A word, a line end, or another visible character; group 1 is a line end. */
    private static final java.util.regex.Pattern WORD = java.util.regex.Pattern.compile("[\\p{L}\\p{N}']+|(\\r?\\n|\\r)|[^\\s\\p{L}\\p{N}']");

    private static boolean counts(java.util.regex.Matcher m, boolean punctuation, boolean lines) {
        if (m.group(1) != null) return lines;
        int c = m.group().codePointAt(0);
        return punctuation || Character.isLetterOrDigit(c) || c == '\'';
    }

    /** The tokens of {@code text} as {@code source} cuts them: its characters, or its lower-cased words (punctuation and line ends as it says). */
    public static List<String> tokens(String text, TextSource source) {
        return tokens(text, source.tokens() == TextSource.Tokens.CHAR, source.punctuation(), source.lines());
    }

    /** The tokens of {@code text}: its characters, or its lower-cased words and punctuation marks (line ends left out). */
    public static List<String> tokens(String text, boolean chars) { return tokens(text, chars, true, false); }

    /**
     * The tokens of {@code text}: its characters, or its lower-cased words (runs of letters, digits
     * and apostrophes), with {@code punctuation} every other visible character as a token of its
     * own, and with {@code lines} every line end as {@link #EOL}.
     */
    public static List<String> tokens(String text, boolean chars, boolean punctuation, boolean lines) {
        List<String> out = new ArrayList<>();
        if (chars) {
            text.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }
        java.util.regex.Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            if (!counts(m, punctuation, lines)) continue;
            out.add(m.group(1) != null ? EOL : m.group());
        }
        return out;
    }

    /** `<pad>`, `<unk>`, then the most frequent tokens: {@code size} entries at most. */
    static List<String> vocabulary(List<String> tokens, int size) {
        Map<String, Integer> counts = new HashMap<>();
        for (String t : tokens) counts.merge(t, 1, Integer::sum);
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : b.getValue() - a.getValue());
        List<String> out = new ArrayList<>(List.of(PAD, UNK));
        for (int i = 0; i < sorted.size() && out.size() < size; i++) out.add(sorted.get(i).getKey());
        while (out.size() < size) out.add("<unused-" + out.size() + ">");
        return out;
    }
}
