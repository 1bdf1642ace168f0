package dev.dlx.runtime.data;

import java.util.List;
import java.util.Map;

/**
 * What a source delivers before feature steps: the samples (and the separate test samples, when
 * the source has test files), the class names it reveals (category words of a label column, class
 * folders), and the category words of categorical feature columns, in index order (needed again to
 * encode the same way at prediction time), and for CSV the feature columns read.
 */
public record RawData(Samples samples, Samples testSamples, List<String> classNames, Map<Integer, List<String>> categories,
                      List<Integer> featureColumns) {
    public RawData {
        classNames = classNames == null ? null : List.copyOf(classNames);
        categories = Map.copyOf(categories);
        featureColumns = List.copyOf(featureColumns);
    }

    public static RawData of(Samples samples, Samples testSamples, List<String> classNames) {
        return new RawData(samples, testSamples, classNames, Map.of(), List.of());
    }
}
