package dev.dlx.compiler.train;

import java.util.Arrays;
import java.util.Optional;

/** The loss functions, by their Keras names. */
public enum Loss {
    BINARY_CROSSENTROPY("binary_crossentropy"),
    CATEGORICAL_CROSSENTROPY("categorical_crossentropy"),
    SPARSE_CATEGORICAL_CROSSENTROPY("sparse_categorical_crossentropy"),
    MSE("mse"),
    MAE("mae"),
    HUBER("huber"),
    /** YOLO's loss over a `yolo` head and box labels: localization, objectness and classification. */
    YOLO("yolo");

    private final String word;

    Loss(String word) { this.word = word; }

    public String word() { return word; }

    public boolean isRegression() { return this == MSE || this == MAE || this == HUBER; }

    public boolean isClassification() { return !isRegression() && this != YOLO; }

    /** Categorical or sparse categorical cross-entropy: one label out of several classes. */
    public boolean isMulticlass() { return this == CATEGORICAL_CROSSENTROPY || this == SPARSE_CATEGORICAL_CROSSENTROPY; }

    public static Optional<Loss> byWord(String word) {
        return Arrays.stream(values()).filter(l -> l.word.equals(word)).findFirst();
    }
}
