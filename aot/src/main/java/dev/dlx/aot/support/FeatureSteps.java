package dev.dlx.aot.support;

import dev.dlx.support.Images;
import dev.dlx.support.FeatureMath;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * The dataset's `features` steps on the host, as the trainer applied them (the arithmetic is
 * {@link FeatureMath}'s and {@link Images}', shared with the trainer): reshape and flatten change
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
                FeatureMath.scale(x, f, o);
                return new Sample(x, s.shape());
            }
            case "resize": {
                int[] sh = image(s.shape(), name);
                int nh = step.get("height").getAsInt(), nw = step.get("width").getAsInt();
                float[] out = new float[nh * nw * sh[2]];
                Images.resize(s.x(), 0, sh[0], sh[1], sh[2], out, 0, nh, nw);
                return new Sample(out, new int[] {nh, nw, sh[2]});
            }
            case "grayscale": {
                int[] sh = image(s.shape(), name);
                if (sh[2] != 3) throw new IllegalArgumentException("`grayscale` needs RGB images [H, W, 3], the samples are " + Shapes.text(sh));
                int pixels = sh[0] * sh[1];
                float[] out = Images.grayscale(s.x(), pixels);
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
        int[] out = FeatureMath.reshape(ModelManifest.ints(target), elements);
        if (out == null) {
            throw new IllegalArgumentException("cannot reshape samples of shape " + Shapes.text(from) + " (" + elements + " values) to "
                + target);
        }
        return out;
    }

}
