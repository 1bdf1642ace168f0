// Makes a translation data set: dates as people write them ("3 May 1987", "Tuesday, March 3,
// 2001", "03/05/87", "May 3rd, 1987", "3.5.1987", "march 3 2001", ...) paired with the same date
// in ISO 8601 form (1987-05-03). Every date is a real calendar date between 1950-01-01 and
// 2029-12-31, drawn uniformly; a weekday, when written, is the date's own. Numbers written with the
// day and the month (03/05/87, 3.5.1987, 03-05-1987) put the day first, as most of the world does;
// a two-digit year 50..99 is 19yy and 00..29 is 20yy. Writes CSV files with a header
// `source,target`, a source in double quotes when it holds a comma:
//
//   train.csv, val.csv, test.csv   (disjoint: no source text appears in two files)
//
//   java samples/data/make_dates.java OUT_DIR [--train N] [--val N] [--test N] [--seed SEED]
//
// Needs only a JDK (17 or later); samples/data/make_dates.sh runs it with the sample's settings.
// The same arguments give the same files, byte for byte.

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

public class make_dates {
    static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December"};
    static final String[] DAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
    static final LocalDate FIRST = LocalDate.of(1950, 1, 1), LAST = LocalDate.of(2029, 12, 31);

    /** One way of writing a date; the random source picks among a format's own variants (case, abbreviations). */
    static final List<BiFunction<LocalDate, Random, String>> FORMATS = List.of(
        (d, r) -> d.getDayOfMonth() + " " + month(d, r) + " " + d.getYear(),                       // 3 May 1987
        (d, r) -> two(d.getDayOfMonth()) + " " + month(d, r) + " " + d.getYear(),                  // 03 May 1987
        (d, r) -> day(d, r) + ", " + month(d, r) + " " + d.getDayOfMonth() + ", " + d.getYear(),   // Tuesday, March 3, 2001
        (d, r) -> day(d, r) + " " + d.getDayOfMonth() + " " + month(d, r) + " " + d.getYear(),     // Tue 3 March 2001
        (d, r) -> day(d, r) + ", " + d.getDayOfMonth() + " " + month(d, r) + " " + d.getYear(),    // Tuesday, 3 March 2001
        (d, r) -> two(d.getDayOfMonth()) + "/" + two(d.getMonthValue()) + "/" + yy(d),             // 03/05/87
        (d, r) -> two(d.getDayOfMonth()) + "/" + two(d.getMonthValue()) + "/" + d.getYear(),       // 03/05/1987
        (d, r) -> month(d, r) + " " + ordinal(d.getDayOfMonth()) + ", " + d.getYear(),             // May 3rd, 1987
        (d, r) -> month(d, r) + " " + d.getDayOfMonth() + ", " + d.getYear(),                      // May 3, 1987
        (d, r) -> d.getDayOfMonth() + "." + d.getMonthValue() + "." + d.getYear(),                 // 3.5.1987
        (d, r) -> two(d.getDayOfMonth()) + "." + two(d.getMonthValue()) + "." + yy(d),             // 03.05.87
        (d, r) -> month(d, r).toLowerCase(Locale.ROOT) + " " + d.getDayOfMonth() + " " + d.getYear(), // march 3 2001
        (d, r) -> ordinal(d.getDayOfMonth()) + " of " + month(d, r) + " " + d.getYear(),           // 3rd of May 1987
        (d, r) -> "the " + ordinal(d.getDayOfMonth()) + " of " + month(d, r) + ", " + d.getYear(), // the 3rd of May, 1987
        (d, r) -> two(d.getDayOfMonth()) + "-" + month(d, r).substring(0, 3) + "-" + yy(d),        // 03-May-87
        (d, r) -> two(d.getDayOfMonth()) + "-" + two(d.getMonthValue()) + "-" + d.getYear(),       // 03-05-1987
        (d, r) -> d.getYear() + "/" + two(d.getMonthValue()) + "/" + two(d.getDayOfMonth()),       // 1987/05/03
        (d, r) -> (month(d, r) + " " + d.getDayOfMonth() + " " + d.getYear()).toUpperCase(Locale.ROOT), // MAY 3 1987
        (d, r) -> day(d, r) + " " + month(d, r) + " " + ordinal(d.getDayOfMonth()) + " " + d.getYear()); // Sat May 3rd 1987

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java make_dates.java OUT_DIR [--train N] [--val N] [--test N] [--seed SEED]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int train = 10000, val = 1000, test = 1000;
        long seed = 2001;
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) usage("`" + args[i] + "` needs a value");
            String v = args[i + 1];
            try {
                switch (args[i]) {
                    case "--train" -> train = Integer.parseInt(v);
                    case "--val" -> val = Integer.parseInt(v);
                    case "--test" -> test = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    default -> usage("unknown option `" + args[i] + "`");
                }
            } catch (NumberFormatException e) {
                usage("`" + args[i] + "` needs a whole number, found `" + v + "`");
            }
        }
        if (train < 1 || val < 0 || test < 0) usage("--train must be at least 1, --val and --test at least 0");
        Files.createDirectories(out);
        Random random = new Random(seed);
        Set<String> seen = new HashSet<>();
        write(out.resolve("train.csv"), train, random, seen);
        write(out.resolve("val.csv"), val, random, seen);
        write(out.resolve("test.csv"), test, random, seen);
        System.out.println("wrote " + train + " training, " + val + " validation and " + test + " test pairs to " + out);
    }

    static void usage(String why) {
        System.err.println("make_dates: " + why);
        System.exit(2);
    }

    /** {@code n} pairs whose sources no earlier pair had. */
    static void write(Path file, int n, Random random, Set<String> seen) throws IOException {
        long span = LAST.toEpochDay() - FIRST.toEpochDay() + 1;
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("source,target\n");
            int written = 0;
            while (written < n) {
                LocalDate date = LocalDate.ofEpochDay(FIRST.toEpochDay() + (long) (random.nextDouble() * span));
                String source = FORMATS.get(random.nextInt(FORMATS.size())).apply(date, random);
                if (!seen.add(source)) continue;
                w.write(source.contains(",") ? "\"" + source + "\"" : source);
                w.write("," + date + "\n");   // LocalDate prints yyyy-mm-dd
                written++;
            }
        }
    }

    /** The month's name, its three-letter abbreviation (Sept. as "Sep"), sometimes lower-cased. */
    static String month(LocalDate d, Random r) {
        String name = MONTHS[d.getMonthValue() - 1];
        String m = r.nextInt(3) == 0 ? name.substring(0, 3) : name;
        return r.nextInt(5) == 0 ? m.toLowerCase(Locale.ROOT) : m;
    }

    /** The weekday's name or its three-letter abbreviation. */
    static String day(LocalDate d, Random r) {
        String name = DAYS[d.getDayOfWeek().getValue() - 1];
        return r.nextInt(3) == 0 ? name.substring(0, 3) : name;
    }

    static String two(int v) { return v < 10 ? "0" + v : Integer.toString(v); }

    static String yy(LocalDate d) { return two(d.getYear() % 100); }

    static String ordinal(int day) {
        String suffix = day % 100 >= 11 && day % 100 <= 13 ? "th" : switch (day % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return day + suffix;
    }
}
