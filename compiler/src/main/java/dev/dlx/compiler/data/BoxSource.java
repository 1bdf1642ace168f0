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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * `source coco "train.json" size 64x64 color grayscale test "test.json"` and `source yolo "images"
 * size 64x64`: images with boxes (see {@link BoxAnnotations} for the two formats), each image
 * resized to `size` when read. The annotations are read and every box checked here, so `dlxc
 * check` names bad boxes; the labels are the boxes, {@link LabelSpec.Encoding#BOXES}, over the
 * classes the file names, at most {@code maxBoxes} an image.
 *
 * @param classes  the class names of the file (empty when it could not be read)
 * @param maxBoxes the most boxes an image of the training or test file has (at least 1)
 */
public record BoxSource(Format format, Path path, Path testPath, int height, int width, ImageFolderSource.Color color,
                        List<String> classes, int maxBoxes, Span span) implements Source {

    public enum Format {
        COCO("coco", "a COCO JSON annotation file"),
        YOLO("yolo", "a folder of images, each with a YOLO `.txt` of its boxes");

        private final String word, what;

        Format(String word, String what) { this.word = word; this.what = what; }

        public String word() { return word; }
    }

    public BoxSource { classes = List.copyOf(classes); }

    static KindTable.Kind<SourceContext, Source> kind(Format format) {
        String where = format == Format.COCO ? "the JSON file" : "the folder";
        return new KindTable.Kind<>(format.word, "images with boxes: " + format.what,
            Schema.of(
                Attr.of("path", Type.STRING, where + ", relative to the `.dlx` file").positional().required(),
                Attr.of("size", Type.SIZES, "height x width every image is resized to: `64x64` (boxes are kept as fractions of the image)").required().atLeast(1),
                Attr.of("color", Type.choice("rgb", "grayscale"), "channels: `rgb` (3) or `grayscale` (1)").defaults("rgb"),
                Attr.of("test", Type.STRING, format == Format.COCO ? "a COCO file of the test images" : "a folder of the test images")),
            (a, ctx) -> build(format, a, ctx));
    }

    @Override public String kind() { return format.word; }
    @Override public boolean hasLabels() { return true; }
    @Override public boolean hasTestFiles() { return testPath != null; }
    @Override public Shape sampleShape() { return Shape.of(height, width, color.channels()); }
    @Override public List<Path> files() { return testPath == null ? List.of(path) : List.of(path, testPath); }

    @Override public OptionalInt classCount() { return classes.isEmpty() ? OptionalInt.empty() : OptionalInt.of(classes.size()); }

    /** The labels this source implies: its boxes over its classes. */
    public LabelSpec labels() {
        return new LabelSpec(LabelSpec.Encoding.BOXES, classes.size(), maxBoxes, classes, Shape.of(maxBoxes, LabelSpec.BOX_VALUES), span);
    }

    /** Reads the annotations of {@code file} in this source's format; IOException when the file cannot be read at all. */
    public BoxAnnotations read(Path file) throws IOException {
        return format == Format.COCO ? BoxAnnotations.coco(file) : BoxAnnotations.yolo(file);
    }

    private static BoxSource build(Format format, Attrs a, SourceContext ctx) {
        Diagnostics sink = ctx.sink();
        List<Integer> size = a.sizes("size");
        if (size.size() > 2) {
            sink.report(Diagnostic.error(Code.WRONG_TYPE, a.span("size"), "`size` of an image is height x width, found " + size.size() + " numbers")
                .label("expected `HxW`")
                .help("the channels come from `color`: write `size " + size.get(0) + "x" + size.get(1) + "`"));
            return null;
        }
        int h = size.get(0), w = size.size() == 2 ? size.get(1) : size.get(0);
        ImageFolderSource.Color color = a.word("color").equals("rgb") ? ImageFolderSource.Color.RGB : ImageFolderSource.Color.GRAYSCALE;
        Path path = DataFiles.resolve(ctx, a.word("path"), a.span("path"));
        if (path == null) return null;
        Path test = null;
        if (a.given("test")) {
            test = DataFiles.resolve(ctx, a.word("test"), a.span("test"));
            if (test == null) return null;
        }
        BoxSource unread = new BoxSource(format, path, test, h, w, color, List.of(), 1, ctx.span());
        BoxAnnotations train = unread.look(path, a.word("path"), a.span("path"), sink);
        BoxAnnotations held = test == null ? null : unread.look(test, a.word("test"), a.span("test"), sink);
        if (train == null) return unread;
        if (!train.ok() || held != null && !held.ok()) return null;
        if (held != null && !held.classes().equals(train.classes())) {
            sink.report(Diagnostic.error(Code.DATA_FILE, a.span("test"), "`" + a.word("test") + "` names the classes " + LabelSpec.quoted(held.classes())
                    + ", but `" + a.word("path") + "` names " + LabelSpec.quoted(train.classes()))
                .label("other classes")
                .help("the test images need the classes of the training images, in the same order"));
            return null;
        }
        int most = Math.max(1, Math.max(train.maxBoxes(), held == null ? 0 : held.maxBoxes()));
        return new BoxSource(format, path, test, h, w, color, train.classes(), most, ctx.span());
    }

    /** Reads one annotation file for the check: null when it is not there (a warning), reported problems otherwise. */
    private BoxAnnotations look(Path file, String written, Span span, Diagnostics sink) {
        if (!DataFiles.exists(file, written, span, sink)) return null;
        boolean folder = Files.isDirectory(file);
        if (folder != (format == Format.YOLO)) {
            DataFiles.error(span, written, folder ? "is a folder, not a file" : "is a file, not a folder",
                format == Format.COCO ? "`source coco` reads a COCO JSON file" : "`source yolo` reads a folder of images and their `.txt` files", sink);
            return new BoxAnnotations(List.of(), List.of(), List.of("wrong kind"), 0);
        }
        BoxAnnotations read;
        try {
            read = read(file);
        } catch (IOException | RuntimeException e) {
            DataFiles.error(span, written, "cannot be read: " + e.getMessage(), null, sink);
            return new BoxAnnotations(List.of(), List.of(), List.of("unreadable"), 0);
        }
        if (!read.ok()) {
            int n = read.problems().size() + read.more();
            Diagnostic.Builder b = Diagnostic.error(Code.DATA_FILE, span, "`" + written + "`: " + (n == 1 ? read.problems().get(0)
                    : n + " problems with its boxes"))
                .label(n == 1 ? "cannot use these boxes" : "first: " + read.problems().get(0));
            if (n > 1) for (String p : read.problems()) b.note(p);
            if (read.more() > 0) b.note("... and " + read.more() + " more");
            sink.report(b.help("correct or remove the boxes named; box corners may leave the image by at most 1 pixel"));
        }
        return read;
    }
}
