package dev.dlx.compiler.train;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Metrics training and evaluation report. */
public enum Metric {
    ACCURACY("accuracy", true, true),
    PRECISION("precision", true, true),
    RECALL("recall", true, true),
    F1("f1", true, true),
    MAE("mae", false, false),
    MSE("mse", false, false),
    LOSS("loss", false, false),
    /** PP = prod_t (1 / sum_j y_j ŷ_j)^(1/T): exp of the mean cross-entropy, for language models. */
    PERPLEXITY("perplexity", false, true);

    private final String word;
    private final boolean higherIsBetter;
    private final boolean needsClasses;

    Metric(String word, boolean higherIsBetter, boolean needsClasses) {
        this.word = word;
        this.higherIsBetter = higherIsBetter;
        this.needsClasses = needsClasses;
    }

    public String word() { return word; }
    public boolean higherIsBetter() { return higherIsBetter; }

    /** Whether the metric is defined only for class labels. */
    public boolean needsClasses() { return needsClasses; }

    public static Optional<Metric> byWord(String word) {
        return Arrays.stream(values()).filter(m -> m.word.equals(word)).findFirst();
    }

    public static List<String> words() { return Arrays.stream(values()).map(Metric::word).toList(); }
}
