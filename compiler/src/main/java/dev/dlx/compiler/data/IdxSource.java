package dev.dlx.compiler.data;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.schema.Attr;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Schema;
import dev.dlx.compiler.schema.Type;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.shape.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * `source idx "train-images-idx3-ubyte.gz" labels "train-labels-idx1-ubyte.gz" test
 * "t10k-images-idx3-ubyte.gz" "t10k-labels-idx1-ubyte.gz"`: samples and labels in IDX files, as
 * MNIST ships them, gzip-compressed or not. Only the headers are read: they give the sample
 * shape and count. A missing file is a warning (the sample shape is then unknown).
 *
 * <p>Several label files name their labels as a csv source names its label columns: `source idx
 * "train-images" { labels digit "train-labels", parity "parity-labels" }`, each described by
 * `labels digit ..., parity ...`; every file holds one label per image.
 *
 * @param labels      the labels file, or null for unlabelled data
 * @param testImages  the separate test samples, or null; they then form the `test` split
 * @param testLabels  their labels, or null
 * @param labelFiles  the named label files, in the order written; empty in the classic form
 * @param count       samples in the images file, -1 when unknown
 * @param testCount   samples in the test images file, -1 when unknown or absent
 * @param elementType the stored element type (UBYTE for MNIST), null when unknown
 */
public record IdxSource(Path images, Path labels, Path testImages, Path testLabels, Shape sampleShape,
                        long count, long testCount, ElementType elementType, List<LabelFile> labelFiles, Span span) implements Source {

    /** One named label file: `labels digit "train-labels"`; {@code span} is the name. */
    public record LabelFile(String name, Path path, Span span) {}

    public IdxSource { labelFiles = List.copyOf(labelFiles); }

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
    @Override public boolean hasLabels() { return labels != null || !labelFiles.isEmpty(); }
    @Override public boolean hasTestFiles() { return testImages != null; }
    @Override public boolean namesLabels() { return !labelFiles.isEmpty(); }

    @Override public List<String> labelNames() {
        return labelFiles.isEmpty() ? Source.super.labelNames() : labelFiles.stream().map(LabelFile::name).toList();
    }

    @Override public Span labelSpan(String label) {
        return labelFiles.stream().filter(f -> f.name().equals(label)).map(LabelFile::span).findFirst().orElse(span);
    }

    /** The file a named label is read from. */
    public LabelFile labelFile(String label) {
        return labelFiles.stream().filter(f -> f.name().equals(label)).findFirst().orElseThrow();
    }

    @Override public List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (Path p : new Path[] {images, labels, testImages, testLabels}) if (p != null) out.add(p);
        for (LabelFile f : labelFiles) out.add(f.path());
        return List.copyOf(out);
    }

    /**
     * `labels digit "train-labels", parity "parity-labels"`: the named label files taken out of
     * the source's values into {@code into} (the schema sees the rest); the values unchanged when
     * `labels` is followed by a file, not a name. Null after an error.
     */
    static List<Value> namedLabels(List<Value> flat, List<SourceContext.NamedValues> into, Diagnostics sink) {
        Set<String> attributes = Set.of("path", "labels", "test");
        int at = -1;
        for (int i = 0; i < flat.size(); i++) {
            if (flat.get(i) instanceof Value.Word w && w.value().equals("labels")) at = i;
        }
        if (at < 0 || at + 1 >= flat.size() || !(flat.get(at + 1) instanceof Value.Word first) || attributes.contains(first.value())) return flat;
        List<Value> out = new ArrayList<>(flat.subList(0, at));
        int i = at + 1;
        Map<String, Span> seen = new HashMap<>();
        while (i < flat.size() && !(flat.get(i) instanceof Value.Word w && attributes.contains(w.value()))) {
            if (!(flat.get(i) instanceof Value.Word name)) break;
            List<Value> files = new ArrayList<>();
            i++;
            while (i < flat.size() && !(flat.get(i) instanceof Value.Word)) files.add(flat.get(i++));
            if (files.size() != 1 || !(files.get(0) instanceof Value.Str)) {
                sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, files.isEmpty() ? name.span() : files.get(0).span().to(files.get(files.size() - 1).span()),
                        "label `" + name.value() + "` takes one labels file, found " + (files.isEmpty() ? "none" : files.size() == 1 ? files.get(0) : files.size() + " values"))
                    .label("expected one string")
                    .help("write a name, then its file: `labels " + name.value() + " \"" + name.value() + "-labels-idx1-ubyte.gz\"`"));
                return null;
            }
            Span earlier = seen.putIfAbsent(name.value(), name.span());
            if (earlier != null) {
                sink.report(Diagnostic.error(Code.DUPLICATE_DEFINITION, name.span(), "`" + name.value() + "` names two label files")
                    .label("second `" + name.value() + "`")
                    .secondary(earlier, "first named here")
                    .help("give every label its own name"));
                return null;
            }
            into.add(new SourceContext.NamedValues(name.value(), name.span(), files));
        }
        out.addAll(flat.subList(i, flat.size()));
        return out;
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
            matchCount(header(labels, a.word("labels"), a.span("labels"), sink), count, "labels", a.word("labels"), imagesWritten,
                a.span("labels"), sink);
        }

        List<LabelFile> labelFiles = new ArrayList<>();
        for (SourceContext.NamedValues n : ctx.labels()) {
            String written = ((Value.Str) n.values().get(0)).value();
            Span at = n.values().get(0).span();
            Path file = DataFiles.resolve(ctx, written, at);
            if (file == null) return null;
            matchCount(header(file, written, at, sink), count, "labels", written, imagesWritten, at, sink);
            labelFiles.add(new LabelFile(n.name(), file, n.span()));
        }
        if (!labelFiles.isEmpty() && a.given("test")) {
            sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, a.span("test"), "separate `test` files are not available with named label files yet")
                .label("test files with named labels")
                .help("leave out `test` and hold out test samples with `split`, e.g. `split train 80%, test 20%`"));
            return null;
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
                    matchCount(header(testLabels, test.get(1), a.span("test"), sink), testCount, "test labels", test.get(1), test.get(0),
                        a.span("test"), sink);
                }
            }
        }
        return new IdxSource(images, labels, testImages, testLabels, shape, count, testCount,
            imagesHeader == null ? null : imagesHeader.type(), labelFiles, ctx.span());
    }

    private static void matchCount(IdxHeader labels, long samples, String what, String written, String imagesWritten, Span span,
                                   Diagnostics sink) {
        if (labels == null || samples < 0 || labels.count() == samples) return;
        DataFiles.error(span, written, "holds " + labels.count() + " " + what + " for " + samples + " samples (the images in `"
                + imagesWritten + "`)",
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
