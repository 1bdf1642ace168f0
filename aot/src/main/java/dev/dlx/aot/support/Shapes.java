package dev.dlx.aot.support;

import java.util.Arrays;

/** Shape arithmetic and checks for nested Java float arrays (row-major, as TensorFlow lays tensors out). */
public final class Shapes {
    private Shapes() {}

    /** `[8, 8, 1]`. */
    public static String text(int[] shape) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) s.append(i == 0 ? "" : ", ").append(shape[i]);
        return s.append(']').toString();
    }

    public static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    /**
     * The values of {@code array} (float[] nested {@code shape.length} deep) in row-major order,
     * appended to {@code out} at {@code offset}; throws {@link IllegalArgumentException} naming the
     * expected shape and the one found when a length differs.
     */
    public static void flatten(Object array, int[] shape, float[] out, int offset, String what) {
        if (!fill(array, shape, 0, out, new int[] {offset})) {
            throw new IllegalArgumentException(what + " must have shape " + text(shape) + ", found " + foundText(array, shape.length));
        }
    }

    private static boolean fill(Object array, int[] shape, int depth, float[] out, int[] at) {
        if (array == null) return false;
        if (depth == shape.length - 1) {
            float[] row = (float[]) array;
            if (row.length != shape[depth]) return false;
            System.arraycopy(row, 0, out, at[0], row.length);
            at[0] += row.length;
            return true;
        }
        Object[] rows = (Object[]) array;
        if (rows.length != shape[depth]) return false;
        for (Object r : rows) if (!fill(r, shape, depth + 1, out, at)) return false;
        return true;
    }

    /**
     * The shape of {@code array} as far as it is regular: `[8, 7, 1]`, with `?` where rows differ in
     * length (the first differing row is named: `[8, ? (row 3 has 7, row 0 has 8), 1]`), `null` for a
     * missing row.
     */
    static String foundText(Object array, int rank) {
        StringBuilder s = new StringBuilder("[");
        Object[] level = {array};
        for (int depth = 0; depth < rank; depth++) {
            Integer length = null;
            String odd = null;
            int total = 0;
            for (Object a : level) {
                if (a == null) { odd = "null"; break; }
                int n = depth == rank - 1 ? ((float[]) a).length : ((Object[]) a).length;
                if (length == null) length = n;
                else if (length != n && odd == null) odd = "? (lengths " + length + " and " + n + ")";
                total += n;
            }
            s.append(depth == 0 ? "" : ", ").append(odd != null ? odd : String.valueOf(length == null ? 0 : length));
            if (odd != null || depth == rank - 1) {
                for (int rest = depth + 1; rest < rank; rest++) s.append(", ?");
                break;
            }
            Object[] next = new Object[total];
            int k = 0;
            for (Object a : level) for (Object b : (Object[]) a) next[k++] = b;
            level = next;
        }
        return s.append(']').toString();
    }

    /** Splits {@code flat} into {@code count} rows of {@code width}. */
    public static float[][] rows(float[] flat, int count, int width) {
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        return out;
    }
}
