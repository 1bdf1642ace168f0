package dev.dlx.runtime.data;

import dev.dlx.compiler.data.IdxSource;
import dev.dlx.compiler.data.LabelSpec;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reads `source idx` files (MNIST's format, gzip-compressed or not): a header of two zero bytes, the
 * element type, the rank and the big-endian dimensions, then the elements, big-endian. Images
 * become floats as stored (0..255 for MNIST: scale them with `features scale 1/255`); labels must be
 * class indices within the declared classes.
 */
public final class IdxReader {
    private IdxReader() {}

    public static RawData read(IdxSource source, LabelSpec labels) throws DataException {
        Samples train = pair(source.images(), source.labels(), labels);
        Samples test = source.testImages() == null ? null : pair(source.testImages(), source.testLabels(), labels);
        if (test != null && !Arrays.equals(test.shape(), train.shape())) {
            throw DataException.in(source.testImages(), null, "the test samples are " + Samples.shapeText(test.shape())
                + " but the training samples are " + Samples.shapeText(train.shape()), "the test files must belong to the training files");
        }
        return RawData.of(train, test, labels == null || labels.names().isEmpty() ? null : labels.names());
    }

    private static Samples pair(Path imagesFile, Path labelsFile, LabelSpec labels) throws DataException {
        Array images = readArray(imagesFile);
        int count = images.dims[0];
        int[] shape = Arrays.copyOfRange(images.dims, 1, images.dims.length);
        if (shape.length == 0) shape = new int[] {1};
        if (labelsFile == null || labels == null || labels.encoding() == LabelSpec.Encoding.NONE) {
            return new Samples(images.values, count, shape, null, null, 0);
        }
        Samples l = readLabels(labelsFile, labels, count, imagesFile);
        return new Samples(images.values, count, shape, l.classes(), l.targets(), l.targetSize());
    }

    /**
     * The labels of {@code count} images (those of {@code imagesFile}) from one labels file, as
     * {@code labels} describes them: class indices within the declared classes, or targets. The
     * samples hold no feature values.
     */
    public static Samples readLabels(Path labelsFile, LabelSpec labels, int count, Path imagesFile) throws DataException {
        int[] classes = null;
        float[] targets = null;
        int targetSize = 0;
        Array l = readArray(labelsFile);
        if (l.dims[0] != count) {
            throw DataException.in(labelsFile, null, "`" + DataException.display(labelsFile) + "` holds " + l.dims[0]
                + " labels for " + count + " samples (the images in `" + DataException.display(imagesFile) + "`)",
                "check that the images and labels files belong together");
        }
        int per = l.values.length / count;
        if (labels.isClassification()) {
            if (per != 1) {
                throw DataException.in(labelsFile, null, "class labels are one number per sample, but `"
                    + DataException.display(labelsFile) + "` holds " + per, null);
            }
            classes = new int[count];
            for (int i = 0; i < count; i++) {
                float v = l.values[i];
                if (v != Math.rint(v) || v < 0 || v >= labels.classes()) {
                    throw DataException.in(labelsFile, "sample " + i, "the label " + fmt(v) + " of sample " + i + " in `"
                            + DataException.display(labelsFile) + "` is outside the " + labels.classes() + " declared classes (0.."
                            + (labels.classes() - 1) + ")",
                        "declare the right number of `classes`, or check the labels file");
                }
                classes[i] = (int) v;
            }
        } else {
            targets = l.values;
            targetSize = per;
        }
        return new Samples(new float[0], count, new int[] {0}, classes, targets, targetSize);
    }

    /** The samples of one IDX file, unlabelled (for prediction). */
    public static Samples readSamples(Path file) throws DataException {
        Array a = readArray(file);
        int[] shape = Arrays.copyOfRange(a.dims, 1, a.dims.length);
        if (shape.length == 0) shape = new int[] {1};
        return new Samples(a.values, a.dims[0], shape, null, null, 0);
    }

    private static String fmt(float v) { return v == Math.rint(v) ? Long.toString((long) v) : Float.toString(v); }

    /** The dimensions (first: the count) and every element as a float. */
    record Array(int[] dims, float[] values) {}

    static Array readArray(Path file) throws DataException {
        String shown = DataException.display(file);
        try (InputStream raw = DataFiles.open(file); DataInputStream in = new DataInputStream(raw)) {
            int z0 = in.read(), z1 = in.read(), type = in.read(), rank = in.read();
            if (z0 != 0 || z1 != 0 || rank <= 0) {
                throw DataException.in(file, "byte 0", "`" + shown + "` is not an IDX file", "an IDX file starts with 0x00 0x00, a type byte "
                    + "and the number of dimensions; re-download it");
            }
            int[] dims = new int[rank];
            long n = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] <= 0) throw DataException.in(file, "header", "`" + shown + "` declares a dimension of " + dims[i], null);
                n = n > Integer.MAX_VALUE ? n : n * dims[i]; // exact: stops growing once past the limit
            }
            if (n > Integer.MAX_VALUE - 8) throw DataException.in(file, "header", "`" + shown + "` holds more than 2^31 values", null);
            int bytes = switch (type) {
                case 0x08, 0x09 -> 1;
                case 0x0B -> 2;
                case 0x0C, 0x0D -> 4;
                case 0x0E -> 8;
                default -> throw DataException.in(file, "byte 2", String.format("`%s` has the unknown IDX element type 0x%02x", shown, type), null);
            };
            byte[] data = new byte[Math.toIntExact(n * bytes)];
            long header = 4 + 4L * rank;
            int read = 0;
            while (read < data.length) {
                int k = in.read(data, read, data.length - read);
                if (k < 0) {
                    long sample = dims.length > 1 ? read / bytes / (n / dims[0]) : read / bytes;
                    throw DataException.in(file, "byte offset " + (header + read), "`" + shown + "` is truncated: it ends at byte offset "
                            + (header + read) + " (" + (file.getFileName().toString().endsWith(".gz") ? "uncompressed, " : "")
                            + "within entry " + sample + " of " + dims[0] + "), but its header promises " + n + " values, "
                            + (header + (long) data.length) + " bytes in all",
                        "the download was cut short: fetch the file again");
                }
                read += k;
            }
            float[] values = new float[(int) n];
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
            switch (type) {
                case 0x08: for (int i = 0; i < values.length; i++) values[i] = data[i] & 0xFF; break;
                case 0x09: for (int i = 0; i < values.length; i++) values[i] = data[i]; break;
                case 0x0B: for (int i = 0; i < values.length; i++) values[i] = b.getShort(); break;
                case 0x0C: for (int i = 0; i < values.length; i++) values[i] = b.getInt(); break;
                case 0x0D: for (int i = 0; i < values.length; i++) values[i] = b.getFloat(); break;
                default: for (int i = 0; i < values.length; i++) values[i] = (float) b.getDouble(); break;
            }
            return new Array(dims, values);
        } catch (ZipException e) {
            throw DataException.in(file, null, "`" + shown + "` is not a gzip file (" + e.getMessage() + ")",
                "a `.gz` name means gzip-compressed; rename the file or re-download it");
        } catch (EOFException e) {
            throw DataException.in(file, "header", "`" + shown + "` is truncated inside its header", "re-download the file");
        } catch (IOException e) {
            throw DataException.in(file, null, "`" + shown + "` cannot be read: " + e.getMessage(), null);
        }
    }
}
