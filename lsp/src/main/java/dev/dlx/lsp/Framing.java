package dev.dlx.lsp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The client's byte stream, checked message by message before the JSON-RPC layer reads it: each
 * message must be a header block with one valid `Content-Length` (a decimal number, at most
 * {@link #MAX_BODY} bytes) and a body of that length that is JSON nested at most {@link #MAX_DEPTH}
 * deep. A message that breaks the framing cannot be resynchronized reliably, so the stream ends
 * there, with one line on standard error saying why: the server then stops (exit 1) instead of
 * waiting forever for a length that will never come. Bytes pass through unchanged.
 */
final class Framing extends InputStream {
    static final int MAX_HEADER = 8 * 1024;
    static final int MAX_BODY = 64 << 20;
    static final int MAX_DEPTH = 1_000;

    private final InputStream in;
    private final PrintStream log;
    private byte[] current = new byte[0];
    private int at;
    private boolean ended;

    Framing(InputStream in, PrintStream log) {
        this.in = in;
        this.log = log;
    }

    @Override public int read() throws IOException {
        if (!fill()) return -1;
        return current[at++] & 0xFF;
    }

    @Override public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (!fill()) return -1;
        int n = Math.min(len, current.length - at);
        System.arraycopy(current, at, b, off, n);
        at += n;
        return n;
    }

    @Override public void close() throws IOException { in.close(); }

    /** Whether bytes are available, reading and checking the next message when the last one is used up. */
    private boolean fill() throws IOException {
        if (at < current.length) return true;
        if (ended) return false;
        byte[] next = nextMessage();
        if (next == null) {
            ended = true;
            return false;
        }
        current = next;
        at = 0;
        return true;
    }

    /** The next whole message (header and body), or null at the end of the input or after a framing error. */
    private byte[] nextMessage() throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        int prev3 = -1, prev2 = -1, prev1 = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (header.size() > 0) return refuse("the input ended inside a message header");
                return null;
            }
            header.write(c);
            if (header.size() > MAX_HEADER) return refuse("a message header is longer than " + MAX_HEADER + " bytes");
            if (prev3 == '\r' && prev2 == '\n' && prev1 == '\r' && c == '\n') break;
            prev3 = prev2;
            prev2 = prev1;
            prev1 = c;
        }
        String text = header.toString(StandardCharsets.US_ASCII);
        long length = -1;
        for (String line : text.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            if (!line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) continue;
            String value = line.substring(colon + 1).trim();
            if (!value.matches("[0-9]{1,10}")) return refuse("the Content-Length `" + printable(value) + "` is not a byte count");
            length = Long.parseLong(value);
        }
        if (length < 0) return refuse("a message has no Content-Length header");
        if (length > MAX_BODY) return refuse("a message of " + length + " bytes is longer than the " + MAX_BODY + " allowed");
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) return refuse("the input ended " + (length - body.length) + " bytes short of the message's Content-Length");
        String tooDeep = depth(body);
        if (tooDeep != null) return refuse(tooDeep);
        byte[] whole = new byte[header.size() + body.length];
        System.arraycopy(header.toByteArray(), 0, whole, 0, header.size());
        System.arraycopy(body, 0, whole, header.size(), body.length);
        return whole;
    }

    /** Why the body nests too deep to read, or null (strings are skipped, escapes included). */
    static String depth(byte[] body) {
        int depth = 0;
        boolean string = false, escaped = false;
        for (byte b : body) {
            if (string) {
                if (escaped) escaped = false;
                else if (b == '\\') escaped = true;
                else if (b == '"') string = false;
                continue;
            }
            if (b == '"') string = true;
            else if (b == '[' || b == '{') {
                if (++depth > MAX_DEPTH) return "a message nests JSON more than " + MAX_DEPTH + " levels deep";
            } else if (b == ']' || b == '}') depth--;
        }
        return null;
    }

    private byte[] refuse(String why) {
        log.println("dlxc lsp: " + why + "; the message stream cannot be followed from here, so the server stops");
        log.flush();
        return null;
    }

    private static String printable(String s) {
        String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
