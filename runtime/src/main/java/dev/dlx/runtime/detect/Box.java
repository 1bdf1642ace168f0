package dev.dlx.runtime.detect;

/**
 * An axis-aligned box by its corners, {@code x0 <= x1} and {@code y0 <= y1}, in any one unit
 * (pixels or fractions of the image) as long as every box compared with it uses the same.
 * {@code cls} is the class index and {@code score} the predicted probability (1 for a true box).
 */
public record Box(double x0, double y0, double x1, double y1, int cls, double score) {
    public Box {
        if (!(x0 <= x1) || !(y0 <= y1)) {
            throw new IllegalArgumentException("a box needs x0 <= x1 and y0 <= y1, found (" + x0 + ", " + y0 + ", " + x1 + ", " + y1 + ")");
        }
    }

    /** A true box of class {@code cls}. */
    public static Box truth(double x0, double y0, double x1, double y1, int cls) {
        return new Box(x0, y0, x1, y1, cls, 1.0);
    }

    /** From its centre and size, as YOLO and the head predict it. */
    public static Box centred(double cx, double cy, double w, double h, int cls, double score) {
        return new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, cls, score);
    }

    public double width() { return x1 - x0; }
    public double height() { return y1 - y0; }
    public double area() { return width() * height(); }
    public double centreX() { return (x0 + x1) / 2; }
    public double centreY() { return (y0 + y1) / 2; }
}
