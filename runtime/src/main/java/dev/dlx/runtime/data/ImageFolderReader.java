package dev.dlx.runtime.data;

import dev.dlx.support.Images;
import dev.dlx.compiler.data.ImageFolderSource;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads `source images`: one subfolder per class (sorted names are the classes), or a flat folder
 * of unlabelled images. Every file that Java's ImageIO decodes (PNG, JPEG, BMP, GIF) is resized to
 * the declared size (bilinear) and kept as values 0..255, in RGB or grayscale.
 */
public final class ImageFolderReader {
    private ImageFolderReader() {}

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    public static RawData read(ImageFolderSource source) throws DataException {
        List<String> classes = source.classFolders().isEmpty() ? subfolders(source.dir()) : source.classFolders();
        Samples train = folder(source, source.dir(), classes);
        Samples test = source.testDir() == null ? null : folder(source, source.testDir(), classes);
        return RawData.of(train, test, classes.isEmpty() ? null : classes);
    }

    private static List<String> subfolders(Path dir) throws DataException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw DataException.in(dir, null, "cannot list `" + DataException.display(dir) + "`: " + e.getMessage(), null);
        }
    }

    private static Samples folder(ImageFolderSource source, Path dir, List<String> classes) throws DataException {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        if (classes.isEmpty()) {
            for (Path f : images(dir)) {
                files.add(f);
                labels.add(-1);
            }
        } else {
            for (int k = 0; k < classes.size(); k++) {
                Path sub = dir.resolve(classes.get(k));
                if (!Files.isDirectory(sub)) {
                    throw DataException.in(dir, null, "`" + DataException.display(dir) + "` has no folder for class `" + classes.get(k) + "`",
                        "the test folder needs the same class subfolders as the training folder");
                }
                for (Path f : images(sub)) {
                    files.add(f);
                    labels.add(k);
                }
            }
        }
        if (files.isEmpty()) {
            throw DataException.in(dir, null, "`" + DataException.display(dir) + "` holds no images", "PNG, JPEG, BMP and GIF files are read");
        }
        int h = source.height(), w = source.width(), c = source.color().channels();
        int d = h * w * c;
        float[] x = new float[Math.multiplyExact(files.size(), d)];
        for (int i = 0; i < files.size(); i++) decode(files.get(i), h, w, c, x, i * d);
        int[] classIdx = classes.isEmpty() ? null : labels.stream().mapToInt(Integer::intValue).toArray();
        return new Samples(x, files.size(), new int[] {h, w, c}, classIdx, null, 0);
    }

    private static List<Path> images(Path dir) throws DataException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                .filter(p -> EXTENSIONS.stream().anyMatch(e -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(e)))
                .sorted().toList();
        } catch (IOException e) {
            throw DataException.in(dir, null, "cannot list `" + DataException.display(dir) + "`: " + e.getMessage(), null);
        }
    }

    /**
     * One image file as the `images` source reads it: resized to {@code h} x {@code w} (bilinear),
     * {@code c} = 1 (luma) or 3 (RGB) channels, values 0..255, [H, W, C] row-major.
     */
    public static float[] decode(Path file, int h, int w, int c) throws DataException {
        if (!Files.isRegularFile(file)) {
            throw DataException.in(file, null, "`" + DataException.display(file) + "` " + (Files.exists(file) ? "is not a file" : "does not exist"), null);
        }
        float[] out = new float[h * w * c];
        decode(file, h, w, c, out, 0);
        return out;
    }

    static void decode(Path file, int h, int w, int c, float[] out, int offset) throws DataException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            img = null;
        }
        if (img == null) {
            throw DataException.in(file, null, "`" + DataException.display(file) + "` is not an image Java can decode", "use PNG, JPEG, BMP or GIF");
        }
        int ih = img.getHeight(), iw = img.getWidth();
        float[] src = new float[ih * iw * c];
        int[] rgb = img.getRGB(0, 0, iw, ih, null, 0, iw);
        for (int p = 0; p < rgb.length; p++) {
            float r = (rgb[p] >> 16) & 0xFF, g = (rgb[p] >> 8) & 0xFF, b = rgb[p] & 0xFF;
            if (c == 1) {
                src[p] = Images.luma(r, g, b);
            } else {
                src[3 * p] = r;
                src[3 * p + 1] = g;
                src[3 * p + 2] = b;
            }
        }
        if (ih == h && iw == w) System.arraycopy(src, 0, out, offset, src.length);
        else Images.resize(src, 0, ih, iw, c, out, offset, h, w);
    }
}
