package dev.dlx.compiler.data;

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
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * `source images "photos" size 64x64 color rgb`: image files in a folder, one subfolder per class
 * (the folder names are the class names, in sorted order), each image resized to `size` when
 * read. Only the folder listing is read.
 *
 * @param testDir      a folder of the same layout holding the test images, or null
 * @param classFolders the class subfolders found, sorted; empty when the folder is missing or flat
 * @param labelled     whether the images have labels: the folder has class subfolders, or could
 *                     not be listed (then they are assumed)
 */
public record ImageFolderSource(Path dir, Path testDir, int height, int width, Color color, List<String> classFolders,
                                boolean labelled, Span span) implements Source {

    public enum Color {
        RGB(3), GRAYSCALE(1);

        private final int channels;

        Color(int channels) { this.channels = channels; }

        public int channels() { return channels; }
    }

    public ImageFolderSource { classFolders = List.copyOf(classFolders); }

    static final KindTable.Kind<SourceContext, Source> KIND = new KindTable.Kind<>("images",
        "image files in a folder, one subfolder per class",
        Schema.of(
            Attr.of("path", Type.STRING, "the folder, relative to the `.dlx` file").positional().required(),
            Attr.of("size", Type.SIZES, "height x width every image is resized to: `64x64`").required().atLeast(1),
            Attr.of("color", Type.choice("rgb", "grayscale"), "channels: `rgb` (3) or `grayscale` (1)").defaults("rgb"),
            Attr.of("test", Type.STRING, "a folder of the same layout with the test images")),
        ImageFolderSource::build);

    @Override public String kind() { return "images"; }
    @Override public boolean hasLabels() { return labelled; }
    @Override public boolean hasTestFiles() { return testDir != null; }
    @Override public Shape sampleShape() { return Shape.of(height, width, color.channels()); }

    @Override public List<Path> files() { return testDir == null ? List.of(dir) : List.of(dir, testDir); }

    @Override public OptionalInt classCount() {
        return classFolders.isEmpty() ? OptionalInt.empty() : OptionalInt.of(classFolders.size());
    }

    private static ImageFolderSource build(Attrs a, SourceContext ctx) {
        Diagnostics sink = ctx.sink();
        List<Integer> size = a.sizes("size");
        if (size.size() > 2) {
            sink.report(dev.dlx.compiler.diag.Diagnostic.error(dev.dlx.compiler.diag.Code.WRONG_TYPE, a.span("size"),
                    "`size` of an image is height x width, found " + size.size() + " numbers")
                .label("expected `HxW`")
                .help("the channels come from `color`: write `size " + size.get(0) + "x" + size.get(1) + "`"));
            return null;
        }
        int h = size.get(0), w = size.size() == 2 ? size.get(1) : size.get(0);
        String written = a.word("path");
        Path dir = DataFiles.resolve(ctx, written, a.span("path"));
        if (dir == null) return null;
        List<String> classes = new ArrayList<>();
        boolean labelled = true;
        if (DataFiles.exists(dir, written, a.span("path"), sink)) {
            if (!Files.isDirectory(dir)) {
                DataFiles.error(a.span("path"), written, "is a file, not a folder", "`source images` reads a folder of images", sink);
                return null;
            }
            try (Stream<Path> entries = Files.list(dir)) {
                entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(classes::add);
            } catch (IOException | RuntimeException e) {
                DataFiles.error(a.span("path"), written, "cannot be listed: " + e.getMessage(), null, sink);
            }
            labelled = !classes.isEmpty();
        }
        Path testDir = null;
        if (a.given("test")) {
            testDir = DataFiles.resolve(ctx, a.word("test"), a.span("test"));
            if (testDir == null) return null;
            DataFiles.exists(testDir, a.word("test"), a.span("test"), sink);
        }
        Color color = a.word("color").equals("rgb") ? Color.RGB : Color.GRAYSCALE;
        return new ImageFolderSource(dir, testDir, h, w, color, classes, labelled, ctx.span());
    }
}
