package dev.dlx.runtime.data;

import dev.dlx.compiler.data.CsvSource;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.IdxSource;
import dev.dlx.compiler.data.ImageFolderSource;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.data.Source;
import dev.dlx.compiler.data.TextSource;
import dev.dlx.compiler.data.ZippedSource;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.shape.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A dataset read into memory with its `features` steps applied: the samples of its source (and the
 * separate test samples when the source has test files), the class names, and what prediction
 * needs to read new data the same way (CSV feature columns, category words, and with `missing mean`
 * the training split's mean of every feature value, {@code missingFill}, null otherwise).
 * A text read into word-embedding examples also keeps its {@code words} (null otherwise).
 */
public record LoadedData(DatasetIR ir, Samples samples, Samples testSamples, List<String> classNames,
                         Map<Integer, List<String>> categories, List<Integer> featureColumns, float[] missingFill,
                         List<Part> features, List<Part> labelParts, WordData words) {

    public LoadedData(DatasetIR ir, Samples samples, Samples testSamples, List<String> classNames,
                      Map<Integer, List<String>> categories, List<Integer> featureColumns, float[] missingFill,
                      List<Part> features, List<Part> labelParts) {
        this(ir, samples, testSamples, classNames, categories, featureColumns, missingFill, features, labelParts, null);
    }

    public LoadedData {
        classNames = classNames == null ? null : List.copyOf(classNames);
        categories = Map.copyOf(categories);
        featureColumns = List.copyOf(featureColumns);
        missingFill = missingFill == null ? null : missingFill.clone();
        features = List.copyOf(features);
        labelParts = List.copyOf(labelParts);
    }

    /** A dataset of one unnamed feature and at most one unnamed label: {@code samples} holds both. */
    public LoadedData(DatasetIR ir, Samples samples, Samples testSamples, List<String> classNames,
                      Map<Integer, List<String>> categories, List<Integer> featureColumns, float[] missingFill) {
        this(ir, samples, testSamples, classNames, categories, featureColumns, missingFill, List.of(), List.of());
    }

    /**
     * The named feature or label {@code name}. A dataset that names its features and labels holds
     * each as a part (and {@code samples} holds the first feature with the first label, for
     * splitting and reports); the classic dataset's one feature and one label are its samples.
     */
    public Part part(String name) {
        for (Part p : features) if (p.name().equals(name)) return p;
        for (Part p : labelParts) if (p.name().equals(name)) return p;
        boolean drawn = ir.sampling() != null && ir.sampling().kind().features().contains(name); // each is a draw from the one feature
        if (name.equals(dev.dlx.compiler.data.FeatureIR.DEFAULT) || drawn) return new Part(name, samples, null, null);
        if (name.equals(dev.dlx.compiler.data.LabelIR.DEFAULT)) return new Part(name, samples, labels(), classNames);
        throw new IllegalArgumentException("dataset `" + ir.name() + "` has no feature or label `" + name + "`");
    }

    /** Whether the dataset names its features or labels (then each is a {@link Part}). */
    public boolean hasParts() { return !features.isEmpty(); }

    public LabelSpec labels() { return ir.labels(); }

    public int[] sampleShape() { return samples.shape(); }

    /**
     * Reads every file of the dataset with the split of a run seeded {@code seed} (which only
     * matters for `missing mean`: the means come from that run's training split); data problems
     * are reported with file and line, before any training.
     */
    public static LoadedData load(DatasetIR ds, long seed) throws DataException {
        Source source = ds.source();
        if (source == null || !ds.valid()) throw DataException.general("dataset `" + ds.name() + "` has errors", "run `dlxc check` on the file");
        for (Path f : source.files()) {
            if (!Files.exists(f)) {
                String name = f.getFileName() == null ? f.toString() : f.getFileName().toString();
                String help = name.matches("(train|t10k)-(images-idx3|labels-idx1)-ubyte(\\.gz)?") ? "`samples/data/fetch.sh mnist` downloads MNIST"
                    : name.toLowerCase().contains("fashion") ? "`samples/data/fetch.sh fashion-mnist` downloads Fashion-MNIST"
                    : "paths are relative to the folder of the `.dlx` file";
                throw DataException.in(f, null, "data file `" + DataException.display(f) + "` of dataset `" + ds.name() + "` not found", help);
            }
        }
        if (source instanceof dev.dlx.compiler.data.TaggedSource tagged) return TaggedReader.load(ds, tagged);
        if (ds.multiTensor() && ds.sampling() == null) return loadParts(ds, seed);
        LabelSpec labels = ds.labels();
        RawData raw;
        if (source instanceof CsvSource csv) raw = CsvReader.read(csv, labels);
        else if (source instanceof IdxSource idx) raw = IdxReader.read(idx, labels);
        else if (source instanceof ImageFolderSource img) raw = ImageFolderReader.read(img);
        else if (source instanceof TextSource txt) raw = TextReader.read(txt);
        else if (source instanceof dev.dlx.compiler.data.BoxSource boxes) raw = BoxReader.read(boxes);
        else throw DataException.general("`source " + source.kind() + "` cannot be read yet", null);

        float[] fill = null;
        if (source instanceof CsvSource csv && csv.missing() == CsvSource.Missing.MEAN) {
            Splitter.Splits splits = Splitter.split(new LoadedData(ds, raw.samples(), raw.testSamples(), null, Map.of(), List.of(), null), seed);
            fill = MissingValues.means(splits.train());
            MissingValues.fill(raw.samples(), fill);
            if (raw.testSamples() != null) MissingValues.fill(raw.testSamples(), fill);
        }

        Path file = source.files().get(0);
        Samples samples = FeatureProcessor.apply(ds.steps(), raw.samples(), file);
        Samples test = raw.testSamples() == null ? null : FeatureProcessor.apply(ds.steps(), raw.testSamples(), source.files().get(0));
        checkShape(ds.featureShape(), samples, ds, file);
        List<String> classNames = raw.classNames();
        if (classNames == null && labels != null && labels.isClassification()) classNames = defaultClassNames(labels);
        return new LoadedData(ds, samples, test, classNames, raw.categories(), raw.featureColumns(), fill);
    }

    /**
     * A csv source that names its features and labels: the file is read once per label (every
     * feature column with that label's columns; lines left out by `missing drop` are the same in
     * every read), and the feature values are cut into one part per named feature, each through its
     * own steps.
     */
    private static LoadedData loadParts(DatasetIR ds, long seed) throws DataException {
        if (ds.source() instanceof IdxSource idx) return loadIdxParts(ds, idx);
        if (ds.source() instanceof ZippedSource zip) return loadZipped(ds, zip);
        if (ds.source() instanceof TextSource text && text.examples() != null) return TextReader.examples(ds, text, seed);
        if (ds.source() instanceof dev.dlx.compiler.data.ParallelSource pairs) return ParallelReader.load(ds, pairs);
        if (!(ds.source() instanceof CsvSource csv)) {
            throw DataException.general("dataset `" + ds.name() + "`: named features and labels are read from csv sources", null);
        }
        Path file = csv.path();
        List<Part> labelParts = new ArrayList<>();
        RawData first = null;
        for (dev.dlx.compiler.data.LabelIR l : ds.namedLabels()) {
            RawData raw = CsvReader.read(csv, l.spec(), csv.labelGroup(l.name()).columns());
            if (first == null) first = raw;
            Samples r = raw.samples();
            if (r.count() != first.samples().count()) {
                throw DataException.in(file, null, "label `" + l.name() + "` of `" + ds.name() + "` has " + r.count() + " samples, the first has "
                    + first.samples().count(), null);
            }
            List<String> names = raw.classNames();
            if (names == null && l.spec().isClassification()) names = defaultClassNames(l.spec());
            labelParts.add(new Part(l.name(), new Samples(new float[0], r.count(), new int[] {0}, r.classes(), r.targets(), r.targetSize()),
                l.spec(), names));
        }
        if (first == null) first = CsvReader.read(csv, null);
        Samples all = first.samples();
        float[] fill = null;
        if (csv.missing() == CsvSource.Missing.MEAN) {
            Splitter.Splits splits = Splitter.split(new LoadedData(ds, all, null, null, Map.of(), List.of(), null), seed);
            fill = MissingValues.means(splits.train());
            MissingValues.fill(all, fill);
        }
        List<Part> features = new ArrayList<>();
        cutFeatures(ds, csv, first, all, features);
        Part f0 = features.get(0);
        Part l0 = labelParts.isEmpty() ? null : labelParts.get(0);
        Samples primary = l0 == null ? f0.samples()
            : new Samples(f0.samples().x(), all.count(), f0.samples().shape(), l0.samples().classes(), l0.samples().targets(),
                l0.samples().targetSize());
        return new LoadedData(ds, primary, null, l0 == null ? null : l0.classNames(), first.categories(), first.featureColumns(), fill,
            features, labelParts);
    }

    /** The feature values of {@code all} (read from {@code csv}) cut into one part per named feature, each through its own steps. */
    private static void cutFeatures(DatasetIR ds, CsvSource csv, RawData first, Samples all, List<Part> into) throws DataException {
        Path file = csv.path();
        int d = all.sampleSize(), offset = 0;
        for (dev.dlx.compiler.data.ColumnGroup g : csv.featureGroups()) {
            int width = 0;
            for (int c : g.columns()) width += first.categories().containsKey(c) ? first.categories().get(c).size() : 1;
            float[] x = new float[Math.multiplyExact(all.count(), width)];
            for (int i = 0; i < all.count(); i++) System.arraycopy(all.x(), i * d + offset, x, i * width, width);
            offset += width;
            dev.dlx.compiler.data.FeatureIR f = ds.feature(g.name()).orElseThrow();
            Samples s = FeatureProcessor.apply(f.steps(), new Samples(x, all.count(), new int[] {width}, null, null, 0), file);
            checkShape(f.shape(), s, ds, file);
            into.add(new Part(g.name(), s, null, null));
        }
    }

    /**
     * Several sources zipped by row: each file is read as a csv source of its own (once per label
     * it holds), its named features cut into their parts; line i of every file is sample i, so the
     * files must hold the same number of data lines.
     */
    private static LoadedData loadZipped(DatasetIR ds, ZippedSource zip) throws DataException {
        List<Part> features = new ArrayList<>(), labelParts = new ArrayList<>();
        CsvSource firstFile = null;
        int count = -1;
        for (CsvSource csv : zip.parts()) {
            RawData first = null;
            for (dev.dlx.compiler.data.LabelIR l : ds.namedLabels()) {
                if (!csv.namesLabels() || !csv.labelNames().contains(l.name())) continue;
                if (l.spec() == null || l.spec().encoding() == LabelSpec.Encoding.NONE) {
                    throw DataException.general("label `" + l.name() + "` of dataset `" + ds.name() + "` has no encoding",
                        "describe it: `labels " + l.name() + " classes N onehot`");
                }
                RawData raw = CsvReader.read(csv, l.spec(), csv.labelGroup(l.name()).columns());
                if (first == null) first = raw;
                Samples r = raw.samples();
                List<String> names = raw.classNames();
                if (names == null && l.spec().isClassification()) names = defaultClassNames(l.spec());
                labelParts.add(new Part(l.name(), new Samples(new float[0], r.count(), new int[] {0}, r.classes(), r.targets(), r.targetSize()),
                    l.spec(), names));
            }
            if (first == null) first = CsvReader.read(csv, null);
            int n = first.samples().count();
            if (count < 0) {
                count = n;
                firstFile = csv;
            } else if (n != count) {
                throw DataException.in(csv.path(), null, "`" + DataException.display(csv.path()) + "` has " + n + " data line" + (n == 1 ? "" : "s")
                        + ", but `" + DataException.display(firstFile.path()) + "` has " + count + ": the sources of dataset `" + ds.name()
                        + "` are zipped by row",
                    "every file needs one line per sample, in the same order");
            }
            if (csv.namesFeatures()) cutFeatures(ds, csv, first, first.samples(), features);
        }
        Part f0 = features.get(0);
        Part l0 = labelParts.isEmpty() ? null : labelParts.get(0);
        Samples primary = l0 == null ? f0.samples()
            : new Samples(f0.samples().x(), count, f0.samples().shape(), l0.samples().classes(), l0.samples().targets(),
                l0.samples().targetSize());
        return new LoadedData(ds, primary, null, l0 == null ? null : l0.classNames(), Map.of(), List.of(), null, features, labelParts);
    }

    /**
     * An IDX source with several label files: the images are the one feature, through the
     * dataset's steps; each label file is read into the part of its label (every file holds one
     * label per image).
     */
    private static LoadedData loadIdxParts(DatasetIR ds, IdxSource idx) throws DataException {
        if (idx.hasTestFiles()) {
            throw DataException.general("dataset `" + ds.name() + "`: separate test files are not read with several label files", "use `split`");
        }
        Samples images = IdxReader.readSamples(idx.images());
        List<Part> labelParts = new ArrayList<>();
        for (dev.dlx.compiler.data.LabelIR l : ds.namedLabels()) {
            LabelSpec spec = l.spec();
            if (spec == null || spec.encoding() == LabelSpec.Encoding.NONE) {
                throw DataException.general("label `" + l.name() + "` of dataset `" + ds.name() + "` has no encoding",
                    "describe it: `labels " + l.name() + " classes N onehot`");
            }
            Samples r = IdxReader.readLabels(idx.labelFile(l.name()).path(), spec, images.count(), idx.images());
            List<String> names = spec.isClassification() ? (spec.names().isEmpty() ? defaultClassNames(spec) : spec.names()) : null;
            labelParts.add(new Part(l.name(), r, spec, names));
        }
        dev.dlx.compiler.data.FeatureIR f = ds.features().get(0);
        Samples s = FeatureProcessor.apply(f.steps(), images, idx.images());
        checkShape(f.shape(), s, ds, idx.images());
        Part feature = new Part(f.name(), s, null, null);
        Part l0 = labelParts.isEmpty() ? null : labelParts.get(0);
        Samples primary = l0 == null ? s
            : new Samples(s.x(), s.count(), s.shape(), l0.samples().classes(), l0.samples().targets(), l0.samples().targetSize());
        return new LoadedData(ds, primary, null, l0 == null ? null : l0.classNames(), Map.of(), List.of(), null, List.of(feature), labelParts);
    }

    private static List<String> defaultClassNames(LabelSpec labels) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < labels.classes(); k++) names.add(Integer.toString(k));
        return names;
    }

    private static void checkShape(Shape declared, Samples samples, DatasetIR ds, Path file) throws DataException {
        if (declared == null || !declared.fullyKnown()) return;
        int[] expected = declared.dims().stream().mapToInt(d -> Math.toIntExact(d.size())).toArray();
        if (!Arrays.equals(expected, samples.shape())) {
            throw DataException.in(file, null, "the samples of `" + ds.name() + "` are " + Samples.shapeText(samples.shape())
                + " after the feature steps, but the checker expected " + declared, null);
        }
    }

    /**
     * Reads every file of the dataset, for looking at it: a split without its own `seed` is cut
     * as a run with seed 0 would cut it (which only matters for `missing mean`).
     */
    public static LoadedData load(DatasetIR ds) throws DataException {
        return load(ds, 0L);
    }

    /** The data's sample shape against the model's input: the error names both. */
    public void checkFits(ModelIR model) throws DataException { checkFits(model, java.util.Set.of()); }

    /** {@link #checkFits(ModelIR)} for the inputs not in {@code noise} (inputs the trainer fills with random values). */
    public void checkFits(ModelIR model, java.util.Set<String> noise) throws DataException {
        dev.dlx.compiler.train.Pairing pairing = dev.dlx.compiler.train.Pairing.of(model, ir, noise);
        for (dev.dlx.compiler.train.Pairing.Input p : pairing.inputs()) {
            if (p.feature() == null) {
                throw DataException.general("no feature of dataset `" + ir.name() + "` feeds input `" + p.node().name() + "` of model `"
                    + model.name() + "`", "run `dlxc check`: it names the features each input needs");
            }
            Shape input = p.node().shape();
            int[] s = part(p.feature().name()).samples().shape();
            boolean fits = input.rank() == s.length;
            for (int i = 0; fits && i < s.length; i++) fits = !input.dim(i).known() || input.dim(i).size() == s[i];
            if (!fits) {
                throw DataException.in(ir.source().files().get(0), null, "the samples of dataset `" + ir.name() + "` are "
                        + Samples.shapeText(s) + ", but model `" + model.name() + "` takes `" + p.node().name() + "` " + input,
                    s.length == 1 && input.rank() == 3 ? "reshape them: `features reshape " + input + "`" : "change the model input or the `features` steps");
            }
        }
    }
}
