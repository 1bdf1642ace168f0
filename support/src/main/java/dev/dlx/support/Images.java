package dev.dlx.support;

/** Pixel arithmetic on images stored [H, W, C] row-major: bilinear resizing, luma. */
public final class Images {
    private Images() {}

    /** Bilinear resize with half-pixel centers (TensorFlow 2's `resize` without antialiasing). */
    public static void resize(float[] src, int srcOff, int h, int w, int c, float[] dst, int dstOff, int nh, int nw) {
        double sy = (double) h / nh, sx = (double) w / nw;
        for (int y = 0; y < nh; y++) {
            double fy = Math.max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.min((int) fy, h - 1), y1 = Math.min(y0 + 1, h - 1);
            float wy = (float) (fy - y0);
            for (int x = 0; x < nw; x++) {
                double fx = Math.max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.min((int) fx, w - 1), x1 = Math.min(x0 + 1, w - 1);
                float wx = (float) (fx - x0);
                for (int k = 0; k < c; k++) {
                    float a = src[srcOff + (y0 * w + x0) * c + k], b = src[srcOff + (y0 * w + x1) * c + k];
                    float d = src[srcOff + (y1 * w + x0) * c + k], e = src[srcOff + (y1 * w + x1) * c + k];
                    float top = a + (b - a) * wx, bottom = d + (e - d) * wx;
                    dst[dstOff + (y * nw + x) * c + k] = top + (bottom - top) * wy;
                }
            }
        }
    }

    /** ITU-R 601 luma, as TensorFlow's `rgb_to_grayscale`. */
    public static float luma(float r, float g, float b) { return 0.2989f * r + 0.5870f * g + 0.1140f * b; }

    /** The luma of each of {@code pixels} RGB pixels of {@code x}. */
    public static float[] grayscale(float[] x, int pixels) {
        float[] out = new float[pixels];
        for (int i = 0; i < pixels; i++) out[i] = luma(x[3 * i], x[3 * i + 1], x[3 * i + 2]);
        return out;
    }
}
