package dev.dlx.runtime.run;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Generated images as one picture: {@code count} images [h, w, 1 or 3] in rows of
 * ceil(sqrt(count)), each pixel scaled up to at least 56 pixels a side. Values in [0, 1] map to 0..255;
 * when some are negative the images are taken to lie in [-1, 1] (a tanh output). Values outside are clipped.
 */
public final class ImageGrid {
    private ImageGrid() {}

    public static BufferedImage render(float[] v, int count, int h, int w, int channels) {
        int cols = (int) Math.ceil(Math.sqrt(count)), rows = (count + cols - 1) / cols;
        int scale = Math.max(1, (56 + Math.max(h, w) - 1) / Math.max(h, w)), gap = 2;
        boolean signed = false;
        for (int i = 0; i < count * h * w * channels; i++) if (v[i] < 0) signed = true;
        BufferedImage img = new BufferedImage(cols * (w * scale + gap) + gap, rows * (h * scale + gap) + gap, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, 0x4060A0);
        int size = h * w * channels;
        for (int k = 0; k < count; k++) {
            int ox = gap + (k % cols) * (w * scale + gap), oy = gap + (k / cols) * (h * scale + gap);
            for (int i = 0; i < h * scale; i++) {
                for (int j = 0; j < w * scale; j++) {
                    int at = k * size + ((i / scale) * w + j / scale) * channels;
                    int r = level(v[at], signed), g = channels == 3 ? level(v[at + 1], signed) : r, b = channels == 3 ? level(v[at + 2], signed) : r;
                    img.setRGB(ox + j, oy + i, (r << 16) | (g << 8) | b);
                }
            }
        }
        return img;
    }

    private static int level(float x, boolean signed) {
        double unit = signed ? (x + 1) / 2 : x;
        return (int) Math.round(255 * Math.max(0, Math.min(1, unit)));
    }

    public static void write(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(image, "png", file.toFile())) throw new IOException("no PNG writer for " + file);
    }
}
