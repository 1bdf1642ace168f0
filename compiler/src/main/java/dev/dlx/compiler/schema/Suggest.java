package dev.dlx.compiler.schema;

import java.util.Collection;
import java.util.Optional;

/** "did you mean" by edit distance. */
public final class Suggest {
    private Suggest() {}

    public static Optional<String> closest(String wanted, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(wanted.toLowerCase(), c.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int allowed = Math.max(1, Math.min(3, wanted.length() / 3));
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** The plural of a noun or noun phrase in messages: "losses", "clipping modes", "feature steps". */
    public static String plural(String noun) {
        boolean sibilant = noun.endsWith("s") || noun.endsWith("x") || noun.endsWith("z") || noun.endsWith("sh") || noun.endsWith("ch");
        return noun + (sibilant ? "es" : "s");
    }

    /** Optimal string alignment distance (Levenshtein with transpositions). */
    public static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** "`a`, `b` or `c`" */
    public static String list(Collection<String> words) { return join(words, " or "); }

    /** "`a`, `b` and `c`" */
    public static String listAll(Collection<String> words) { return join(words, " and "); }

    private static String join(Collection<String> words, String last) {
        StringBuilder s = new StringBuilder();
        int i = 0;
        for (String w : words) {
            if (i > 0) s.append(i == words.size() - 1 ? last : ", ");
            s.append('`').append(w).append('`');
            i++;
        }
        return s.toString();
    }
}
