package dev.dlx.runtime.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.dlx.compiler.data.AugmentBlock;
import dev.dlx.compiler.data.Augmentation;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.data.Normalize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a dataset's pipeline yields, as `dlxc data` shows it: the sample count per split and per
 * class, the sample shape after the `features` steps, feature statistics of the training split
 * (per channel for images, per feature for short vectors) before and after normalization, the
 * label encoding, batches per epoch, the K-fold partition sizes and the augmentations.
 */
public final class DataReport {
    /** Vectors up to this many features get a statistics line per feature; longer ones one line over all values. */
    static final int FEATURE_LINES = 16;

    /** min, max, mean and standard deviation of one group of values (a channel, a feature, or all). */
    public record Stats(String group, double min, double max, double mean, double std) {}

    /** One split: its size and its samples per class (empty without classes). */
    public record Part(String name, int size, int[] perClass) {}

    private final DatasetIR ir;
    private final LoadedData data;
    private final long seed;
    private final Splitter.Splits splits;
    private final List<Part> parts = new ArrayList<>();
    private final List<Stats> raw;
    private final List<Stats> normalized;
    private final Normalizer normalizer;
    private final List<Splitter.Fold> folds;

    private DataReport(DatasetIR ir, LoadedData data, long seed) {
        this.ir = ir;
        this.data = data;
        this.seed = seed;
        this.splits = Splitter.split(data, seed);
        int classes = classes();
        add("train", splits.train(), classes);
        if (!splits.val().isEmpty() || (ir.split() != null && ir.split().hasVal())) add("val", splits.val(), classes);
        if (!splits.test().isEmpty() || ir.hasSplit(DatasetIR.TEST)) add("test", splits.test(), classes);
        this.raw = statistics(splits.train(), null);
        this.normalizer = ir.normalize() == null || splits.train().isEmpty() ? null : Normalizer.fit(ir.normalize(), splits.train());
        this.normalized = normalizer == null ? List.of() : statistics(splits.train(), normalizer);
        boolean stratify = ir.split() != null && ir.split().stratify();
        this.folds = ir.kfold() == null ? List.of() : Splitter.folds(splits.pool(), ir.kfold(), seed, stratify);
    }

    /** Reads nothing: {@code data} is the loaded dataset, {@code seed} the seed of splits the file leaves unseeded. */
    public static DataReport of(LoadedData data, long seed) { return new DataReport(data.ir(), data, seed); }

    public Splitter.Splits splits() { return splits; }
    public List<Part> parts() { return List.copyOf(parts); }
    public List<Stats> statistics() { return raw; }
    public List<Stats> normalizedStatistics() { return normalized; }
    public List<Splitter.Fold> folds() { return folds; }

    /** Batches of one training epoch (the last may be smaller). */
    public int batchesPerEpoch() { return (splits.train().size() + ir.batchSize() - 1) / ir.batchSize(); }

    private int classes() {
        LabelSpec l = ir.labels();
        return l != null && l.isClassification() && data.samples().hasClasses() ? l.classes() : 0;
    }

    private void add(String name, SampleSet set, int classes) {
        parts.add(new Part(name, set.size(), classes == 0 ? new int[0] : set.classCounts(classes)));
    }

    private List<Stats> statistics(SampleSet set, Normalizer norm) {
        Samples s = set.base();
        int d = s.sampleSize();
        int[] shape = s.shape();
        boolean image = shape.length == 3;
        int groups = image ? shape[2] : d <= FEATURE_LINES ? d : 1;
        double[] min = new double[groups], max = new double[groups], sum = new double[groups], sq = new double[groups];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        long[] n = new long[groups];
        float[] buf = new float[d];
        for (int i : set.index()) {
            System.arraycopy(s.x(), i * d, buf, 0, d);
            if (norm != null) norm.apply(buf, 0, 1, d);
            for (int j = 0; j < d; j++) {
                int g = groups == 1 ? 0 : j % groups;
                double v = buf[j];
                min[g] = Math.min(min[g], v);
                max[g] = Math.max(max[g], v);
                sum[g] += v;
                sq[g] += v * v;
                n[g]++;
            }
        }
        List<Stats> out = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            if (n[g] == 0) continue;
            double mean = sum[g] / n[g];
            double std = Math.sqrt(Math.max(0, sq[g] / n[g] - mean * mean));
            String name = image ? (groups == 3 ? new String[] {"red", "green", "blue"}[g] : groups == 1 ? "all pixels" : "channel " + g)
                : groups == 1 ? "all " + d + " features" : featureName(g);
            out.add(new Stats(name, min[g], max[g], mean, std));
        }
        return out;
    }

    private String featureName(int g) {
        List<String> names = featureNames();
        return g < names.size() ? names.get(g) : "feature " + g;
    }

    /**
     * The name of each value of a CSV sample, when the sample is the row's feature values: the
     * header's name of the column (else `column N`), and for a one-hot column one value per
     * category (`color=red`). Empty when the values do not map one to one onto columns.
     */
    private List<String> featureNames() {
        if (!(ir.source() instanceof dev.dlx.compiler.data.CsvSource csv) || data.sampleShape().length != 1) return List.of();
        List<String> out = new ArrayList<>();
        for (int c : data.featureColumns()) {
            String name = c < csv.columnNames().size() && !csv.columnNames().get(c).isBlank() ? csv.columnNames().get(c) : "column " + c;
            List<String> words = data.categories().get(c);
            if (words == null) out.add(name);
            else for (String w : words) out.add(name + "=" + visible(w));
        }
        return out.size() == data.sampleShape()[0] ? out : List.of();
    }

    /** A class name or token as it can be read in a table: a space is `␠`, a newline `\n`, other control characters escaped. */
    static String visible(String token) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < token.length(); i++) {
            char ch = token.charAt(i);
            switch (ch) {
                case ' ' -> s.append('\u2420');
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (Character.isISOControl(ch)) s.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    else s.append(ch);
                }
            }
        }
        return s.toString();
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private String labelText() {
        LabelSpec l = ir.labels();
        if (l == null || l.encoding() == LabelSpec.Encoding.NONE) return "none (unlabelled samples)";
        return switch (l.encoding()) {
            case ONEHOT -> l.classes() + " classes, one-hot vectors " + l.shape();
            case SPARSE -> l.classes() + " classes, class indices (" + (l.shape().rank() == 1 ? "one per step, " + l.shape() + " per sample)" : "a scalar per sample)");
            case BINARY -> "2 classes, 0 or 1 " + l.shape();
            case REGRESSION -> l.targets() + " regression target" + (l.targets() == 1 ? "" : "s") + " " + l.shape();
            case BOXES -> "boxes over " + l.classes() + " classes (" + String.join(", ", l.names().subList(0, Math.min(10, l.names().size())))
                + (l.names().size() > 10 ? ", ..." : "") + "), at most " + l.targets() + " an image: rows (class, x0, y0, x1, y1) " + l.shape();
            default -> l.encoding().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String augmentationText(Augmentation a) {
        if (a.span() != null) return a.span().text().trim();
        return a.name() + " p " + num(a.p());
    }

    private List<String> files() {
        List<String> out = new ArrayList<>();
        for (Path f : ir.source().files()) out.add(DataException.display(f));
        return out;
    }

    /** The report as text, aligned for a terminal. */
    public String text() {
        StringBuilder s = new StringBuilder();
        s.append("dataset `").append(ir.name()).append("`: source ").append(ir.source().kind()).append('\n');
        for (String f : files()) s.append("  file         ").append(f).append('\n');
        int total = data.samples().count() + (data.testSamples() == null ? 0 : data.testSamples().count());
        s.append("  samples      ").append(String.format(Locale.ROOT, "%,d", total)).append(", each ")
            .append(Samples.shapeText(data.sampleShape())).append(" after the feature steps");
        if (!ir.steps().isEmpty()) s.append(" (").append(String.join(", ", ir.steps().stream().map(st -> st.name()).toList())).append(')');
        s.append('\n');
        s.append("  labels       ").append(labelText()).append('\n');
        s.append("  splits       ");
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            s.append(i == 0 ? "" : ", ").append(p.name()).append(' ').append(String.format(Locale.ROOT, "%,d", p.size()));
        }
        s.append(ir.split() == null ? " (no split: every sample trains)" : ir.split().stratify() ? " (stratified)" : "");
        s.append(ir.split() != null && ir.split().seed().isPresent() ? ", seed " + ir.split().seed().getAsInt() : ", seed " + seed)
            .append('\n');
        s.append("  batches      ").append(batchesPerEpoch()).append(" per epoch of ").append(ir.batchSize())
            .append(ir.shuffle() ? ", reshuffled every epoch" : ", in order").append('\n');
        if (classes() > 0) {
            s.append('\n');
            List<String> names = data.classNames().stream().map(DataReport::visible).toList();
            int width = 5;
            for (String n : names) width = Math.max(width, n.length());
            s.append(String.format(Locale.ROOT, "  %-" + width + "s", "class"));
            for (Part p : parts) s.append(String.format(Locale.ROOT, " %17s", p.name() + "        "));
            s.append('\n');
            for (int k = 0; k < classes(); k++) {
                s.append(String.format(Locale.ROOT, "  %-" + width + "s", k < names.size() ? names.get(k) : Integer.toString(k)));
                for (Part p : parts) {
                    long labelled = java.util.Arrays.stream(p.perClass()).asLongStream().sum();
                    double share = labelled == 0 ? 0 : 100.0 * p.perClass()[k] / labelled;
                    s.append(String.format(Locale.ROOT, " %,9d", p.perClass()[k]));
                    s.append(String.format(Locale.ROOT, " (%4.1f%%)", share));
                }
                s.append('\n');
            }
        }
        s.append('\n').append("  training-split statistics (before normalization)\n");
        appendStats(s, raw);
        if (normalizer != null) {
            s.append("  after `normalize ").append(ir.normalize().mode().name().toLowerCase(Locale.ROOT)).append("` (")
                .append(ir.normalize().mode() == Normalize.Mode.SAMPLEWISE ? "each sample by its own mean and standard deviation"
                    : "statistics of the training split only").append(")\n");
            appendStats(s, normalized);
        }
        if (!folds.isEmpty()) {
            s.append('\n').append("  k-fold       ").append(ir.kfold().k()).append(" folds")
                .append(ir.kfold().iterated() ? " x " + ir.kfold().repeats() + " rounds" : "")
                .append(" over train + val (").append(String.format(Locale.ROOT, "%,d", splits.pool().size())).append(" samples)\n");
            for (Splitter.Fold f : folds) {
                s.append(String.format(Locale.ROOT, "    %-10s train %,d, val %,d%n", foldName(f), f.train().size(), f.val().size()));
            }
        }
        if (!ir.augments().isEmpty()) {
            s.append('\n');
            for (AugmentBlock b : ir.augments()) {
                s.append("  augment ").append(b.split()).append(" (on the fly, each epoch)\n");
                for (Augmentation a : b.steps()) s.append("    ").append(augmentationText(a)).append('\n');
            }
        }
        return s.toString();
    }

    private String foldName(Splitter.Fold f) {
        return ir.kfold().iterated() ? "fold " + (f.round() + 1) + "." + (f.index() + 1) : "fold " + (f.index() + 1);
    }

    private static void appendStats(StringBuilder s, List<Stats> stats) {
        int width = 10;
        for (Stats st : stats) width = Math.max(width, st.group().length());
        s.append(String.format(Locale.ROOT, "    %-" + width + "s %10s %10s %10s %10s%n", "", "min", "max", "mean", "std"));
        for (Stats st : stats) {
            s.append(String.format(Locale.ROOT, "    %-" + width + "s %10s %10s %10s %10s%n", st.group(), num(st.min()), num(st.max()),
                num(st.mean()), num(st.std())));
        }
    }

    /** The same content for tools (`--format json`). */
    public JsonObject json() {
        JsonObject o = new JsonObject();
        o.addProperty("dataset", ir.name());
        o.addProperty("source", ir.source().kind());
        JsonArray files = new JsonArray();
        files().forEach(files::add);
        o.add("files", files);
        o.add("sample_shape", ints(data.sampleShape()));
        o.addProperty("labels", labelText());
        if (data.classNames() != null) {
            JsonArray names = new JsonArray();
            data.classNames().forEach(names::add);
            o.add("classes", names);
        }
        o.addProperty("seed", ir.split() != null && ir.split().seed().isPresent() ? ir.split().seed().getAsInt() : seed);
        JsonObject splitsJson = new JsonObject();
        for (Part p : parts) {
            JsonObject part = new JsonObject();
            part.addProperty("size", p.size());
            if (p.perClass().length > 0) part.add("per_class", ints(p.perClass()));
            splitsJson.add(p.name(), part);
        }
        o.add("splits", splitsJson);
        o.addProperty("batch_size", ir.batchSize());
        o.addProperty("batches_per_epoch", batchesPerEpoch());
        o.add("statistics", statsJson(raw));
        if (normalizer != null) {
            o.add("normalization", normalizer.toJson());
            o.add("statistics_normalized", statsJson(normalized));
        }
        if (!folds.isEmpty()) {
            JsonArray fs = new JsonArray();
            for (Splitter.Fold f : folds) {
                JsonObject fj = new JsonObject();
                fj.addProperty("round", f.round() + 1);
                fj.addProperty("fold", f.index() + 1);
                fj.addProperty("train", f.train().size());
                fj.addProperty("val", f.val().size());
                fs.add(fj);
            }
            o.add("kfold", fs);
        }
        Map<String, JsonArray> aug = new LinkedHashMap<>();
        for (AugmentBlock b : ir.augments()) {
            JsonArray steps = new JsonArray();
            for (Augmentation a : b.steps()) steps.add(augmentationText(a));
            aug.put(b.split(), steps);
        }
        if (!aug.isEmpty()) {
            JsonObject a = new JsonObject();
            aug.forEach(a::add);
            o.add("augment", a);
        }
        return o;
    }

    private static JsonArray statsJson(List<Stats> stats) {
        JsonArray out = new JsonArray();
        for (Stats st : stats) {
            JsonObject j = new JsonObject();
            j.addProperty("group", st.group());
            j.addProperty("min", st.min());
            j.addProperty("max", st.max());
            j.addProperty("mean", st.mean());
            j.addProperty("std", st.std());
            out.add(j);
        }
        return out;
    }

    private static JsonArray ints(int[] v) {
        JsonArray a = new JsonArray();
        for (int x : v) a.add(x);
        return a;
    }
}
