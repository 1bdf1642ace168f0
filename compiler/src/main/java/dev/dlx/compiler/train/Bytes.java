package dev.dlx.compiler.train;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte counts as people read and write them: `812 B`, `4.9 KiB`, `22.4 GiB` (powers of 1024). */
public final class Bytes {
    private Bytes() {}

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?b?)", Pattern.CASE_INSENSITIVE);

    /** Whole bytes below 1 KiB, else one decimal in the largest unit that keeps the number at least 1. */
    public static String text(long bytes) {
        if (bytes < 1024) return bytes + " B";
        double value = bytes;
        int unit = 0;
        while (value >= 1023.95 && unit < UNITS.length - 1) { // 1023.96 KiB would print as 1024.0 KiB: 1.0 MiB
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f", value) + " " + UNITS[unit];
    }

    /**
     * A size written as `512`, `64KiB`, `16 GiB`, `1.5G` or `8GB` (K, M, G, T, P with or without `i`
     * or `B` all count powers of 1024: memory is sold and reported that way); empty when it is none.
     */
    public static OptionalLong parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) return OptionalLong.empty();
        if (m.group(2).isEmpty() && m.group(3).equalsIgnoreCase("i")) return OptionalLong.empty();
        int power = " kmgtp".indexOf(Character.toLowerCase(m.group(2).isEmpty() ? ' ' : m.group(2).charAt(0)));
        double value = Double.parseDouble(m.group(1)) * Math.pow(1024, power);
        if (value >= Long.MAX_VALUE || value < 1) return OptionalLong.empty();
        return OptionalLong.of((long) value);
    }
}
