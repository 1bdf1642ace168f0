package dev.dlx.runtime.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What a command that writes may not write over: a `.dlx` source, a run folder or anything in it
 * that exists, a folder holding a run folder or a source, and the command's own inputs. Each
 * check answers with the reason in words (for `dlxc CMD: REASON`), or null when writing is safe.
 * An exported folder is marked ({@link #EXPORT_MARKER}), so that `--force` replaces only what an
 * earlier export wrote.
 */
public final class OutputGuard {
    /** The file `dlxc export` leaves in the folders it writes. */
    public static final String EXPORT_MARKER = ".dlx-export";
    /** How many entries of a folder are looked at for run folders and sources before giving up (and refusing). */
    static final int SCAN_LIMIT = 20_000;
    private static final int SCAN_DEPTH = 6;

    private OutputGuard() {}

    /**
     * Why writing the file {@code target} would destroy something, or null. {@code inputs} are the
     * files and folders the command reads; {@code jar}: the target, when it exists, must be a JAR
     * (a file `dlxc build` may have written before).
     */
    public static String fileProblem(Path target, List<Path> inputs, boolean jar) {
        if (Files.isDirectory(target)) return "`" + target + "` is a folder; give a file name";
        if (isSource(target)) return "`" + target + "` is a .dlx source; it is never overwritten";
        for (Path in : inputs) {
            if (same(target, in)) return "`" + target + "` is an input of this command; write to another file";
        }
        Path run = enclosingRun(target);
        if (run != null && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return "`" + target + "` belongs to the run folder `" + run + "`; write to another file";
        }
        if (jar && Files.exists(target) && !isJar(target)) {
            return "`" + target + "` exists and is not a JAR; remove it first, or choose another name";
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) return "`" + target + "` is not a regular file";
        return null;
    }

    /**
     * Why filling the folder {@code dir} (created, or emptied first with {@code force}) would destroy
     * something, or null; the help line to print follows the reason after a newline where there is one.
     */
    public static String folderProblem(Path dir, List<Path> inputs, boolean force) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) return "`" + dir + "` is a file; give a folder";
        Path abs = dir.toAbsolutePath().normalize();
        for (Path in : inputs) {
            Path i = in.toAbsolutePath().normalize();
            if (same(dir, in) || i.startsWith(abs)) return "`" + dir + "` holds `" + in + "`, which this command reads; give a new folder";
        }
        if (Files.isRegularFile(dir.resolve(RunFolder.RUN_JSON))) return "`" + dir + "` is a run folder; give a new folder";
        Path run = enclosingRun(dir);
        if (run != null && Files.isDirectory(dir)) return "`" + dir + "` lies in the run folder `" + run + "`; give a new folder";
        if (!Files.isDirectory(dir) || isEmpty(dir)) return null;
        String precious = precious(dir);
        if (precious != null) return "`" + dir + "` holds " + precious + "; it is never emptied";
        if (!force) return "`" + dir + "` is not empty\nhelp: give a new folder, or replace an earlier export with --force";
        if (!Files.isRegularFile(dir.resolve(EXPORT_MARKER))) {
            return "`" + dir + "` holds files that `dlxc export` did not write (it has no " + EXPORT_MARKER + "); --force replaces only an "
                + "earlier export\nhelp: give a new folder, or empty this one yourself";
        }
        return null;
    }

    /** Empties a folder that {@link #folderProblem} passed (an earlier export), the folder itself kept. */
    public static void clearExport(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(EXPORT_MARKER))) throw new IOException("`" + dir + "` is not an earlier export");
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) if (!p.equals(dir)) Files.delete(p);
        }
    }

    /** Marks {@code dir} as written by `dlxc export`. */
    public static void markExport(Path dir, String what) throws IOException {
        Files.writeString(dir.resolve(EXPORT_MARKER), "written by dlxc export: " + what + "\n");
    }

    static boolean isSource(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".dlx");
    }

    private static boolean same(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        } catch (IOException e) {
            // fall through to comparing the names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** The run folder that {@code p} lies in (p itself not counted), or null. */
    static Path enclosingRun(Path p) {
        for (Path d = p.toAbsolutePath().normalize().getParent(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(RunFolder.RUN_JSON))) return d;
        }
        return null;
    }

    private static boolean isJar(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** A run folder or a .dlx source inside {@code dir} (described), or null; a folder too large to look through counts as precious. */
    private static String precious(Path dir) throws IOException {
        Deque<Path> todo = new ArrayDeque<>();
        Deque<Integer> depth = new ArrayDeque<>();
        todo.add(dir);
        depth.add(0);
        int seen = 0;
        while (!todo.isEmpty()) {
            Path d = todo.poll();
            int level = depth.poll();
            try (Stream<Path> s = Files.list(d)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    if (++seen > SCAN_LIMIT) return "more than " + SCAN_LIMIT + " files";
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        if (Files.isRegularFile(p.resolve(RunFolder.RUN_JSON))) return "the run folder `" + p + "`";
                        if (level + 1 < SCAN_DEPTH) {
                            todo.add(p);
                            depth.add(level + 1);
                        }
                    } else if (isSource(p)) {
                        return "the source `" + p + "`";
                    } else if (p.getFileName().toString().equals(RunFolder.RUN_JSON) && d.equals(dir)) {
                        return "a run (" + RunFolder.RUN_JSON + ")";
                    }
                }
            }
        }
        return null;
    }
}
