package dev.dlx.runtime.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The arrays of a NumPy `.npz` file written outside dlx (`np.savez` or `np.savez_compressed`): each
 * `NAME.npy` entry as float32 values with its shape. Little-endian float32, float64, int32 and int64
 * in C order are read; anything else is an error naming the array. Every array is bounded by the
 * entry's size, so a header that claims more values than the file holds is refused.
 */
public final class NumpyArrays {
    private NumpyArrays() {}

    /** One array: its values (converted to float32) and shape. */
    public record Array(float[] values, long[] shape) {}

    /** Larger entries are refused: a weight file of this size is not a model's. */
    static final long MAX_ENTRY_BYTES = Integer.MAX_VALUE - 8;

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=]?)([a-zA-Z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    public static Map<String, Array> read(Path file) throws IOException {
        Map<String, Array> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory() || !e.getName().endsWith(".npy")) continue;
                String name = e.getName().substring(0, e.getName().length() - 4);
                if (e.getSize() >= MAX_ENTRY_BYTES) throw new IOException("`" + name + "` in `" + file + "` is larger than 2 GiB");
                byte[] data;
                try (InputStream in = zip.getInputStream(e)) {
                    data = in.readNBytes((int) (e.getSize() < 0 ? MAX_ENTRY_BYTES : e.getSize()));
                    if (e.getSize() < 0 && in.read() >= 0) throw new IOException("`" + name + "` in `" + file + "` is larger than 2 GiB");
                }
                out.put(name, parse(data, name, file));
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException("`" + file + "` is not a readable .npz file (" + e.getMessage() + ")", e);
        }
        return out;
    }

    static Array parse(byte[] data, String name, Path file) throws IOException {
        String where = "`" + name + "` in `" + file + "`";
        if (data.length < 10 || (data[0] & 0xFF) != 0x93 || data[1] != 'N') throw new IOException(where + " is not a .npy array");
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int major = data[6];
        int headerLength = major == 1 ? (b.getShort(8) & 0xFFFF) : b.getInt(8);
        int start = (major == 1 ? 10 : 12) + headerLength;
        if (headerLength < 0 || start > data.length) throw new IOException(where + " has a damaged header");
        String header = new String(data, major == 1 ? 10 : 12, headerLength, StandardCharsets.US_ASCII);
        Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) throw new IOException(where + " has no dtype or shape in its header: " + header.trim());
        if (d.group(1).equals(">")) throw new IOException(where + " is big-endian; save it little-endian (`a.astype('<f4')`)");
        if (f.find() && f.group(1).equals("True")) throw new IOException(where + " is in Fortran order; save it in C order (`np.ascontiguousarray`)");
        int bytes = Integer.parseInt(d.group(3));
        boolean floating = d.group(2).equals("f");
        if (!(d.group(2).equals("f") || d.group(2).equals("i")) || (bytes != 4 && bytes != 8)) {
            throw new IOException(where + " holds " + d.group(2) + bytes + " values; float32, float64, int32 and int64 are read");
        }
        String[] dims = s.group(1).split(",");
        long count = 1;
        java.util.List<Long> shape = new java.util.ArrayList<>();
        for (String dim : dims) {
            if (dim.isBlank()) continue;
            long v = Long.parseLong(dim.trim());
            if (v < 0) throw new IOException(where + " has a negative dimension");
            shape.add(v);
            count = Math.multiplyExact(count, v);
        }
        if (count > (data.length - start) / bytes) {
            throw new IOException(where + " claims " + count + " values, but holds " + (data.length - start) / bytes);
        }
        float[] values = new float[(int) count];
        b.position(start);
        for (int i = 0; i < values.length; i++) {
            values[i] = floating ? (bytes == 4 ? b.getFloat() : (float) b.getDouble()) : (bytes == 4 ? b.getInt() : (float) b.getLong());
        }
        return new Array(values, shape.stream().mapToLong(Long::longValue).toArray());
    }
}
