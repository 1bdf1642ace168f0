package dev.dlx.runtime.run;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/** The pictures and tables of `dlxc show`: a confusion matrix, and channels as a grid of gray tiles. */
final class Pictures {
    private Pictures() {}

    /** The matrix as text: a header of predicted classes, a row per true class, with its recall. */
    static String table(long[][] m, List<String> names) {
        int w = 5;
        for (String n : names) w = Math.max(w, Math.min(12, n.length()));
        for (long[] row : m) for (long v : row) w = Math.max(w, Long.toString(v).length());
        StringBuilder s = new StringBuilder();
        String cell = "%" + (w + 1) + "s";
        s.append(String.format(Locale.ROOT, "%-" + (w + 1) + "s", "true\\pred"));
        for (String n : names) s.append(String.format(Locale.ROOT, cell, cut(n, 12)));
        s.append("   recall\n");
        for (int t = 0; t < m.length; t++) {
            s.append(String.format(Locale.ROOT, "%-" + (w + 1) + "s", cut(names.get(t), 12)));
            long total = 0;
            for (long v : m[t]) total += v;
            for (long v : m[t]) s.append(String.format(Locale.ROOT, cell, v));
            s.append(total == 0 ? "        -" : String.format(Locale.ROOT, "   %.4f", (double) m[t][t] / total)).append('\n');
        }
        return s.toString();
    }

    static String cut(String s, int n) { return s.length() <= n ? s : s.substring(0, n - 1) + "~"; }

    /** Cells shaded by the share of their row (the true class), with the counts written in. */
    static BufferedImage picture(long[][] m, List<String> names) {
        int k = m.length, cellSize = Math.max(24, Math.min(64, 640 / Math.max(1, k))), margin = 110;
        BufferedImage img = new BufferedImage(margin + k * cellSize + 20, margin + k * cellSize + 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, cellSize / 3)));
        for (int t = 0; t < k; t++) {
            long total = 0;
            for (long v : m[t]) total += v;
            for (int p = 0; p < k; p++) {
                double share = total == 0 ? 0 : (double) m[t][p] / total;
                int shade = (int) Math.round(255 * (1 - share));
                g.setColor(new Color(shade, shade, 255));
                g.fillRect(margin + p * cellSize, margin + t * cellSize, cellSize, cellSize);
                g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                String text = Long.toString(m[t][p]);
                g.drawString(text, margin + p * cellSize + (cellSize - g.getFontMetrics().stringWidth(text)) / 2,
                    margin + t * cellSize + cellSize / 2 + g.getFontMetrics().getAscent() / 3);
            }
            g.setColor(Color.BLACK);
            g.drawString(cut(names.get(t), 14), 4, margin + t * cellSize + cellSize / 2 + 4);
        }
        for (int p = 0; p < k; p++) {
            Graphics2D r = (Graphics2D) g.create();
            r.rotate(-Math.PI / 2, margin + p * cellSize + cellSize / 2.0, margin - 6);
            r.drawString(cut(names.get(p), 14), margin + p * cellSize + cellSize / 2, margin - 6);
            r.dispose();
        }
        g.drawString("true class (rows), predicted (columns)", 4, 14);
        g.dispose();
        return img;
    }

    /** Channel k of [h, w, channels] values as a gray tile, each stretched to its own range, tiles in rows of ceil(sqrt(channels)); {@code low} 0 or 1: the darkest value is the tile's minimum, or 0. */
    static BufferedImage grid(float[] v, int h, int w, int channels, int low) {
        int cols = (int) Math.ceil(Math.sqrt(channels)), rows = (channels + cols - 1) / cols;
        int scale = Math.max(1, Math.min(8, 64 / Math.max(h, w))), gap = 2;
        BufferedImage img = new BufferedImage(cols * (w * scale + gap) + gap, rows * (h * scale + gap) + gap, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) img.setRGB(x, y, 0x4060A0);
        for (int k = 0; k < channels; k++) {
            float lo = low == 1 ? 0 : Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < h * w; i++) {
                lo = Math.min(lo, v[i * channels + k]);
                hi = Math.max(hi, v[i * channels + k]);
            }
            int ox = gap + (k % cols) * (w * scale + gap), oy = gap + (k / cols) * (h * scale + gap);
            for (int i = 0; i < h * scale; i++) {
                for (int j = 0; j < w * scale; j++) {
                    float val = v[((i / scale) * w + j / scale) * channels + k];
                    int gray = hi > lo ? (int) Math.round(255 * (val - lo) / (hi - lo)) : 0;
                    img.setRGB(ox + j, oy + i, (gray << 16) | (gray << 8) | gray);
                }
            }
        }
        return img;
    }
}
