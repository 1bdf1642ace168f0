package dev.dlx.compiler.data;

/** The registry of source kinds: one line each. */
public final class Sources {
    private Sources() {}

    public static final KindTable<SourceContext, Source> TABLE = new KindTable<>("source kind",
        CsvSource.kind("csv", CsvSource.Format.CSV),
        CsvSource.kind("tsv", CsvSource.Format.TSV),
        IdxSource.KIND,
        ImageFolderSource.KIND,
        TextSource.KIND,
        ParallelSource.KIND,
        TaggedSource.KIND,
        BoxSource.kind(BoxSource.Format.COCO),
        BoxSource.kind(BoxSource.Format.YOLO));
}
