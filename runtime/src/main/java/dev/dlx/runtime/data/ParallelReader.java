package dev.dlx.runtime.data;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.ParallelSource;
import dev.dlx.compiler.data.TextSource;
import dev.dlx.support.CsvFields;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads `source parallel` ({@link ParallelSource}): the pairs of the training, validation and test
 * files, in that order, as the parts `source` (ids, padded), `previous` (`<start>` then the target,
 * padded) and the label `target` (the target then `<end>`, padded); the dataset's split becomes the
 * files' line counts. The vocabularies come from the training file alone: the source's as
 * {@link TextReader} makes one (`<pad>`, `<unk>`, then by frequency), the target's `<pad>`, `<unk>`,
 * `<start>`, `<end>`, then by frequency. A source or target longer than its length is an error at
 * its file and line.
 */
public final class ParallelReader {
    private ParallelReader() {}

    public static final String START = "<start>";
    public static final String END = "<end>";

    /** One pair as written and as tokens, with where it was read. */
    public record Pair(String sourceText, String targetText, List<String> source, List<String> target, Path file, long line) {}

    public static LoadedData load(DatasetIR ds, ParallelSource p) throws DataException {
        List<Pair> train = pairs(p, p.file());
        List<Pair> val = p.valFile() == null ? List.of() : pairs(p, p.valFile());
        List<Pair> test = p.testFile() == null ? List.of() : pairs(p, p.testFile());
        if (train.isEmpty()) {
            throw DataException.in(p.file(), null, "`" + DataException.display(p.file()) + "` has no pairs", "write one `source,target` line per pair after the header");
        }
        List<String> sourceVocab = sourceVocabulary(train, p.vocab());
        List<String> targetVocab = targetVocabulary(train, p.targetVocab());
        List<Pair> all = new ArrayList<>(train);
        all.addAll(val);
        all.addAll(test);
        int n = all.size(), ls = p.length(), lt = p.targetLength();
        Map<String, Integer> sIds = CsvReader.indexOf(sourceVocab), tIds = CsvReader.indexOf(targetVocab);
        float[] src = new float[Math.multiplyExact(n, ls)], prev = new float[Math.multiplyExact(n, lt)];
        int[] target = new int[Math.multiplyExact(n, lt)];
        for (int i = 0; i < n; i++) {
            Pair pair = all.get(i);
            int[] s = encodeSource(pair.source(), sIds, ls, pair);
            for (int t = 0; t < ls; t++) src[i * ls + t] = s[t];
            int[] y = encodeTarget(pair.target(), tIds, lt, pair);
            int[] x = decoderInput(y);
            for (int t = 0; t < lt; t++) {
                prev[i * lt + t] = x[t];
                target[i * lt + t] = y[t];
            }
        }
        DatasetIR counted = withSplit(ds, p.counted(train.size(), val.size(), test.size()));
        Samples sourceSamples = new Samples(src, n, new int[] {ls}, target, null, 0);
        Part sourcePart = new Part(ParallelSource.SOURCE, new Samples(src, n, new int[] {ls}, null, null, 0), null, sourceVocab);
        Part previousPart = new Part(ParallelSource.PREVIOUS, new Samples(prev, n, new int[] {lt}, null, null, 0), null, targetVocab);
        Part targetPart = new Part(ParallelSource.TARGET, new Samples(new float[0], n, new int[] {0}, target, null, 0),
            counted.label(ParallelSource.TARGET).orElseThrow().spec(), targetVocab);
        return new LoadedData(counted, sourceSamples, null, targetVocab, Map.of(), List.of(), null, List.of(sourcePart, previousPart),
            List.of(targetPart));
    }

    /** The label steps: the target's ids, `<end>`, then `<pad>` up to {@code length}. */
    public static int[] encodeTarget(List<String> tokens, Map<String, Integer> ids, int length, Pair at) throws DataException {
        if (tokens.size() + 1 > length) {
            throw DataException.at(at.file(), at.line(), "the target has " + tokens.size() + " tokens, but `target_length " + length
                + "` holds " + (length - 1) + " and `<end>`", "raise `target_length` to " + (tokens.size() + 1));
        }
        int[] y = new int[length];
        for (int t = 0; t < tokens.size(); t++) y[t] = ids.getOrDefault(tokens.get(t), ParallelSource.UNKNOWN);
        y[tokens.size()] = ParallelSource.END;
        return y;
    }

    /** The decoder's input for label steps {@code y}: `<start>`, then y shifted right by one step (teacher forcing). */
    public static int[] decoderInput(int[] y) {
        int[] x = new int[y.length];
        x[0] = ParallelSource.START;
        for (int t = 1; t < y.length; t++) x[t] = y[t - 1] == ParallelSource.END ? 0 : y[t - 1];
        return x;
    }

    /** The source's ids, padded with 0 up to {@code length}; null {@code at} (a source given on the command line) reports without a file. */
    public static int[] encodeSource(List<String> tokens, Map<String, Integer> ids, int length, Pair at) throws DataException {
        if (tokens.size() > length) {
            String msg = "the source has " + tokens.size() + " tokens, but `length " + length + "` holds " + length;
            String help = "raise `length` to " + tokens.size() + " in the source statement (and the model's input)";
            throw at == null ? DataException.general(msg, help) : DataException.at(at.file(), at.line(), msg, help);
        }
        int[] s = new int[length];
        for (int t = 0; t < tokens.size(); t++) s[t] = ids.getOrDefault(tokens.get(t), ParallelSource.UNKNOWN);
        return s;
    }

    /** The tokens of one side of a pair. */
    public static List<String> tokens(String text, ParallelSource p) {
        return TextReader.tokens(text, p.tokens() == TextSource.Tokens.CHAR, true, false);
    }

    /** The pairs of {@code file}: the header line skipped, blank lines left out. */
    public static List<Pair> pairs(ParallelSource p, Path file) throws DataException {
        List<Pair> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(DataFiles.open(file), StandardCharsets.UTF_8))) {
            String line;
            long number = 0;
            while (true) {
                try {
                    line = dev.dlx.support.Lines.read(r);
                } catch (dev.dlx.support.Lines.TooLong e) {
                    throw DataException.at(file, number + 1, "the line is longer than " + dev.dlx.support.Lines.MAX + " characters",
                        "a pair file holds one `source,target` pair a line");
                }
                if (line == null) break;
                number++;
                if (number == 1 || line.isBlank()) continue;
                List<String> cells = CsvFields.split(line, ',');
                if (cells.size() != 2) {
                    throw DataException.at(file, number, "a pair is two cells, `source,target`, found " + cells.size(),
                        "put a cell holding a comma in double quotes: `\"May 3, 1987\",1987-05-03`");
                }
                out.add(new Pair(cells.get(0), cells.get(1), tokens(cells.get(0), p), tokens(cells.get(1), p), file, number));
            }
        } catch (IOException e) {
            throw DataException.in(file, null, "`" + DataException.display(file) + "` cannot be read: " + e.getMessage(), null);
        }
        return out;
    }

    static List<String> sourceVocabulary(List<Pair> train, int size) {
        List<String> tokens = new ArrayList<>();
        for (Pair p : train) tokens.addAll(p.source());
        return TextReader.vocabulary(tokens, size);
    }

    static List<String> targetVocabulary(List<Pair> train, int size) {
        List<String> tokens = new ArrayList<>();
        for (Pair p : train) tokens.addAll(p.target());
        List<String> byFrequency = TextReader.vocabulary(tokens, size - 2);   // <pad>, <unk>, then the most frequent
        List<String> out = new ArrayList<>(List.of(TextReader.PAD, TextReader.UNK, START, END));
        for (String t : byFrequency.subList(2, byFrequency.size())) if (!t.startsWith("<unused-")) out.add(t);
        while (out.size() < size) out.add("<unused-" + out.size() + ">");
        return out;
    }

    /** Ids of a vocabulary. */
    public static Map<String, Integer> ids(List<String> vocabulary) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) out.putIfAbsent(vocabulary.get(i), i);
        return out;
    }

    private static DatasetIR withSplit(DatasetIR d, dev.dlx.compiler.data.Split split) {
        return new DatasetIR(d.name(), d.span(), d.source(), d.featureShape(), d.featureShapeSpan(), d.steps(), d.labels(), split, d.kfold(),
            d.normalize(), d.augments(), d.batchSize(), d.batchSpan(), d.shuffle(), d.features(), d.namedLabels(), d.sampling(), d.valid());
    }
}
