import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Word segmentation rows from a text: the text's words (lower-cased runs of letters, digits and
 * apostrophes, as a `source text` cuts words; punctuation and spaces left out) are laid end to end
 * and cut into rows of at most WIDTH characters without splitting a word; each row is its
 * characters separated by spaces, then a tag per character: B where a word begins, I inside one.
 * Writes `chars,tags` rows (a header line first; gzip when OUT ends in .gz) and prints the row
 * count and two baselines on the last tenth of the rows (the `val` split of an unshuffled 90/10
 * split): every character tagged I (the commoner tag), and the tag seen most often in the first
 * nine tenths after the same pair of characters (B at the row's start).
 *
 *   java make_segments.java TEXT OUT [--width 40] [--skip CHARS] [--rows N]
 */
public final class make_segments {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: java make_segments.java TEXT OUT [--width 40] [--skip CHARS] [--rows N]");
            System.exit(2);
        }
        int width = 40, rowsWanted = Integer.MAX_VALUE;
        long skip = 0;
        for (int i = 2; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--width" -> width = Integer.parseInt(args[i + 1]);
                case "--skip" -> skip = Long.parseLong(args[i + 1]);
                case "--rows" -> rowsWanted = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("make_segments: unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        String text = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        text = text.substring((int) Math.min(skip, text.length())).toLowerCase(Locale.ROOT);
        List<String> rows = new ArrayList<>();
        StringBuilder row = new StringBuilder(), tags = new StringBuilder();
        Matcher m = WORD.matcher(text);
        while (m.find() && rows.size() < rowsWanted) {
            String w = m.group();
            if (w.length() > width) continue;
            if (row.length() + w.length() > width) {
                rows.add(line(row, tags));
                row.setLength(0);
                tags.setLength(0);
            }
            for (int i = 0; i < w.length(); i++) {
                row.append(w.charAt(i));
                tags.append(i == 0 ? 'B' : 'I');
            }
        }
        if (row.length() > 0 && rows.size() < rowsWanted) rows.add(line(row, tags));
        Path out = Path.of(args[1]);
        try (OutputStream raw = Files.newOutputStream(out);
             OutputStream os = out.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
             PrintStream ps = new PrintStream(os, false, StandardCharsets.UTF_8)) {
            ps.print("chars,tags\n");
            for (String r : rows) ps.print(r + "\n");
        }
        baselines(rows);
    }

    /** `c a l l,B I I I` */
    private static String line(StringBuilder chars, StringBuilder tags) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < chars.length(); i++) s.append(i == 0 ? "" : " ").append(chars.charAt(i));
        s.append(',');
        for (int i = 0; i < tags.length(); i++) s.append(i == 0 ? "" : " ").append(tags.charAt(i));
        return s.toString();
    }

    private static void baselines(List<String> rows) {
        int train = rows.size() - rows.size() / 10; // as `split train 90%, val 10%` cuts them, in order
        Map<String, int[]> seen = new HashMap<>();
        long tokens = 0;
        for (int r = 0; r < train; r++) {
            String[] cells = rows.get(r).split(",");
            String c = cells[0].replace(" ", ""), t = cells[1].replace(" ", "");
            tokens += c.length();
            for (int i = 1; i < c.length(); i++) seen.computeIfAbsent(c.substring(i - 1, i + 1), k -> new int[2])[t.charAt(i) == 'B' ? 1 : 0]++;
        }
        long n = 0, allI = 0, pairs = 0;
        for (int r = train; r < rows.size(); r++) {
            String[] cells = rows.get(r).split(",");
            String c = cells[0].replace(" ", ""), t = cells[1].replace(" ", "");
            for (int i = 0; i < c.length(); i++) {
                n++;
                if (t.charAt(i) == 'I') allI++;
                char guess = 'B';
                if (i > 0) {
                    int[] k = seen.get(c.substring(i - 1, i + 1));
                    guess = k != null && k[1] > k[0] ? 'B' : 'I';
                }
                if (guess == t.charAt(i)) pairs++;
            }
        }
        System.out.printf(Locale.ROOT, "%d rows (%d characters in the first %d); on the last %d rows (%d characters): "
            + "all I %.4f, character-pair rule %.4f%n", rows.size(), tokens, train, rows.size() - train, n, (double) allI / n, (double) pairs / n);
    }
}
