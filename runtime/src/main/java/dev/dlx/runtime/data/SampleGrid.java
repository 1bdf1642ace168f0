package dev.dlx.runtime.data;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A PNG of training samples as the model sees them before normalization: one row per sample, the
 * original in the first column and augmented variants beside it, each upscaled with nearest
 * neighbour, the row labelled with its class name. Values are mapped to gray levels (one channel)
 * or colors (three channels) by the value range of the whole training split, the same for every
 * cell, so brightness and contrast changes stay visible; values outside it are clipped.
 */
public final class SampleGrid {
    private static final int GAP = 4;
    private static final int HEADER = 20;
    /** Cells are scaled up to at least this many pixels a side. */
    private static final int MIN_CELL = 84;

    private SampleGrid() {}

    /**
     * @param set      the training split
     * @param augmenter the split's augmentations, or null (the grid then shows originals only)
     * @param classNames class names by index, or null
     * @param samples  rows
     * @param variants augmented variants per row
     * @param seed     chooses the samples and draws the augmentations
     */
    public static BufferedImage render(SampleSet set, Augmenter augmenter, List<String> classNames, int samples, int variants, long seed) {
        return render(set, augmenter, classNames, samples, variants, seed, 0);
    }

    /**
     * As above; with {@code boxRows > 0} the samples' targets are box rows (`source coco`, `source
     * yolo`) and each cell shows its boxes, moved with the augmented pixels.
     */
    public static BufferedImage render(SampleSet set, Augmenter augmenter, List<String> classNames, int samples, int variants, long seed,
                                       int boxRows) {
        Samples base = set.base();
        int[] shape = base.shape();
        if (shape.length != 3) throw new IllegalArgumentException("images [H, W, C] only");
        int h = shape[0], w = shape[1], c = shape[2], d = base.sampleSize();
        int columns = 1 + (augmenter == null || augmenter.isEmpty() ? 0 : variants);
        int[] chosen = choose(set, samples, seed);
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i : set.index()) {
            for (int j = 0; j < d; j++) {
                float v = base.x()[i * d + j];
                if (v < lo) lo = v;
                if (v > hi) hi = v;
            }
        }
        if (!(hi > lo)) hi = lo + 1;
        int scale = Math.max(1, (MIN_CELL + Math.max(h, w) - 1) / Math.max(h, w));
        int cellH = h * scale, cellW = w * scale;

        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        FontMetrics fm = pg.getFontMetrics(font);
        int labelW = 0;
        for (int i : chosen) labelW = Math.max(labelW, fm.stringWidth(label(base, i, classNames)));
        pg.dispose();
        labelW += 2 * GAP;

        int width = labelW + columns * (cellW + GAP) + GAP;
        int height = HEADER + chosen.length * (cellH + GAP) + GAP;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(font);
        g.drawString("original", labelW, HEADER - 6);
        if (columns > 1) g.drawString("augmented (" + String.join(", ", augmenter.names()) + ")", labelW + cellW + GAP, HEADER - 6);

        float[] buf = new float[d];
        int boxWidth = boxRows * dev.dlx.compiler.data.LabelSpec.BOX_VALUES;
        float[] boxes = new float[boxWidth];
        Random rng = new Random(seed);
        for (int row = 0; row < chosen.length; row++) {
            int s = chosen[row];
            int top = HEADER + row * (cellH + GAP);
            g.setColor(Color.BLACK);
            g.drawString(label(base, s, classNames), GAP, top + cellH / 2 + fm.getAscent() / 2);
            for (int col = 0; col < columns; col++) {
                System.arraycopy(base.x(), s * d, buf, 0, d);
                if (col > 0) augmenter.apply(buf, 0, rng);
                paint(out, buf, h, w, c, scale, labelW + col * (cellW + GAP), top, lo, hi);
                if (boxRows > 0 && base.hasTargets()) {
                    System.arraycopy(base.targets(), s * boxWidth, boxes, 0, boxWidth);
                    if (col > 0) augmenter.moveBoxes(boxes, 0, boxRows);
                    dev.dlx.runtime.detect.BoxPicture.draw(g, dev.dlx.runtime.detect.BoxPicture.rows(boxes, 0, boxRows), classNames,
                        labelW + col * (cellW + GAP), top, cellW, cellH, false);
                }
            }
        }
        g.dispose();
        return out;
    }

    /** Writes the grid as PNG, creating the folder. */
    public static void write(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(image, "png", file.toFile())) throw new IOException("no PNG writer");
    }

    private static String label(Samples base, int i, List<String> names) {
        if (!base.hasClasses()) return "#" + i;
        int k = base.classes()[i];
        return names != null && k < names.size() ? names.get(k) : "class " + k;
    }

    /** Samples spread over the classes (one of each in turn), in an order the seed shuffles. */
    static int[] choose(SampleSet set, int n, long seed) {
        int[] order = Splitter.order(set.size(), true, new Random(seed));
        n = Math.min(n, set.size());
        if (!set.base().hasClasses()) {
            int[] out = new int[n];
            for (int i = 0; i < n; i++) out[i] = set.index()[order[i]];
            return out;
        }
        int classes = 0;
        for (int i = 0; i < set.size(); i++) classes = Math.max(classes, set.classOf(i) + 1);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int k = 0; k < classes; k++) byClass.add(new ArrayList<>());
        for (int p : order) byClass.get(set.classOf(p)).add(set.index()[p]);
        int[] out = new int[n];
        int filled = 0;
        for (int round = 0; filled < n; round++) {
            for (int k = 0; k < classes && filled < n; k++) if (round < byClass.get(k).size()) out[filled++] = byClass.get(k).get(round);
        }
        return out;
    }

    private static void paint(BufferedImage out, float[] x, int h, int w, int c, int scale, int left, int top, float lo, float hi) {
        float k = 255f / (hi - lo);
        for (int r = 0; r < h; r++) {
            for (int col = 0; col < w; col++) {
                int p = (r * w + col) * c;
                int rgb;
                if (c == 3) {
                    rgb = (level(x[p], lo, k) << 16) | (level(x[p + 1], lo, k) << 8) | level(x[p + 2], lo, k);
                } else {
                    int v = level(x[p], lo, k);
                    rgb = (v << 16) | (v << 8) | v;
                }
                for (int dy = 0; dy < scale; dy++) for (int dx = 0; dx < scale; dx++) out.setRGB(left + col * scale + dx, top + r * scale + dy, rgb);
            }
        }
    }

    private static int level(float v, float lo, float k) {
        int l = Math.round((v - lo) * k);
        return l < 0 ? 0 : l > 255 ? 255 : l;
    }
}
