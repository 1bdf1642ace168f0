package dev.dlx.runtime.graph;

import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.family.TFloating;

/**
 * Conversions between flat Java arrays (row-major, as checkpoints store them) and tensors of
 * either precision. Every tensor returned here is owned by the caller, who must close it.
 */
public final class Tensors {
    private Tensors() {}

    /** A tensor of {@code type} holding {@code values}, converted to its precision. */
    public static <T extends TFloating> T of(Class<T> type, long[] shape, double[] values) {
        check(shape, values.length);
        if (type == TFloat64.class) return type.cast(TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false)));
        if (type == TFloat32.class) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
            return type.cast(TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(f, true, false)));
        }
        throw new IllegalArgumentException("unsupported precision " + type.getSimpleName());
    }

    /** A tensor of {@code type} holding {@code values}, converted to its precision. */
    public static <T extends TFloating> T of(Class<T> type, long[] shape, float[] values) {
        check(shape, values.length);
        if (type == TFloat32.class) return type.cast(TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false)));
        if (type == TFloat64.class) {
            double[] d = new double[values.length];
            for (int i = 0; i < d.length; i++) d[i] = values[i];
            return type.cast(TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(d, true, false)));
        }
        throw new IllegalArgumentException("unsupported precision " + type.getSimpleName());
    }

    /** The elements of a float32 or float64 tensor, in row-major order. */
    public static double[] doubles(Tensor t) {
        double[] out = new double[Math.toIntExact(t.shape().size())];
        if (t instanceof TFloat64 d) {
            d.copyTo(DataBuffers.of(out, false, false));
        } else if (t instanceof TFloat32 f) {
            float[] tmp = new float[out.length];
            f.copyTo(DataBuffers.of(tmp, false, false));
            for (int i = 0; i < out.length; i++) out[i] = tmp[i];
        } else {
            throw new IllegalArgumentException("not a floating-point tensor: " + t.dataType());
        }
        return out;
    }

    /** The elements of a float32 or float64 tensor, in row-major order, as floats. */
    public static float[] floats(Tensor t) {
        float[] out = new float[Math.toIntExact(t.shape().size())];
        if (t instanceof TFloat32 f) {
            f.copyTo(DataBuffers.of(out, false, false));
        } else if (t instanceof TFloat64 d) {
            double[] tmp = new double[out.length];
            d.copyTo(DataBuffers.of(tmp, false, false));
            for (int i = 0; i < out.length; i++) out[i] = (float) tmp[i];
        } else {
            throw new IllegalArgumentException("not a floating-point tensor: " + t.dataType());
        }
        return out;
    }

    /** The first element as a double (for scalars such as a loss). */
    public static double scalar(Tensor t) { return doubles(t)[0]; }

    private static void check(long[] shape, int length) {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        if (n != length) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " holds " + n
                + " values, found " + length);
        }
    }
}
