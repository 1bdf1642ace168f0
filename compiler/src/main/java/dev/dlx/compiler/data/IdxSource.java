package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.shape.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `source idx "train-images-idx3-ubyte.gz" labels "train-labels-idx1-ubyte.gz" test
 * "t10k-images-idx3-ubyte.gz" "t10k-labels-idx1-ubyte.gz"`: samples and labels in IDX files, as
 * MNIST ships them, gzip-compressed or not. Only the headers are read: they give the sample
 * shape and count. A missing file is a warning (the sample shape is then unknown).
 *
 * @param labels      the labels file, or null for unlabelled data
 * @param testImages  the separate test samples, or null; they then form the `test` split
 * @param testLabels  their labels, or null
 * @param count       samples in the images file, -1 when unknown
 * @param testCount   samples in the test images file, -1 when unknown or absent
 * @param elementType the stored element type (UBYTE for MNIST), null when unknown
 */
public record IdxSource(Path images, Path labels, Path testImages, Path testLabels, Shape sampleShape,
                        long count, long testCount, ElementType elementType, Span span) implements Source {

    /** IDX element types with their type byte and size. */
    public enum ElementType {
        UBYTE(0x08, 1), BYTE(0x09, 1), SHORT(0x0B, 2), INT(0x0C, 4), FLOAT(0x0D, 4), DOUBLE(0x0E, 8);

        private final int code;
        private final int bytes;

        ElementType(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        public int code() { return code; }
        public int bytes() { return bytes; }

        static ElementType of(int code) {
            for (ElementType t : values()) if (t.code == code) return t;
            return null;
        }
    }

    static final KindTable.Kind<SourceContext, Source> KIND = new KindTable.Kind<>("idx",
        "IDX files (MNIST's format): images and labels, optionally a separate test pair",
        Schema.of(
            Attr.of("path", Type.STRING, "the samples file, relative to the `.dlx` file; `.gz` files are decompressed")
                .positional().required(),
            Attr.of("labels", Type.STRING, "the labels file, one label per sample"),
            Attr.of("test", ListTypes.STRINGS, "separate test files: `test \"images\" \"labels\"`")),
        IdxSource::build);

    @Override public String kind() { return "idx"; }
    @Override public boolean hasLabels() { return labels != null; }
    @Override public boolean hasTestFiles() { return testImages != null; }

    @Override public List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (Path p : new Path[] {images, labels, testImages, testLabels}) if (p != null) out.add(p);
        return List.copyOf(out);
    }

    private static IdxSource build(Attrs a, SourceContext ctx) {
        Diagnostics sink = ctx.sink();
        String imagesWritten = a.word("path");
        Path images = DataFiles.resolve(ctx, imagesWritten, a.span("path"));
        if (images == null) return null;
        IdxHeader imagesHeader = header(images, imagesWritten, a.span("path"), sink);
        Shape shape = imagesHeader == null ? Shape.UNKNOWN
            : Shape.of(imagesHeader.sampleDims().stream().mapToLong(Long::longValue).toArray());
        long count = imagesHeader == null ? -1 : imagesHeader.count();

        Path labels = null;
        if (a.given("labels")) {
            labels = DataFiles.resolve(ctx, a.word("labels"), a.span("labels"));
            if (labels == null) return null;
            matchCount(header(labels, a.word("labels"), a.span("labels"), sink), count, "labels", a.word("labels"), a.span("labels"), sink);
        }

        Path testImages = null, testLabels = null;
        long testCount = -1;
        List<String> test = ListTypes.strings(a.get("test"));
        if (a.given("test")) {
            int wanted = labels == null ? 1 : 2;
            if (test.size() != wanted) {
                sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, a.span("test"),
                        "`test` takes " + (wanted == 2 ? "an images file and a labels file" : "one images file")
                        + ", found " + test.size() + " file" + (test.size() == 1 ? "" : "s"))
                    .label(wanted == 2 ? "expected 2 strings" : "expected 1 string")
                    .help(wanted == 2 ? "for example `test \"t10k-images-idx3-ubyte.gz\" \"t10k-labels-idx1-ubyte.gz\"`"
                        : "the test data have labels only when the training data do: add `labels \"...\"`"));
            } else {
                testImages = DataFiles.resolve(ctx, test.get(0), a.span("test"));
                if (testImages == null) return null;
                IdxHeader th = header(testImages, test.get(0), a.span("test"), sink);
                if (th != null) {
                    testCount = th.count();
                    Shape testShape = Shape.of(th.sampleDims().stream().mapToLong(Long::longValue).toArray());
                    if (!shape.isUnknown() && !testShape.equals(shape)) {
                        DataFiles.error(a.span("test"), test.get(0), "its samples are " + testShape + " but the training samples are " + shape,
                            "the test files must hold samples of the same shape", sink);
                    }
                }
                if (wanted == 2) {
                    testLabels = DataFiles.resolve(ctx, test.get(1), a.span("test"));
                    if (testLabels == null) return null;
                    matchCount(header(testLabels, test.get(1), a.span("test"), sink), testCount, "test labels", test.get(1), a.span("test"), sink);
                }
            }
        }
        return new IdxSource(images, labels, testImages, testLabels, shape, count, testCount,
            imagesHeader == null ? null : imagesHeader.type(), ctx.span());
    }

    private static void matchCount(IdxHeader labels, long samples, String what, String written, Span span, Diagnostics sink) {
        if (labels == null || samples < 0 || labels.count() == samples) return;
        DataFiles.error(span, written, "holds " + labels.count() + " " + what + " for " + samples + " samples",
            "each sample needs exactly one label: check that the files belong together", sink);
    }

    /** The file's header, or null after a warning (missing) or an error (unreadable, malformed). */
    static IdxHeader header(Path file, String written, Span span, Diagnostics sink) {
        if (!DataFiles.exists(file, written, span, sink)) return null;
        try {
            return IdxHeader.read(file);
        } catch (IdxHeader.FormatException e) {
            DataFiles.error(span, written, e.getMessage() + " (at byte offset " + e.offset + ")",
                "an IDX file starts with 0x00 0x00, a type byte and the number of dimensions; re-download the file", sink);
        } catch (IOException | RuntimeException e) {
            DataFiles.error(span, written, "cannot be read: " + e.getMessage(), null, sink);
        }
        return null;
    }
}
