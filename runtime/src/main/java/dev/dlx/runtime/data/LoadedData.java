package dev.dlx.runtime.data;

import dev.dlx.compiler.data.CsvSource;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.IdxSource;
import dev.dlx.compiler.data.ImageFolderSource;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.data.Source;
import dev.dlx.compiler.data.TextSource;
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
 */
public record LoadedData(DatasetIR ir, Samples samples, Samples testSamples, List<String> classNames,
                         Map<Integer, List<String>> categories, List<Integer> featureColumns, float[] missingFill) {

    public LoadedData {
        classNames = classNames == null ? null : List.copyOf(classNames);
        categories = Map.copyOf(categories);
        featureColumns = List.copyOf(featureColumns);
        missingFill = missingFill == null ? null : missingFill.clone();
    }

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
        LabelSpec labels = ds.labels();
        RawData raw;
        if (source instanceof CsvSource csv) raw = CsvReader.read(csv, labels);
        else if (source instanceof IdxSource idx) raw = IdxReader.read(idx, labels);
        else if (source instanceof ImageFolderSource img) raw = ImageFolderReader.read(img);
        else if (source instanceof TextSource txt) raw = TextReader.read(txt);
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
        Shape declared = ds.featureShape();
        if (declared != null && declared.fullyKnown()) {
            int[] expected = declared.dims().stream().mapToInt(d -> Math.toIntExact(d.size())).toArray();
            if (!Arrays.equals(expected, samples.shape())) {
                throw DataException.in(file, null, "the samples of `" + ds.name() + "` are " + Samples.shapeText(samples.shape())
                    + " after the feature steps, but the checker expected " + declared, null);
            }
        }
        List<String> classNames = raw.classNames();
        if (classNames == null && labels != null && labels.isClassification()) {
            List<String> names = new ArrayList<>();
            for (int k = 0; k < labels.classes(); k++) names.add(Integer.toString(k));
            classNames = names;
        }
        return new LoadedData(ds, samples, test, classNames, raw.categories(), raw.featureColumns(), fill);
    }

    /**
     * Reads every file of the dataset, for looking at it: a split without its own `seed` is cut
     * as a run with seed 0 would cut it (which only matters for `missing mean`).
     */
    public static LoadedData load(DatasetIR ds) throws DataException {
        return load(ds, 0L);
    }

    /** The data's sample shape against the model's input: the error names both. */
    public void checkFits(ModelIR model) throws DataException {
        if (model.inputs().size() != 1) {
            throw DataException.general("model `" + model.name() + "` has " + model.inputs().size() + " inputs; a dataset feeds one",
                "train models with one input");
        }
        Shape input = model.inputs().get(0).shape();
        int[] s = samples.shape();
        boolean fits = input.rank() == s.length;
        for (int i = 0; fits && i < s.length; i++) fits = !input.dim(i).known() || input.dim(i).size() == s[i];
        if (!fits) {
            throw DataException.in(ir.source().files().get(0), null, "the samples of dataset `" + ir.name() + "` are "
                    + Samples.shapeText(s) + ", but model `" + model.name() + "` takes `" + model.inputs().get(0).name() + "` " + input,
                s.length == 1 && input.rank() == 3 ? "reshape them: `features reshape " + input + "`" : "change the model input or the `features` steps");
        }
    }
}
