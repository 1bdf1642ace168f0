package dev.dlx.aot.jar;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Writes a JAR (a ZIP file) and copies entries of other JARs into it without inflating and
 * deflating them again: the compressed bytes move as they are, with their CRC and sizes, so
 * merging TensorFlow's native library JAR (160 MB compressed, 680 MB of libraries) takes a file
 * copy's time. The first entry of a name wins; later ones are counted as {@link #duplicates()}.
 * New entries carry a fixed timestamp, so the same inputs give the same bytes. No ZIP64: the JAR
 * must stay under 4 GiB and 65,535 entries.
 */
public final class JarWriter implements AutoCloseable {
    private static final int LOCAL = 0x04034b50, CENTRAL = 0x02014b50, END = 0x06054b50;
    private static final int UTF8 = 0x0800;
    /** 1980-01-01 00:00 in DOS format: reproducible builds. */
    private static final int DOS_TIME = 0, DOS_DATE = (1 << 5) | 1;

    private record Entry(byte[] name, int method, long crc, long compressed, long size, int time, int date, long offset) {}

    private final OutputStream out;
    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private long position;
    private int duplicates;
    private boolean closed;

    public JarWriter(Path file) throws IOException {
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    /** Whether an entry of this name was written. */
    public boolean has(String name) { return names.contains(name); }

    /** Entries skipped because their name was taken. */
    public int duplicates() { return duplicates; }

    public int size() { return entries.size(); }

    /** A directory entry (`META-INF/`). */
    public void directory(String name) throws IOException {
        if (!names.add(name)) return;
        writeEntry(name.getBytes(StandardCharsets.UTF_8), ZipEntry.STORED, 0, 0, 0, DOS_TIME, DOS_DATE, null, null);
    }

    /** A file entry, deflated. */
    public void add(String name, byte[] data) throws IOException {
        if (!names.add(name)) {
            duplicates++;
            return;
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] compressed;
        try {
            deflater.setInput(data);
            deflater.finish();
            java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream(Math.max(64, data.length / 2));
            byte[] chunk = new byte[1 << 16];
            while (!deflater.finished()) buffer.write(chunk, 0, deflater.deflate(chunk));
            compressed = buffer.toByteArray();
        } finally {
            deflater.end();
        }
        writeEntry(name.getBytes(StandardCharsets.UTF_8), ZipEntry.DEFLATED, crc.getValue(), compressed.length, data.length, DOS_TIME,
            DOS_DATE, compressed, null);
    }

    /**
     * Copies the entries of {@code jar} whose names {@code keep} accepts, compressed bytes as they
     * are; returns how many were copied. A JAR this reader cannot take apart (ZIP64, encrypted) is
     * copied entry by entry through inflating instead.
     */
    public int copy(Path jar, Predicate<String> keep) throws IOException {
        try (FileChannel ch = FileChannel.open(jar, StandardOpenOption.READ)) {
            List<SourceEntry> source = SourceEntry.read(ch, jar);
            if (source == null) return copyInflating(jar, keep);
            int copied = 0;
            for (SourceEntry e : source) {
                String name = new String(e.name, (e.flags & UTF8) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
                if (!keep.test(name)) continue;
                if (!names.add(name)) {
                    duplicates++;
                    continue;
                }
                ByteBuffer local = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, local, e.localOffset);
                if (local.getInt(0) != LOCAL) throw new IOException(jar + ": damaged entry `" + name + "`");
                long data = e.localOffset + 30 + Short.toUnsignedInt(local.getShort(26)) + Short.toUnsignedInt(local.getShort(28));
                writeEntry(name.getBytes(StandardCharsets.UTF_8), e.method, e.crc, e.compressed, e.size, e.time, e.date, null,
                    new Range(ch, data, e.compressed));
                copied++;
            }
            return copied;
        }
    }

    private int copyInflating(Path jar, Predicate<String> keep) throws IOException {
        int copied = 0;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (!keep.test(e.getName())) continue;
                if (e.isDirectory()) directory(e.getName());
                else try (var in = zip.getInputStream(e)) {
                    add(e.getName(), in.readAllBytes());
                }
                copied++;
            }
        }
        return copied;
    }

    private record Range(FileChannel channel, long from, long length) {}

    private void writeEntry(byte[] name, int method, long crc, long compressed, long size, int time, int date, byte[] data, Range range)
            throws IOException {
        if (entries.size() >= 0xFFFF || position + 30 + name.length + compressed > 0xFFFFFFFFL || size > 0xFFFFFFFFL) {
            throw new IOException("the JAR would exceed 4 GiB or 65,535 entries (ZIP64 is not written)");
        }
        entries.add(new Entry(name, method, crc, compressed, size, time, date, position));
        ByteBuffer h = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(LOCAL).putShort((short) 20).putShort((short) UTF8).putShort((short) method).putShort((short) time).putShort((short) date)
            .putInt((int) crc).putInt((int) compressed).putInt((int) size).putShort((short) name.length).putShort((short) 0);
        write(h.array());
        write(name);
        if (data != null) write(data);
        if (range != null) {
            out.flush();
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            long at = range.from(), left = range.length();
            while (left > 0) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                int n = range.channel().read(buf, at);
                if (n < 0) throw new IOException("unexpected end of a source JAR");
                out.write(buf.array(), 0, n);
                at += n;
                left -= n;
            }
            position += range.length();
        }
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        position += b.length;
    }

    @Override public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            long start = position;
            for (Entry e : entries) {
                ByteBuffer c = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN);
                c.putInt(CENTRAL).putShort((short) 20).putShort((short) 20).putShort((short) UTF8).putShort((short) e.method())
                    .putShort((short) e.time()).putShort((short) e.date()).putInt((int) e.crc()).putInt((int) e.compressed())
                    .putInt((int) e.size()).putShort((short) e.name().length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) e.offset());
                write(c.array());
                write(e.name());
            }
            long length = position - start;
            if (position > 0xFFFFFFFFL) throw new IOException("the JAR would exceed 4 GiB (ZIP64 is not written)");
            ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
            end.putInt(END).putShort((short) 0).putShort((short) 0).putShort((short) entries.size()).putShort((short) entries.size())
                .putInt((int) length).putInt((int) start).putShort((short) 0);
            write(end.array());
        } finally {
            out.close();
        }
    }

    static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        buf.clear();
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at + buf.position());
            if (n < 0) throw new IOException("unexpected end of file");
        }
        buf.flip();
    }

    /** An entry of a source JAR's central directory. */
    private record SourceEntry(byte[] name, int flags, int method, long crc, long compressed, long size, int time, int date, long localOffset) {
        /** The central directory, or null when it uses ZIP64 or encryption (then the caller inflates). */
        static List<SourceEntry> read(FileChannel ch, Path jar) throws IOException {
            long fileSize = ch.size();
            int tail = (int) Math.min(fileSize, 22 + 0xFFFF);
            ByteBuffer t = ByteBuffer.allocate(tail).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, t, fileSize - tail);
            int end = -1;
            for (int i = tail - 22; i >= 0; i--) {
                if (t.getInt(i) == END) {
                    end = i;
                    break;
                }
            }
            if (end < 0) throw new IOException("`" + jar + "` is not a JAR (no ZIP directory)");
            int count = Short.toUnsignedInt(t.getShort(end + 10));
            long cdSize = Integer.toUnsignedLong(t.getInt(end + 12)), cdOffset = Integer.toUnsignedLong(t.getInt(end + 16));
            if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) return null;
            ByteBuffer cd = ByteBuffer.allocate(Math.toIntExact(cdSize)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, cd, cdOffset);
            List<SourceEntry> out = new ArrayList<>(count);
            int p = 0;
            for (int i = 0; i < count; i++) {
                if (cd.getInt(p) != CENTRAL) throw new IOException("`" + jar + "` has a damaged ZIP directory");
                int flags = Short.toUnsignedInt(cd.getShort(p + 8));
                int method = Short.toUnsignedInt(cd.getShort(p + 10));
                long compressed = Integer.toUnsignedLong(cd.getInt(p + 20)), size = Integer.toUnsignedLong(cd.getInt(p + 24));
                long offset = Integer.toUnsignedLong(cd.getInt(p + 42));
                if ((flags & 1) != 0 || compressed == 0xFFFFFFFFL || size == 0xFFFFFFFFL || offset == 0xFFFFFFFFL
                    || (method != ZipEntry.STORED && method != ZipEntry.DEFLATED)) {
                    return null;
                }
                int nameLength = Short.toUnsignedInt(cd.getShort(p + 28));
                int extra = Short.toUnsignedInt(cd.getShort(p + 30)), comment = Short.toUnsignedInt(cd.getShort(p + 32));
                byte[] name = new byte[nameLength];
                cd.get(p + 46, name);
                out.add(new SourceEntry(name, flags, method, Integer.toUnsignedLong(cd.getInt(p + 16)), compressed, size,
                    Short.toUnsignedInt(cd.getShort(p + 12)), Short.toUnsignedInt(cd.getShort(p + 14)), offset));
                p += 46 + nameLength + extra + comment;
            }
            return out;
        }
    }
}
