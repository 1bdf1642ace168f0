package dev.dlx.aot.support;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * The dataset's `features` steps on the host, as the trainer applied them: reshape and flatten change
 * only the shape, scale is x * factor + offset in float32, resize is bilinear with half-pixel centers
 * on [H, W, C], grayscale is ITU-R 601 luma.
 */
public final class FeatureSteps {
    private FeatureSteps() {}

    /** A sample's values and shape. */
    public record Sample(float[] x, int[] shape) {}

    public static Sample apply(List<JsonObject> steps, Sample in) {
        Sample s = in;
        for (JsonObject step : steps) s = apply(step, s);
        return s;
    }

    private static Sample apply(JsonObject step, Sample s) {
        String name = step.get("step").getAsString();
        int d = s.x().length;
        switch (name) {
            case "reshape": return new Sample(s.x(), resolve(step.getAsJsonArray("shape"), d, s.shape()));
            case "flatten": return new Sample(s.x(), new int[] {d});
            case "scale": {
                float f = step.get("factor").getAsFloat(), o = step.get("offset").getAsFloat();
                float[] x = s.x().clone();
                for (int i = 0; i < x.length; i++) x[i] = x[i] * f + o;
                return new Sample(x, s.shape());
            }
            case "resize": {
                int[] sh = image(s.shape(), name);
                int nh = step.get("height").getAsInt(), nw = step.get("width").getAsInt();
                float[] out = new float[nh * nw * sh[2]];
                resize(s.x(), sh[0], sh[1], sh[2], out, nh, nw);
                return new Sample(out, new int[] {nh, nw, sh[2]});
            }
            case "grayscale": {
                int[] sh = image(s.shape(), name);
                if (sh[2] != 3) throw new IllegalArgumentException("`grayscale` needs RGB images [H, W, 3], the samples are " + Shapes.text(sh));
                int pixels = sh[0] * sh[1];
                float[] out = new float[pixels];
                float[] x = s.x();
                for (int i = 0; i < pixels; i++) out[i] = 0.2989f * x[3 * i] + 0.5870f * x[3 * i + 1] + 0.1140f * x[3 * i + 2];
                return new Sample(out, new int[] {sh[0], sh[1], 1});
            }
            default: throw new IllegalArgumentException("unknown feature step `" + name + "`");
        }
    }

    private static int[] image(int[] shape, String step) {
        if (shape.length != 3) throw new IllegalArgumentException("`" + step + "` works on images [H, W, C], the samples are " + Shapes.text(shape));
        return shape;
    }

    /** The target with a -1 filled in from the element count. */
    private static int[] resolve(JsonArray target, int elements, int[] from) {
        int[] out = ModelManifest.ints(target);
        long known = 1;
        int unknown = -1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] < 0) unknown = i;
            else known *= out[i];
        }
        if (unknown >= 0 && known > 0 && elements % known == 0) out[unknown] = (int) (elements / known);
        if (Shapes.size(out) != elements || (unknown >= 0 && out[unknown] < 0)) {
            throw new IllegalArgumentException("cannot reshape samples of shape " + Shapes.text(from) + " (" + elements + " values) to "
                + target);
        }
        return out;
    }

    /** Bilinear resize with half-pixel centers (TensorFlow 2's `resize` without antialiasing), as the trainer's. */
    static void resize(float[] src, int h, int w, int c, float[] dst, int nh, int nw) {
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
                    float a = src[(y0 * w + x0) * c + k], b = src[(y0 * w + x1) * c + k];
                    float d = src[(y1 * w + x0) * c + k], e = src[(y1 * w + x1) * c + k];
                    float top = a + (b - a) * wx, bottom = d + (e - d) * wx;
                    dst[(y * nw + x) * c + k] = top + (bottom - top) * wy;
                }
            }
        }
    }
}
