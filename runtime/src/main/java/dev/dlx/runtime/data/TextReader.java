package dev.dlx.runtime.data;

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
        String text;
        try (InputStream in = DataFiles.open(source.file())) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw DataException.in(source.file(), null, "`" + DataException.display(source.file()) + "` cannot be read: " + e.getMessage(), null);
        }
        boolean chars = source.tokens() == TextSource.Tokens.CHAR;
        if (source.limit() > 0) text = prefix(text, chars, source.limit());
        List<String> vocabulary = vocabulary(tokens(text, chars), source.vocab());
        Map<String, Integer> ids = CsvReader.indexOf(vocabulary);
        int length = source.length();
        if (source.windows()) {
            List<String> all = tokens(text, chars);
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
            List<String> t = tokens(line, chars);
            float[] row = new float[length];
            for (int i = 0; i < Math.min(length, t.size()); i++) row[i] = ids.getOrDefault(t.get(i), 1);
            rows.add(row);
        }
        if (rows.isEmpty()) throw DataException.in(source.file(), null, "`" + DataException.display(source.file()) + "` has no lines", null);
        float[] x = new float[rows.size() * length];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, x, i * length, length);
        return RawData.of(new Samples(x, rows.size(), new int[] {length}, null, null, 0), null, null);
    }

    /** The text up to its {@code limit}-th token (the whole text when shorter). */
    static String prefix(String text, boolean chars, int limit) {
        if (chars) {
            int cps = text.codePointCount(0, text.length());
            return cps <= limit ? text : text.substring(0, text.offsetByCodePoints(0, limit));
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[\\p{L}\\p{N}']+").matcher(text.toLowerCase(Locale.ROOT));
        int seen = 0;
        while (m.find()) if (++seen == limit) return text.substring(0, m.end());
        return text;
    }

    /** The tokens of {@code text}: its characters, or its lower-cased words. */
    public static List<String> tokens(String text, boolean chars) {
        List<String> out = new ArrayList<>();
        if (chars) {
            text.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}']+")) if (!w.isEmpty()) out.add(w);
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
