package dev.dlx.runtime.data;

import dev.dlx.support.FeatureMath;
import dev.dlx.support.Images;
import dev.dlx.compiler.data.FeatureStep;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.Shape;
import java.nio.file.Path;
import java.util.List;

/**
 * The `features` steps, applied to every sample in order (on the host, once, at loading):
 * reshape and flatten change only the sample shape, scale is x * factor + offset, resize is bilinear
 * on [H, W, C] images, grayscale turns RGB into luma.
 */
public final class FeatureProcessor {
    private FeatureProcessor() {}

    public static Samples apply(List<FeatureStep> steps, Samples in, Path file) throws DataException {
        Samples s = in;
        for (FeatureStep step : steps) s = apply(step, s, file);
        return s;
    }

    private static Samples apply(FeatureStep step, Samples s, Path file) throws DataException {
        int d = s.sampleSize();
        if (step instanceof FeatureStep.Reshape r) {
            int[] target = resolve(r.target(), d, s.shape(), file);
            return s.withFeatures(s.x(), target);
        }
        if (step instanceof FeatureStep.Flatten) return s.withFeatures(s.x(), new int[] {d});
        if (step instanceof FeatureStep.Scale sc) {
            float f = (float) sc.factor(), o = (float) sc.offset();
            FeatureMath.scale(s.x(), f, o);
            return s;
        }
        if (step instanceof FeatureStep.Resize rs) {
            int[] sh = image(s.shape(), "resize", file);
            int h = sh[0], w = sh[1], c = sh[2];
            int nd = rs.height() * rs.width() * c;
            float[] out = new float[Math.multiplyExact(s.count(), nd)];
            for (int i = 0; i < s.count(); i++) Images.resize(s.x(), i * d, h, w, c, out, i * nd, rs.height(), rs.width());
            return s.withFeatures(out, new int[] {rs.height(), rs.width(), c});
        }
        if (step instanceof FeatureStep.Grayscale) {
            int[] sh = image(s.shape(), "grayscale", file);
            if (sh[2] != 3) {
                throw DataException.in(file, null, "`grayscale` needs RGB images [H, W, 3], the samples are " + Samples.shapeText(sh), null);
            }
            int pixels = sh[0] * sh[1];
            float[] out = Images.grayscale(s.x(), s.count() * pixels);
            return s.withFeatures(out, new int[] {sh[0], sh[1], 1});
        }
        throw new IllegalArgumentException("unknown feature step " + step.name());
    }

    private static int[] image(int[] shape, String step, Path file) throws DataException {
        if (shape.length != 3) {
            throw DataException.in(file, null, "`" + step + "` works on images [H, W, C], but the samples are " + Samples.shapeText(shape),
                "reshape them first: `features reshape [H, W, C]`");
        }
        return shape;
    }

    /** The target shape with a `?` filled in from the element count. */
    private static int[] resolve(Shape target, int elements, int[] from, Path file) throws DataException {
        int[] dims = new int[target.rank()];
        for (int i = 0; i < dims.length; i++) {
            Dim dim = target.dim(i);
            dims[i] = dim.known() ? Math.toIntExact(dim.size()) : -1;
        }
        int[] out = FeatureMath.reshape(dims, elements);
        if (out == null) {
            throw DataException.in(file, null, "cannot reshape samples of shape " + Samples.shapeText(from) + " (" + elements
                + " values) to " + target, "the new shape must hold the same number of values");
        }
        return out;
    }
}
