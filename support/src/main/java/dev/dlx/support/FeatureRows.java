package dev.dlx.support;

import java.nio.file.Path;
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

    /** A named feature of the training file and its columns (`features left 0..3, right 4..5`). */
    public record Group(String name, List<Integer> columns) {
        public Group {
            columns = List.copyOf(columns);
        }
    }

    /**
     * Why a first line {@code width} fields wide fits neither layout, for a training file of named
     * features: the message names each feature whose columns it lacks, the hint the layouts it may have.
     */
    public static RowError lacking(Path file, long lineNo, int width, List<Group> groups, int featureColumns) {
        List<String> lacking = new ArrayList<>(), layout = new ArrayList<>();
        for (Group g : groups) {
            String where = "`" + g.name() + "` in " + range(g.columns());
            layout.add(where);
            if (g.columns().stream().anyMatch(c -> c >= width)) lacking.add("feature " + where);
        }
        return new RowError(file, lineNo, 0, "line " + lineNo + " of `" + RowError.display(file) + "` has " + width + " fields: "
                + String.join(", ", lacking) + " of the training file's layout " + (lacking.size() == 1 ? "is" : "are") + " missing",
            "give lines laid out as in the training file (" + String.join(", ", layout) + "), or the " + featureColumns
                + " feature columns alone, in that order");
    }

    /** `column 3`, `columns 0..3` or `columns 1, 4, 5`. */
    private static String range(List<Integer> cols) {
        boolean contiguous = true;
        for (int i = 1; i < cols.size(); i++) contiguous &= cols.get(i) == cols.get(i - 1) + 1;
        if (cols.size() == 1) return "column " + cols.get(0);
        return contiguous ? "columns " + cols.get(0) + ".." + cols.get(cols.size() - 1)
            : "columns " + String.join(", ", cols.stream().map(String::valueOf).toList());
    }
}
