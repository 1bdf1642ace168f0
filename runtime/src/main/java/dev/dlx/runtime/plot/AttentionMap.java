package dev.dlx.runtime.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Attention weights as a PNG: one row per output token, one column per source token, each cell
 * as dark as its weight α<t,t'> (white 0, black 1), the tokens written along the top and the left,
 * the weight of each cell in it when the grid is small enough to read it.
 */
public final class AttentionMap {
    private AttentionMap() {}

    static final int CELL = 26;

    public static void write(Path file, String title, List<String> sourceTokens, List<String> outputTokens, float[][] weights) throws IOException {
        int rows = weights.length, cols = rows == 0 ? 0 : weights[0].length;
        if (rows != outputTokens.size() || cols != sourceTokens.size()) {
            throw new IllegalArgumentException(rows + " x " + cols + " weights for " + outputTokens.size() + " output and " + sourceTokens.size()
                + " source tokens");
        }
        int left = 70, top = 70;
        int width = left + cols * CELL + 20, height = top + rows * CELL + 20;
        width = Math.max(width, 320);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(title, 8, 18);
            g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 10));
            g.drawString("source →", left, 36);
            g.drawString("output ↓", 4, top - 6);
            Font label = new Font(Font.MONOSPACED, Font.BOLD, 14);
            Font value = new Font(Font.SANS_SERIF, Font.PLAIN, 8);
            for (int j = 0; j < cols; j++) centered(g, label, shown(sourceTokens.get(j)), left + j * CELL, top - CELL, Color.BLACK);
            for (int i = 0; i < rows; i++) {
                rightAligned(g, label, shown(outputTokens.get(i)), left - 6, top + i * CELL);
                for (int j = 0; j < cols; j++) {
                    float w = Math.max(0, Math.min(1, weights[i][j]));
                    int level = Math.round(255 * (1 - w));
                    g.setColor(new Color(level, level, level));
                    g.fillRect(left + j * CELL, top + i * CELL, CELL, CELL);
                    String v = String.format(java.util.Locale.ROOT, "%.2f", w);
                    if (v.startsWith("0")) v = v.substring(1);
                    if (w >= 0.05) centered(g, value, v, left + j * CELL,
                        top + i * CELL, w > 0.5 ? Color.WHITE : Color.BLACK);
                }
            }
            g.setColor(new Color(200, 200, 200));
            g.drawRect(left, top, cols * CELL, rows * CELL);
        } finally {
            g.dispose();
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer");
    }

    /** A space as ␣, an end token as its name. */
    private static String shown(String token) { return token.equals(" ") ? "␣" : token; }

    private static void rightAligned(Graphics2D g, Font font, String text, int right, int y) {
        g.setFont(font);
        g.setColor(Color.BLACK);
        FontMetrics m = g.getFontMetrics();
        g.drawString(text, right - m.stringWidth(text), y + (CELL + m.getAscent() - m.getDescent()) / 2);
    }

    private static void centered(Graphics2D g, Font font, String text, int x, int y, Color color) {
        g.setFont(font);
        g.setColor(color);
        FontMetrics m = g.getFontMetrics();
        int w = m.stringWidth(text);
        if (w > CELL + 8 && text.length() > 3) {
            text = text.substring(0, 3);
            w = m.stringWidth(text);
        }
        g.drawString(text, x + (CELL - w) / 2, y + (CELL + m.getAscent() - m.getDescent()) / 2);
    }
}
