package dev.dlx.runtime.detect;

import dev.dlx.compiler.data.LabelSpec;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Draws boxes (corners as fractions of the image) over a picture: a colour per class, its name and, for predictions, the probability. */
public final class BoxPicture {
    private BoxPicture() {}

    private static final Color[] COLORS = {
        new Color(230, 25, 75), new Color(60, 180, 75), new Color(255, 225, 25), new Color(0, 130, 200), new Color(245, 130, 48),
        new Color(145, 30, 180), new Color(70, 240, 240), new Color(240, 50, 230), new Color(210, 245, 60), new Color(250, 190, 212)};

    /** The boxes of box rows (class, x0, y0, x1, y1) at {@code off}, rows with class -1 left out. */
    public static List<Box> rows(float[] y, int off, int rows) {
        List<Box> out = new ArrayList<>();
        for (int k = 0; k < rows; k++) {
            int o = off + k * LabelSpec.BOX_VALUES;
            if (y[o] < 0 || !(y[o + 3] >= y[o + 1]) || !(y[o + 4] >= y[o + 2])) continue;
            out.add(Box.truth(y[o + 1], y[o + 2], y[o + 3], y[o + 4], Math.round(y[o])));
        }
        return out;
    }

    /**
     * Draws {@code boxes} into the picture's area ({@code left}, {@code top}, {@code width} x
     * {@code height}); {@code scores} adds each box's probability to its name.
     */
    public static void draw(Graphics2D g, List<Box> boxes, List<String> names, int left, int top, int width, int height, boolean scores) {
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 10);
        g.setFont(font);
        g.setStroke(new BasicStroke(1.5f));
        for (Box b : boxes) {
            Color color = COLORS[Math.floorMod(b.cls(), COLORS.length)];
            int x0 = left + (int) Math.round(b.x0() * width), y0 = top + (int) Math.round(b.y0() * height);
            int x1 = left + (int) Math.round(b.x1() * width), y1 = top + (int) Math.round(b.y1() * height);
            g.setColor(color);
            g.drawRect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
            String name = names != null && b.cls() >= 0 && b.cls() < names.size() ? names.get(b.cls()) : "class " + b.cls();
            String text = scores ? name + " " + String.format(Locale.ROOT, "%.2f", b.score()) : name;
            int tw = g.getFontMetrics().stringWidth(text) + 4, th = g.getFontMetrics().getHeight();
            int ty = Math.max(top, y0 - th);
            g.fillRect(x0, ty, tw, th);
            g.setColor(color.getRed() + color.getGreen() + color.getBlue() > 450 ? Color.BLACK : Color.WHITE);
            g.drawString(text, x0 + 2, ty + th - g.getFontMetrics().getDescent());
        }
    }
}
