package dev.dlx.runtime.run;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.FeatureIR;
import dev.dlx.compiler.data.LabelIR;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.data.Sampling;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.train.TrainFeed;
import dev.dlx.compiler.train.TrainIR;
import dev.dlx.runtime.data.Augmenter;
import dev.dlx.runtime.data.BatchFeeder;
import dev.dlx.runtime.data.DataException;
import dev.dlx.runtime.data.PairSampler;
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
 * How a training block's batches reach its model. The classic case (one input, one output, a
 * dataset that names no features or labels) feeds the one feature and label as it always did.
 * Every other case feeds by a {@link TrainFeed}: each input's feature and each label the loss reads;
 * a feeder then makes the first input with the first label, and its parts the other inputs and the
 * other labels, in that order. Each feature is normalized with its own statistics (the first
 * input's in `normalization.json`, another's in `normalization.NAME.json`) and augmented on its own.
 */
final class Feeding {
    private final DatasetIR ds;
    private final LoadedData data;
    /** What each batch feeds; null for the classic case. */
    private final TrainFeed feed;
    /** The features feeding the model's inputs, in model order (the classic one alone in the classic case). */
    private final List<String> inputs;

    /** The seed of `pairs` and `triplets` draws. */
    private final long seed;

    private Feeding(DatasetIR ds, LoadedData data, TrainFeed feed, long seed) {
        this.ds = ds;
        this.data = data;
        this.feed = feed;
        this.inputs = feed == null ? List.of(FeatureIR.DEFAULT) : feed.inputs();
        this.seed = ds.sampling() != null && ds.sampling().seed().isPresent() ? ds.sampling().seed().getAsInt() : seed;
    }

    /** The feeding of a training block; {@code seed} (the run's) draws `pairs` and `triplets` unless they give their own. */
    static Feeding of(ModelIR model, TrainIR t, LoadedData data, long seed) {
        DatasetIR ds = data.ir();
        boolean classic = !data.hasParts() && ds.sampling() == null && model.inputs().size() == 1 && model.outputs().size() == 1;
        return new Feeding(ds, data, classic ? null : TrainFeed.of(model, t, ds), seed);
    }

    /** The feeding of a training block with seed 0 for draws (a program's `pairs` or `triplets` may give their own). */
    static Feeding of(ModelIR model, TrainIR t, LoadedData data) { return of(model, t, data, 0); }

    /** The labels of the first fed label (the dataset's labels in the classic case); null when the loss reads none. */
    LabelSpec labels() {
        if (feed == null) return ds.labels();
        return feed.terms().isEmpty() ? (feed.labels().isEmpty() ? null : feed.labels().get(0).spec()) : feed.terms().get(0).label().spec();
    }

    /** The feature feeding the model's first input. */
    String firstInput() { return inputs.get(0); }

    /** The graph last built, whose embedding `triplets mining semihard` mines negatives with; null before. */
    private TrainGraph built;

    TrainGraph graph(ModelIR model, TrainIR t, long seed, TrainGraph.Threads threads, boolean stage) {
        built = feed == null ? TrainGraph.build(model, t, ds.labels(), seed, threads, stage) : TrainGraph.build(model, t, feed, seed, threads, stage);
        return built;
    }
    /** The run folder file holding feature {@code name}'s normalization statistics. */
    String normalizationFile(String name) {
        // drawn features are the dataset's one feature, with its one normalization
        return name.equals(firstInput()) || ds.sampling() != null ? RunFolder.NORMALIZATION : RunFolder.normalizationFile(name);
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

    /**
     * Each input feature's normalization as training wrote it to {@code folder}, read only (what
     * `dlxc evaluate` and `predict` use). Empty without `normalize`; an IOException names a file
     * the run folder lacks.
     */
    Map<String, Normalizer> savedNormalizers(RunFolder folder) throws IOException {
        Map<String, Normalizer> out = new LinkedHashMap<>();
        if (ds.normalize() == null) return out;
        for (String name : inputs) {
            String file = normalizationFile(name);
            if (!folder.has(file)) {
                throw new IOException("`" + Runner.display(folder.dir()) + "` has no " + file + " (the normalization of feature `" + name
                    + "`): train again");
            }
            out.put(name, folder.parse(file, Normalizer::fromJson));
        }
        return out;
    }

    /** The features feeding the model's inputs, in model order. */
    List<String> inputs() { return inputs; }

    /** What each batch feeds; null for the classic case. */
    TrainFeed feed() { return feed; }

    /** Each input feature's normalization fitted on {@code train}, nothing written. Empty without `normalize`. */
    Map<String, Normalizer> normalizers(SampleSet train) {
        Map<String, Normalizer> out = new LinkedHashMap<>();
        if (ds.normalize() != null) for (String name : inputs) out.put(name, fit(name, train));
        return out;
    }

    private Normalizer fit(String name, SampleSet train) {
        return Normalizer.fit(ds.normalize(), data.hasParts() ? data.part(name).view(train) : train);
    }

    /** The values per sample of the first input's feature (what staging would hold). */
    int firstSampleSize() { return data.hasParts() ? data.part(firstInput()).samples().sampleSize() : data.samples().sampleSize(); }

    /** The shape of one sample of feature {@code name} after its steps. */
    int[] shape(String name) { return data.hasParts() ? data.part(name).samples().shape() : data.sampleShape(); }

    /** The augmentation of a split for feature {@code name}, or null. */
    Augmenter augmenter(String splitName, String name) {
        return ds.augmentsFor(splitName).map(a -> new Augmenter(a.steps(), shape(name))).orElse(null);
    }

    /** The feeder of one split ({@code augment} names the split whose augmentations apply, or null). */
    BatchFeeder feeder(SampleSet split, Map<String, Normalizer> norms, String augment, int capacity) throws DataException {
        if (ds.sampling() != null) return drawn(split, norms, augment, capacity);
        if (!data.hasParts()) {
            // the classic dataset: its one feature, with its one label unless the loss reads none
            LabelSpec labels = feed == null || !feed.labels().isEmpty() ? ds.labels() : null;
            return new BatchFeeder(split, labels, norms.get(firstInput()), augment == null ? null : augmenter(augment, firstInput()), capacity);
        }
        Part first = data.part(firstInput());
        BatchFeeder main;
        Augmenter firstAugments = augment == null ? null : augmenter(augment, firstInput());
        if (feed.labels().isEmpty()) {
            main = new BatchFeeder(first.view(split), null, norms.get(firstInput()), firstAugments, capacity);
        } else {
            Part label = data.part(feed.labels().get(0).name());
            Samples f = first.samples(), l = label.samples();
            Samples both = new Samples(f.x(), f.count(), f.shape(), l.classes(), l.targets(), l.targetSize());
            main = new BatchFeeder(new SampleSet(both, split.index()), label.spec(), norms.get(firstInput()), firstAugments, capacity);
        }
        if (data.words() != null && data.words().sampler() != null && DatasetIR.TRAIN.equals(augment)) {
            // skip-gram and CBOW examples are drawn anew every epoch, in place: every part sees the new draw
            dev.dlx.runtime.data.WordSampler sampler = data.words().sampler();
            main.onEpoch(epoch -> { if (epoch > 0) sampler.redraw(epoch); });
        }
        List<BatchFeeder> parts = new ArrayList<>();
        try {
            for (String name : inputs.subList(1, inputs.size())) {
                parts.add(new BatchFeeder(data.part(name).view(split), null, norms.get(name), augment == null ? null : augmenter(augment, name),
                    capacity));
            }
            for (LabelIR l : feed.labels().subList(Math.min(1, feed.labels().size()), feed.labels().size())) {
                Part p = data.part(l.name());
                parts.add(new BatchFeeder(p.view(split), p.spec(), null, null, capacity));
            }
        } catch (RuntimeException e) {
            main.close();
            parts.forEach(BatchFeeder::close);
            throw e;
        }
        return main.withParts(parts);
    }

    /**
     * The pairs or triplets of a split ({@link PairSampler}): the split's samples feed the first
     * feature (with the label `same` of a pair), the partners drawn for them the others, every one
     * normalized and augmented as the dataset's one feature.
     */
    private BatchFeeder drawn(SampleSet split, Map<String, Normalizer> norms, String augment, int capacity) throws DataException {
        Samples base = split.base();
        PairSampler.Drawn d = PairSampler.draw(ds.sampling(), split, PairSampler.epochSeed(seed, 0));
        Normalizer norm = norms.get(firstInput());
        boolean training = DatasetIR.TRAIN.equals(augment);
        Mining mining = training && ds.sampling().mining() == Sampling.Mining.SEMIHARD && built != null ? Mining.of(built, norm) : null;
        if (training && ds.sampling().mining() == Sampling.Mining.SEMIHARD && mining == null) {
            throw DataException.general("`triplets mining semihard` needs an embedding of the anchor: a tensor the model computes from its "
                + "first input alone", "encode the anchor with a model of its own, e.g. `let ea = anchor -> Encoder`");
        }
        LabelSpec same = ds.namedLabels().isEmpty() ? null : ds.namedLabels().get(0).spec();
        SampleSet first = split;
        if (same != null) {
            // `same` of the pair whose left is row index[j]: each row is the left of one pair in its split
            int[] classes = new int[base.count()];
            for (int j = 0; j < split.size(); j++) classes[split.index()[j]] = d.same()[j] ? 1 : 0;
            first = new SampleSet(new Samples(base.x(), base.count(), base.shape(), classes, null, 0), split.index());
        }
        BatchFeeder main = new BatchFeeder(first, same, norm, augment == null ? null : augmenter(augment, firstInput()), capacity);
        List<BatchFeeder> parts = new ArrayList<>();
        for (int[] partners : d.partners()) {
            parts.add(new BatchFeeder(new SampleSet(base, partners), null, norm, augment == null ? null : augmenter(augment, firstInput()), capacity));
        }
        main.withParts(parts);
        if (!training) return main; // validation and test keep their draw
        int[] classes = first.base().classes();
        return main.onEpoch(epoch -> {
            // training draws anew every epoch, in place: the same positions now stand for other partners
            if (epoch == 0) return;
            try {
                PairSampler.Drawn again = PairSampler.draw(ds.sampling(), split, PairSampler.epochSeed(seed, epoch));
                for (int k = 0; k < again.partners().length; k++) System.arraycopy(again.partners()[k], 0, d.partners()[k], 0, split.size());
                if (same != null) for (int j = 0; j < split.size(); j++) classes[split.index()[j]] = again.same()[j] ? 1 : 0;
            } catch (DataException e) {
                throw new IllegalStateException("drawn once, the split cannot fail to draw again", e);
            }
            if (mining != null) mining.mine(ds.sampling(), split, d.partners()[0], d.partners()[1], PairSampler.epochSeed(seed, epoch) + 1);
        });
    }

    /** Whether batches are fed by a {@link TrainFeed} (every case but the classic one). */
    boolean hasParts() { return feed != null; }
}
