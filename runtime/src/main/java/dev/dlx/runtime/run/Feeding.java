package dev.dlx.runtime.run;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.FeatureIR;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.train.LossTerms;
import dev.dlx.compiler.train.Pairing;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.Augmenter;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.LoadedData;
import dev.dlx.runtime.data.Normalizer;
import dev.dlx.runtime.data.Part;
import dev.dlx.runtime.data.SampleSet;
import dev.dlx.runtime.data.Samples;
import dev.dlx.runtime.train.TrainGraph;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a training block's batches reach its model: for a dataset that names its features and
 * labels, by the {@link Pairing} (each input's feature, each output's label) and the {@link
 * LossTerms}; a feeder then makes the first input with the first term's labels, and its parts the
 * other inputs and the other terms' labels. Each feature is normalized with its own statistics
 * (the first input's in `normalization.json`, another's in `normalization.NAME.json`) and
 * augmented on its own. The classic dataset's one feature and label are fed as they always were.
 */
final class Feeding {
    private final DatasetIR ds;
    private final LoadedData data;
    /** The terms of a dataset with parts; null for the classic dataset. */
    private final List<LossTerms.Term> terms;
    /** The features feeding the model's inputs, in model order (the classic one alone without parts). */
    private final List<String> inputs;

    private Feeding(DatasetIR ds, LoadedData data, List<LossTerms.Term> terms, List<String> inputs) {
        this.ds = ds;
        this.data = data;
        this.terms = terms;
        this.inputs = inputs;
    }

    static Feeding of(ModelIR model, TrainIR t, LoadedData data) {
        DatasetIR ds = data.ir();
        if (!data.hasParts()) return new Feeding(ds, data, null, List.of(FeatureIR.DEFAULT));
        Pairing pairing = Pairing.of(model, ds);
        List<String> inputs = pairing.inputs().stream().map(p -> p.feature().name()).toList();
        return new Feeding(ds, data, LossTerms.of(t, pairing), inputs);
    }

    /** The labels of the first term (the dataset's labels for the classic dataset): what the first output trains on. */
    LabelSpec labels() { return terms == null ? ds.labels() : terms.get(0).label().spec(); }

    /** The feature feeding the model's first input. */
    String firstInput() { return inputs.get(0); }

    TrainGraph graph(ModelIR model, TrainIR t, long seed, TrainGraph.Threads threads, boolean stage) {
        return terms == null ? TrainGraph.build(model, t, ds.labels(), seed, threads, stage)
            : TrainGraph.build(model, t, terms, seed, threads, stage);
    }

    /** The run folder file holding feature {@code name}'s normalization statistics. */
    String normalizationFile(String name) {
        return name.equals(firstInput()) ? RunFolder.NORMALIZATION : "normalization." + name + ".json";
    }

    /**
     * Each input feature's normalization: fitted on {@code train} and written to {@code folder}, or
     * read back from it ({@code resume}). Empty without `normalize`.
     */
    Map<String, Normalizer> normalizers(SampleSet train, RunFolder folder, boolean resume) throws IOException {
        Map<String, Normalizer> out = new LinkedHashMap<>();
        if (ds.normalize() == null) return out;
        for (String name : inputs) {
            String file = normalizationFile(name);
            Normalizer n;
            if (resume && folder.has(file)) {
                n = folder.parse(file, Normalizer::fromJson);
            } else {
                n = fit(name, train);
                folder.writeJson(file, n.toJson());
            }
            out.put(name, n);
        }
        return out;
    }

    /** Each input feature's normalization fitted on {@code train}, nothing written. Empty without `normalize`. */
    Map<String, Normalizer> normalizers(SampleSet train) {
        Map<String, Normalizer> out = new LinkedHashMap<>();
        if (ds.normalize() != null) for (String name : inputs) out.put(name, fit(name, train));
        return out;
    }

    private Normalizer fit(String name, SampleSet train) {
        return Normalizer.fit(ds.normalize(), terms == null ? train : data.part(name).view(train));
    }

    /** The values per sample of the first input's feature (what staging would hold). */
    int firstSampleSize() { return terms == null ? data.samples().sampleSize() : data.part(firstInput()).samples().sampleSize(); }

    /** The shape of one sample of feature {@code name} after its steps. */
    int[] shape(String name) { return terms == null ? data.sampleShape() : data.part(name).samples().shape(); }

    /** The augmentation of a split for feature {@code name}, or null. */
    Augmenter augmenter(String splitName, String name) {
        return ds.augmentsFor(splitName).map(a -> new Augmenter(a.steps(), shape(name))).orElse(null);
    }

    /** The feeder of one split ({@code augment} names the split whose augmentations apply, or null). */
    BatchFeeder feeder(SampleSet split, Map<String, Normalizer> norms, String augment, int capacity) {
        if (terms == null) {
            return new BatchFeeder(split, ds.labels(), norms.get(FeatureIR.DEFAULT), augment == null ? null : augmenter(augment, FeatureIR.DEFAULT),
                capacity);
        }
        Part first = data.part(firstInput());
        Part label = data.part(terms.get(0).label().name());
        Samples f = first.samples(), l = label.samples();
        Samples both = new Samples(f.x(), f.count(), f.shape(), l.classes(), l.targets(), l.targetSize());
        BatchFeeder main = new BatchFeeder(new SampleSet(both, split.index()), label.spec(), norms.get(firstInput()),
            augment == null ? null : augmenter(augment, firstInput()), capacity);
        List<BatchFeeder> parts = new ArrayList<>();
        try {
            for (String name : inputs.subList(1, inputs.size())) {
                parts.add(new BatchFeeder(data.part(name).view(split), null, norms.get(name), augment == null ? null : augmenter(augment, name),
                    capacity));
            }
            for (LossTerms.Term term : terms.subList(1, terms.size())) {
                Part p = data.part(term.label().name());
                parts.add(new BatchFeeder(p.view(split), p.spec(), null, null, capacity));
            }
        } catch (RuntimeException e) {
            main.close();
            parts.forEach(BatchFeeder::close);
            throw e;
        }
        return main.withParts(parts);
    }

    /** Whether the feeders carry parts. */
    boolean hasParts() { return terms != null; }

}
