package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.shape.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * Where a dataset's samples come from: `source csv|tsv|idx|images|text|coco|yolo ...`. Each kind is a
 * record of its own file with its schema and its (minimal) look at the files; several `source`
 * statements in one dataset are one {@link ZippedSource}.
 */
public sealed interface Source permits BoxSource, CsvSource, IdxSource, ImageFolderSource, ParallelSource, TaggedSource, TextSource,
    ZippedSource {
    /** The kind as written: `csv`, `tsv`, `idx`, `images`, `text`. */
    String kind();

    /** Every file or folder the source reads, resolved to absolute paths. */
    List<Path> files();

    /** The shape of one sample as the source delivers it, before `features` steps; UNKNOWN when the file could not be read. */
    Shape sampleShape();

    /** Whether the source delivers labels along with the samples. */
    boolean hasLabels();

    /** Whether the source has its own test data (MNIST's t10k files), which then is the `test` split. */
    default boolean hasTestFiles() { return false; }

    /** The number of distinct token ids, for sources of token ids (`text`). */
    default OptionalInt vocabulary() { return OptionalInt.empty(); }

    /** The number of distinct token ids of feature {@code feature}: {@link #vocabulary()} unless its features have vocabularies of their own. */
    default OptionalInt vocabulary(String feature) { return vocabulary(); }

    /** The number of classes the source itself reveals (one folder per class), when it does. */
    default OptionalInt classCount() { return OptionalInt.empty(); }

    /** The names of the features it delivers, in order: {@link FeatureIR#DEFAULT} alone unless the source names them. */
    default List<String> featureNames() { return List.of(FeatureIR.DEFAULT); }

    /** The names of the labels it delivers, in order: {@link LabelIR#DEFAULT} alone (none without labels) unless it names them. */
    default List<String> labelNames() { return hasLabels() ? List.of(LabelIR.DEFAULT) : List.of(); }

    /** Whether the program names the features (`features image 0..783`) rather than the classic one unnamed feature. */
    default boolean namesFeatures() { return false; }

    /** Whether the program names the labels (`labels digit 784, parity 785`). */
    default boolean namesLabels() { return false; }

    /** The shape of one sample of feature {@code feature} as the source delivers it. */
    default Shape sampleShape(String feature) { return sampleShape(); }

    /** Where label {@code label} is named: its name in the source, or the `source` statement. */
    default Span labelSpan(String label) { return span(); }

    /** The `source` statement. */
    Span span();
}
