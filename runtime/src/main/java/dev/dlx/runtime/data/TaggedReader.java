package dev.dlx.runtime.data;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.support.Lines;
import dev.dlx.compiler.data.TaggedRows;
import dev.dlx.compiler.data.TaggedSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads `source tagged` ({@link TaggedRows}): every row a sample of `length` token ids (0 pads,
 * 1 stands for tokens outside the vocabulary, the `vocab - 2` most frequent tokens of the file
 * take 2.. by frequency, ties alphabetical, as a text source's), labelled at every step with its
 * tag's index among the class names the checker fixed (the file's sorted tags, or `names`), and
 * {@link TaggedSource#PADDED} at the padded steps. A row longer than `length` is cut. The
 * vocabulary is kept for the run folder (vocabulary.json) and for `embedding ... load`.
 */
public final class TaggedReader {
    private TaggedReader() {}

    public static LoadedData load(DatasetIR ds, TaggedSource source) throws DataException {
        List<TaggedRows.Row> rows = new ArrayList<>();
        List<String> tagNames = ds.labels().names();
        Map<String, Integer> tagIds = CsvReader.indexOf(tagNames);
        try {
            TaggedRows.read(source, Long.MAX_VALUE, row -> {
                for (int t = 0; t < row.tags().length; t++) {
                    if (!tagIds.containsKey(row.tags()[t])) {
                        throw new TaggedRows.Bad(row.line(), 1, "line " + row.line() + " has the tag `" + row.tags()[t] + "` (step " + (t + 1)
                            + "), which is not one of the classes " + dev.dlx.compiler.schema.Suggest.list(tagNames),
                            "add it to `names` in `labels`, or correct the line");
                    }
                }
                rows.add(row);
            });
        } catch (TaggedRows.Bad bad) {
            throw DataException.at(source.file(), bad.line(), bad.column(), bad.getMessage(), bad.help());
        } catch (IOException | Lines.TooLong e) {
            throw DataException.in(source.file(), null, "`" + DataException.display(source.file()) + "` cannot be read: " + e.getMessage(), null);
        }
        if (rows.isEmpty()) throw DataException.in(source.file(), null, "`" + DataException.display(source.file()) + "` has no data lines", null);
        List<String> all = new ArrayList<>();
        for (TaggedRows.Row r : rows) all.addAll(List.of(r.tokens()));
        List<String> vocabulary = TextReader.vocabulary(all, source.vocab());
        Map<String, Integer> ids = new HashMap<>(CsvReader.indexOf(vocabulary));
        long[] counts = new long[vocabulary.size()];
        for (String t : all) counts[ids.getOrDefault(t, 1)]++;
        int length = source.length(), n = rows.size();
        float[] x = new float[Math.multiplyExact(n, length)];
        int[] classes = new int[Math.multiplyExact(n, length)];
        java.util.Arrays.fill(classes, TaggedSource.PADDED);
        for (int i = 0; i < n; i++) {
            TaggedRows.Row r = rows.get(i);
            for (int t = 0; t < Math.min(length, r.tokens().length); t++) {
                x[i * length + t] = ids.getOrDefault(r.tokens()[t], 1);
                classes[i * length + t] = tagIds.get(r.tags()[t]);
            }
        }
        Samples samples = FeatureProcessor.apply(ds.steps(), new Samples(x, n, new int[] {length}, classes, null, 0), source.file());
        return new LoadedData(ds, samples, null, tagNames, Map.of(), List.of(), null, List.of(), List.of(),
            new WordData(vocabulary, counts, null));
    }
}
