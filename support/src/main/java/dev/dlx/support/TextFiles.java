package dev.dlx.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading a small text file that dlx itself wrote (a run folder's JSON and CSV files) with a bound
 * on its size: a file that is not a regular file (a pipe or a device would never end), is larger
 * than the bound, or is not UTF-8 text is an IOException that names it, and nothing past the bound
 * is read into memory.
 */
public final class TextFiles {
    private TextFiles() {}

    /** The file's text, at most {@code maxBytes} of UTF-8. */
    public static String read(Path file, long maxBytes) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        if (attrs.isDirectory()) throw refused(file, "is a folder, not a file");
        if (!attrs.isRegularFile()) throw refused(file, "is not a regular file (a pipe, a device or a socket); it was not read");
        if (attrs.size() > maxBytes) throw tooLarge(file, attrs.size(), maxBytes);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1)); // it can grow between the look and the read
        }
        if (bytes.length > maxBytes) throw tooLarge(file, bytes.length, maxBytes);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw refused(file, "is damaged (not UTF-8 text)");
        }
    }

    /** The file's lines without their line breaks (a last line break ends the last line; `\r\n` counts as one). */
    public static List<String> lines(Path file, long maxBytes) throws IOException {
        String text = read(file, maxBytes);
        List<String> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) end = text.length();
            int cut = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            out.add(text.substring(start, cut));
            start = end + 1;
        }
        return out;
    }

    private static IOException refused(Path file, String why) {
        return new IOException("`" + RowError.display(file) + "` " + why);
    }

    private static IOException tooLarge(Path file, long size, long max) {
        return refused(file, "is larger than " + mib(max) + " (" + size + " bytes); it was not read");
    }

    private static String mib(long bytes) {
        return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }
}
