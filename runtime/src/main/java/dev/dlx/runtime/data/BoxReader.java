package dev.dlx.runtime.data;

import dev.dlx.compiler.data.BoxAnnotations;
import dev.dlx.compiler.data.BoxSource;
import dev.dlx.compiler.data.LabelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads `source coco` and `source yolo`: each image resized to the declared size (bilinear, values
 * 0..255), its boxes as the sample's targets: {@code maxBoxes} rows of {@code (class, x0, y0, x1, y1)}
 * with the corners as fractions of the image, rows past its boxes with class -1 and zeros. Any bad
 * box stops the read with every problem named (file and index), as the checker names them.
 */
public final class BoxReader {
    private BoxReader() {}

    public static RawData read(BoxSource source) throws DataException {
        BoxAnnotations train = annotations(source, source.path());
        BoxAnnotations test = source.testPath() == null ? null : annotations(source, source.testPath());
        int rows = Math.max(source.maxBoxes(), Math.max(train.maxBoxes(), test == null ? 0 : test.maxBoxes()));
        Samples trainSamples = samples(source, train, rows);
        Samples testSamples = test == null ? null : samples(source, test, rows);
        return RawData.of(trainSamples, testSamples, train.classes());
    }

    /** The checked annotations of one file, or a DataException naming every bad box. */
    static BoxAnnotations annotations(BoxSource source, Path file) throws DataException {
        BoxAnnotations a;
        try {
            a = source.read(file);
        } catch (IOException | RuntimeException e) {
            throw DataException.in(file, null, "cannot read `" + DataException.display(file) + "`: " + e.getMessage(), null);
        }
        if (!a.ok()) {
            StringBuilder m = new StringBuilder();
            int n = a.problems().size() + a.more();
            m.append(n == 1 ? a.problems().get(0) : "`" + DataException.display(file) + "`: " + n + " problems with its boxes:");
            if (n > 1) for (String p : a.problems()) m.append("\n  ").append(p);
            if (a.more() > 0) m.append("\n  ... and ").append(a.more()).append(" more");
            throw DataException.in(file, null, m.toString(), "correct or remove the boxes named; box corners may leave the image by at most 1 pixel");
        }
        if (a.images().isEmpty()) throw DataException.in(file, null, "`" + DataException.display(file) + "` lists no images", null);
        return a;
    }

    private static Samples samples(BoxSource source, BoxAnnotations a, int rows) throws DataException {
        int h = source.height(), w = source.width(), c = source.color().channels(), d = h * w * c;
        List<BoxAnnotations.Image> images = a.images();
        float[] x = new float[Math.multiplyExact(images.size(), d)];
        int width = rows * LabelSpec.BOX_VALUES;
        float[] y = new float[Math.multiplyExact(images.size(), width)];
        for (int i = 0; i < images.size(); i++) {
            BoxAnnotations.Image im = images.get(i);
            if (!Files.isRegularFile(im.file())) {
                throw DataException.in(im.file(), null, "image `" + DataException.display(im.file()) + "` of the annotations is not there", null);
            }
            ImageFolderReader.decode(im.file(), h, w, c, x, i * d);
            encode(im.boxes(), rows, y, i * width);
        }
        return new Samples(x, images.size(), new int[] {h, w, c}, null, y, width);
    }

    /** Image files decoded and resized as a box source reads them (values 0..255), for prediction. */
    public static Samples images(List<Path> files, BoxSource source) throws DataException {
        int h = source.height(), w = source.width(), c = source.color().channels(), d = h * w * c;
        float[] x = new float[Math.multiplyExact(files.size(), d)];
        for (int i = 0; i < files.size(); i++) ImageFolderReader.decode(files.get(i), h, w, c, x, i * d);
        return new Samples(x, files.size(), new int[] {h, w, c}, null, null, 0);
    }

    /** Box rows (class, x0, y0, x1, y1) into {@code out} at {@code offset}; the rows past the boxes get class -1. */
    public static void encode(List<BoxAnnotations.Box> boxes, int rows, float[] out, int offset) {
        for (int r = 0; r < rows; r++) {
            int o = offset + r * LabelSpec.BOX_VALUES;
            if (r < boxes.size()) {
                BoxAnnotations.Box b = boxes.get(r);
                out[o] = b.cls();
                out[o + 1] = (float) b.x0();
                out[o + 2] = (float) b.y0();
                out[o + 3] = (float) b.x1();
                out[o + 4] = (float) b.y1();
            } else {
                out[o] = -1;
                for (int k = 1; k < LabelSpec.BOX_VALUES; k++) out[o + k] = 0;
            }
        }
    }
}
