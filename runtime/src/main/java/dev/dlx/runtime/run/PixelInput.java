package dev.dlx.runtime.run;

import dev.dlx.runtime.data.Normalizer;

/**
 * Pictures as a model's input: a pixel p in [0, 1] (black to white) is the value
 * {@code low + p (high - low)}, where low and high are the smallest and largest feature values of
 * the training data after the dataset's `features` steps (0 and 1 for images scaled by 1/255),
 * then normalized as in training. {@link #gradient} carries a gradient with respect to the model's
 * input back to the pixels (the chain rule through both).
 */
record PixelInput(int[] shape, double low, double high, Normalizer normalizer) {

    int size() { return shape[0] * shape[1] * shape[2]; }

    /** The values before normalization. */
    private float[] raw(float[] pixels) {
        float[] v = new float[pixels.length];
        for (int i = 0; i < v.length; i++) v[i] = (float) (low + pixels[i] * (high - low));
        return v;
    }

    /** The model's input for {@code pixels}. */
    float[] input(float[] pixels) {
        float[] x = raw(pixels);
        if (normalizer != null) normalizer.apply(x, 0, 1, x.length);
        return x;
    }

    /** The gradient with respect to the pixels, from {@code inputGradient} (with respect to {@link #input}); in place. */
    float[] gradient(float[] pixels, float[] inputGradient) {
        if (normalizer != null) normalizer.backward(raw(pixels), inputGradient, inputGradient.length);
        for (int i = 0; i < inputGradient.length; i++) inputGradient[i] *= (float) (high - low);
        return inputGradient;
    }

    /** 0..255 pixel values (as an image file holds them) as [0, 1] pixels. */
    static float[] fromBytes(float[] values) {
        float[] p = new float[values.length];
        for (int i = 0; i < p.length; i++) p[i] = Math.max(0, Math.min(1, values[i] / 255f));
        return p;
    }

    /** The pixels as a gray or RGB picture, each pixel {@code zoom} x {@code zoom} screen pixels. */
    java.awt.image.BufferedImage picture(float[] pixels, int zoom) {
        int h = shape[0], w = shape[1], c = shape[2];
        var img = new java.awt.image.BufferedImage(w * zoom, h * zoom, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < h * zoom; i++) {
            for (int j = 0; j < w * zoom; j++) {
                int at = ((i / zoom) * w + j / zoom) * c;
                int r = level(pixels[at]), g = c == 3 ? level(pixels[at + 1]) : r, b = c == 3 ? level(pixels[at + 2]) : r;
                img.setRGB(j, i, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    private static int level(float p) { return (int) Math.round(255 * Math.max(0, Math.min(1, p))); }
}
