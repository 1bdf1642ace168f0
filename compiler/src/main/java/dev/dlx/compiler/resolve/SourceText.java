package dev.dlx.compiler.resolve;

import dev.dlx.compiler.diag.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What reading a `.dlx` file gave: its text, or why there is none. Only regular files up to
 * {@link #MAX_BYTES} are read (a FIFO, a device or a directory is refused without being opened,
 * so nothing is read forever), and the bytes must be UTF-8 text: the first one that is not is
 * named with its line and column.
 */
public sealed interface SourceText {
    /** Larger than any program a person writes; a bound on what is read into memory. */
    long MAX_BYTES = 16L * 1024 * 1024;

    /** The file's text. */
    record Text(String text) implements SourceText {}

    /** There is no such file (or it cannot be opened at all). */
    record Missing(String reason) implements SourceText {}

    /**
     * The file is there but is not a dlx source: {@code problem} says what it is instead ("not UTF-8
     * text: byte 0xE9", "a directory, not a file"); {@code text} is what can be shown of it (undecodable bytes replaced, empty when
     * nothing was read), with [{@code start}, {@code end}) the place of the problem in it.
     */
    record Refused(String problem, String text, int start, int end) implements SourceText {
        /** The problem and, when it has one, its place: "not UTF-8 text: byte 0xE9 at 3:14". */
        public String reason() {
            if (text.isEmpty()) return problem;
            SourceFile file = SourceFile.of("", text);
            return problem + " at " + file.line(start) + ":" + file.column(start);
        }

        /** How to fix it. */
        public String help() {
            return text.isEmpty() ? "dlx sources are regular text files of at most " + (MAX_BYTES >> 20) + " MiB"
                : "dlx sources are UTF-8 text: save the file as UTF-8";
        }
    }

    /** Reads a file from the disk. */
    static SourceText read(Path path) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return new Missing("no such file");
        } catch (IOException | RuntimeException e) {
            return new Missing(e.getMessage() == null ? "cannot be opened" : e.getMessage());
        }
        if (attrs.isDirectory()) return refused("a directory, not a file");
        if (!attrs.isRegularFile()) return refused("not a regular file (a pipe, a device or a socket); it was not read");
        if (attrs.size() > MAX_BYTES) return tooLarge(attrs.size());
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes((int) MAX_BYTES + 1); // the size can change between the look and the read
        } catch (IOException | RuntimeException e) {
            return new Missing(e.getMessage() == null ? "cannot be read" : e.getMessage());
        }
        if (bytes.length > MAX_BYTES) return tooLarge(bytes.length);
        return decode(bytes);
    }

    /** The text of UTF-8 bytes, or where they stop being UTF-8 text (NUL bytes count as binary). */
    static SourceText decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) r = decoder.flush(out);
        int bad = r.isError() ? in.position() : -1;
        String good = out.flip().toString();
        int nul = good.indexOf('\0');
        if (bad < 0 && nul < 0) return new Text(good);
        String shown = bad < 0 ? good : new String(bytes, StandardCharsets.UTF_8); // undecodable bytes as U+FFFD
        int at = nul >= 0 ? nul : good.length(); // the replacement of the bad byte comes right after the good prefix
        String what = nul >= 0 ? "not text: a NUL byte" : String.format("not UTF-8 text: byte 0x%02X", bytes[bad] & 0xff);
        return new Refused(what, shown, at, at + 1);
    }

    private static Refused refused(String reason) { return new Refused(reason, "", 0, 0); }

    private static Refused tooLarge(long size) {
        return refused("larger than " + (MAX_BYTES >> 20) + " MiB (" + size + " bytes); it was not read");
    }
}
