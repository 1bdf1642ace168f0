package dev.dlx.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * How a prediction file's lines map to the model's feature columns, for `dlxc predict` and a built
 * model JAR alike: a line laid out as the training file (its feature columns picked out) or a line
 * of only the feature columns; a first line whose numeric feature cells are neither numbers nor
 * missing is a header.
 */
public final class FeatureRows {
    private FeatureRows() {}

    /**
     * The columns of a line {@code width} fields wide that hold the training features, in training
     * order: {@code 0..width-1} when the line holds only them, {@code trainFeatures} when it is laid out
     * as the training file; null when it is neither.
     */
    public static List<Integer> layout(int width, List<Integer> trainFeatures) {
        int maxCol = trainFeatures.stream().mapToInt(Integer::intValue).max().orElse(-1);
        if (width == trainFeatures.size()) {
            List<Integer> features = new ArrayList<>();
            for (int c = 0; c < width; c++) features.add(c);
            return features;
        }
        return width > maxCol ? trainFeatures : null;
    }

    /** Whether the first line is a header: a cell of a numeric feature that is neither a number nor missing. */
    public static boolean isHeader(List<String> fields, List<Integer> features, List<Integer> trainFeatures,
                                   Collection<Integer> categorical) {
        for (int i = 0; i < features.size(); i++) {
            if (categorical.contains(trainFeatures.get(i))) continue;
            String cell = fields.get(features.get(i)).trim();
            if (!CsvFields.isNumber(cell) && !CsvFields.isMissing(cell)) return true;
        }
        return false;
    }
}
