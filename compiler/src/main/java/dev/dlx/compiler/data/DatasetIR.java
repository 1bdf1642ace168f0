package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A checked dataset, for the training checker and the runtime: where samples come from, the
 * steps that shape them, their labels, how they are split, normalized, augmented and batched.
 *
 * @param source           the source, or null when the `source` statement was missing or wrong
 * @param featureShape     the shape of one sample after the `features` steps (what the model's
 *                         input must be); UNKNOWN when it could not be determined
 * @param featureShapeSpan the statement that fixed {@code featureShape}: the last shaping step,
 *                         or the `source` statement
 * @param labels           the labels (encoding NONE when there are none), or null when the `labels`
 *                         statement was wrong
 * @param split            the hold-out split, or null (all data trains)
 * @param kfold            K-fold cross-validation over the training part, or null
 * @param normalize        the normalization, or null
 * @param augments         augmentation blocks, one per split at most
 * @param batchSize        samples per batch (32 unless `batch` says otherwise)
 * @param batchSpan        the `batch` statement, or null
 * @param shuffle          shuffle the training samples every epoch
 * @param features         every feature the dataset feeds, in the source's order; the first is the
 *                         one {@code featureShape} and {@code steps} describe. One feature named
 *                         {@link FeatureIR#DEFAULT} (unnamed) unless the source names them
 * @param namedLabels      every label, in the source's order, each with its encoding (a null
 *                         spec when its description was wrong); the first is {@code labels}
 *                         (but see {@code sampling}). One
 *                         label named {@link LabelIR#DEFAULT} (unnamed) unless the source names
 *                         them; none for unlabelled data
 * @param sampling         `pairs` or `triplets` drawn from the class labels, or null. With it,
 *                         {@code features} are the drawn ones (`left`, `right`; `anchor`,
 *                         `positive`, `negative`), each of {@code featureShape}, and {@code
 *                         namedLabels} what training reads (`same` for pairs, none for triplets),
 *                         while {@code labels} stays the classes the source holds
 * @param valid            no errors were found in the dataset
 */
public record DatasetIR(String name, Span span, Source source, Shape featureShape, Span featureShapeSpan,
                        List<FeatureStep> steps, LabelSpec labels, Split split, KFold kfold, Normalize normalize,
                        List<AugmentBlock> augments, int batchSize, Span batchSpan, boolean shuffle,
                        List<FeatureIR> features, List<LabelIR> namedLabels, Sampling sampling, boolean valid) {

    public static final String TRAIN = "train";
    public static final String VAL = "val";
    public static final String TEST = "test";
    public static final int DEFAULT_BATCH = 32;

    public DatasetIR {
        steps = List.copyOf(steps);
        augments = List.copyOf(augments);
        features = List.copyOf(features);
        namedLabels = List.copyOf(namedLabels);
    }

    /** Whether the dataset feeds more than the classic one feature and one label. */
    public boolean multiTensor() {
        return features.size() > 1 || namedLabels.size() > 1 || features.stream().anyMatch(FeatureIR::named)
            || namedLabels.stream().anyMatch(LabelIR::named);
    }

    public Optional<FeatureIR> feature(String name) { return features.stream().filter(f -> f.name().equals(name)).findFirst(); }

    public Optional<LabelIR> label(String name) { return namedLabels.stream().filter(l -> l.name().equals(name)).findFirst(); }

    /** Whether training can be validated: a `val` split, or K-fold. */
    public boolean hasValidation() {
        return (split != null && split.hasVal()) || kfold != null;
    }

    /** The splits this dataset provides, by name: always `train`, then `val` and `test` when declared. */
    public List<String> splitNames() {
        List<String> out = new ArrayList<>();
        out.add(TRAIN);
        if (split != null && split.hasVal()) out.add(VAL);
        if ((split != null && split.hasTest()) || (source != null && source.hasTestFiles())) out.add(TEST);
        return List.copyOf(out);
    }

    public boolean hasSplit(String name) { return splitNames().contains(name); }

    /** The augmentations of one split, if any. */
    public Optional<AugmentBlock> augmentsFor(String splitName) {
        return augments.stream().filter(a -> a.split().equals(splitName)).findFirst();
    }

    /** The number of distinct token ids, for data made of token ids (`source text`). */
    public OptionalInt vocabulary() {
        return source == null ? OptionalInt.empty() : source.vocabulary();
    }
}
