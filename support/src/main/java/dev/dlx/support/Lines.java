package dev.dlx.support;

import java.io.BufferedReader;
import java.io.IOException;

/**
 * Reading a text data file line by line with a bound on each line, so that a binary file or a
 * compressed bomb (a few megabytes holding one line of gigabytes) ends in an error, not in running
 * out of memory. The checker, the runtime's readers and a built model JAR read through this one place.
 */
public final class Lines {
    /** Lines longer than this many characters are not read (a real data set has none). */
    public static final int MAX = 1 << 22;

    private Lines() {}

    /** A line longer than {@link #MAX}. */
    public static final class TooLong extends Exception {
        private static final long serialVersionUID = 1L;

        public TooLong() { super("a line is longer than " + MAX + " characters", null, false, false); }
    }

    /**
     * The next line without its line break, or null at the end; a skipped line ({@code keep}
     * false) is not stored, so a long header costs no memory.
     */
    public static String read(BufferedReader r, boolean keep) throws IOException, TooLong {
        StringBuilder out = new StringBuilder();
        long length = 0;
        int c;
        boolean any = false;
        while ((c = r.read()) >= 0) {
            any = true;
            if (c == '\n') break;
            if (++length > MAX) throw new TooLong();
            if (keep) out.append((char) c);
        }
        if (!any) return null;
        int n = out.length();
        if (n > 0 && out.charAt(n - 1) == '\r') out.setLength(n - 1);
        return out.toString();
    }

    /** The next line, kept. */
    public static String read(BufferedReader r) throws IOException, TooLong { return read(r, true); }
}
