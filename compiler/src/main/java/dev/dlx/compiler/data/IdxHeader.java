package dev.dlx.compiler.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipException;

/**
 * The header of an IDX file (the format MNIST ships in): two zero bytes, a type byte, the number
 * of dimensions, then each dimension as a big-endian 32-bit integer. The first dimension counts
 * the samples. Only these bytes are read (through gzip for `.gz` names).
 */
record IdxHeader(IdxSource.ElementType type, List<Long> dims) {

    /** A malformed header, with the byte offset (in the decompressed stream) where reading failed. */
    static final class FormatException extends Exception {
        private static final long serialVersionUID = 1L;

        final long offset;

        FormatException(long offset, String message) {
            super(message);
            this.offset = offset;
        }
    }

    IdxHeader { dims = List.copyOf(dims); }

    long count() { return dims.get(0); }

    /** Dimensions after the first: the shape of one sample. */
    List<Long> sampleDims() { return dims.subList(1, dims.size()); }

    long headerBytes() { return 4 + 4L * dims.size(); }

    static IdxHeader read(Path file) throws IOException, FormatException {
        try (InputStream raw = DataFiles.open(file); DataInputStream in = new DataInputStream(raw)) {
            int z0 = byteAt(in, 0), z1 = byteAt(in, 1);
            if (z0 != 0 || z1 != 0) {
                throw new FormatException(0, String.format("not an IDX file: it starts with bytes 0x%02x 0x%02x, not 0x00 0x00", z0, z1));
            }
            int code = byteAt(in, 2);
            IdxSource.ElementType type = IdxSource.ElementType.of(code);
            if (type == null) throw new FormatException(2, String.format("unknown IDX element type 0x%02x", code));
            int rank = byteAt(in, 3);
            if (rank == 0) throw new FormatException(3, "the header declares 0 dimensions");
            List<Long> dims = new ArrayList<>();
            for (int i = 0; i < rank; i++) {
                long offset = 4 + 4L * i;
                int d;
                try {
                    d = in.readInt();
                } catch (EOFException e) {
                    throw new FormatException(offset, "truncated header: dimension " + (i + 1) + " of " + rank + " is missing");
                }
                if (d <= 0) throw new FormatException(offset, "dimension " + (i + 1) + " is " + Integer.toUnsignedString(d) + ", not a positive size");
                dims.add((long) d);
            }
            IdxHeader h = new IdxHeader(type, dims);
            if (!file.getFileName().toString().endsWith(".gz")) {
                long size = Files.size(file);
                long expected = dev.dlx.compiler.shape.Shape.saturatingMultiply(h.elementCount(), type.bytes());
                expected = expected > Long.MAX_VALUE - h.headerBytes() ? Long.MAX_VALUE : expected + h.headerBytes();
                if (size < expected) {
                    throw new FormatException(size, "truncated: the header promises " + (expected == Long.MAX_VALUE ? "more than 2^63"
                        : Long.toString(expected)) + " bytes (" + String.join(" x ", dims.stream().map(String::valueOf).toList())
                        + " values), the file has " + size);
                }
            }
            return h;
        } catch (ZipException e) {
            throw new FormatException(0, "not a gzip file (" + e.getMessage() + ")");
        } catch (EOFException e) {
            // gzip streams report a cut-off trailer this way
            throw new FormatException(0, "truncated gzip stream");
        }
    }

    long elementCount() {
        long n = 1;
        for (long d : dims) n = dev.dlx.compiler.shape.Shape.saturatingMultiply(n, d);
        return n;
    }

    private static int byteAt(DataInputStream in, long offset) throws IOException, FormatException {
        int b = in.read();
        if (b < 0) throw new FormatException(offset, offset == 0 ? "the file is empty" : "truncated header: it ends after " + offset + " byte(s)");
        return b;
    }
}
