package dev.dlx.lsp;

import dev.dlx.compiler.resolve.SourceProvider;
import dev.dlx.compiler.resolve.SourceText;
import dev.dlx.lsp.service.Analysis;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The workspace's `.dlx` files that are not open, checked in the background for references. A
 * request never waits for it: it answers from what is indexed so far. Each file is checked with the
 * compiler's own counted limits, files larger than {@link #MAX_FILE_BYTES} are not checked at all,
 * and at most {@link #MAX_FILES} files are looked at. A file is checked again only when its size or
 * modification time changed, or after {@link #invalidate()}.
 */
final class WorkspaceIndex {
    static final int MAX_FILES = 1000;
    /** Larger than any hand-written program; a generated or hostile file is left out of references. */
    static final long MAX_FILE_BYTES = 512 * 1024;

    /** A checked file and what it was checked from. */
    private record Entry(long modified, long size, int generation, Analysis analysis) {}

    private final Executor background;
    private final BiFunction<Path, String, Analysis> analyzer;
    private final Predicate<Path> open;
    private final Map<Path, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicBoolean scanQueued = new AtomicBoolean();
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicInteger checks = new AtomicInteger();
    private final Set<Path> tooLarge = ConcurrentHashMap.newKeySet();
    private volatile List<Path> roots = List.of();

    /**
     * {@code background} runs the scans (one thread, in the server); {@code analyzer} checks a
     * file's text; {@code open} says which files are open (their documents' analyses are used).
     */
    WorkspaceIndex(Executor background, BiFunction<Path, String, Analysis> analyzer, Predicate<Path> open) {
        this.background = background;
        this.analyzer = analyzer;
        this.open = open;
    }

    void setRoots(List<Path> folders) {
        roots = List.copyOf(folders);
        refresh();
    }

    /** Looks at the files again (in the background); only changed ones are checked. */
    void refresh() {
        if (!scanQueued.compareAndSet(false, true)) return; // a scan that has not started will see the change
        try {
            background.execute(() -> {
                scanQueued.set(false);
                scan();
            });
        } catch (RejectedExecutionException e) {
            scanQueued.set(false); // the server is shutting down
        }
    }

    /** Every file is checked again on the next scan (imports may have changed), then a scan is queued. */
    void invalidate() {
        generation.incrementAndGet();
        refresh();
    }

    /** The analyses indexed so far, of files that are not open. */
    Collection<Analysis> analyses() {
        List<Analysis> out = new ArrayList<>();
        for (Map.Entry<Path, Entry> e : entries.entrySet()) if (!open.test(e.getKey())) out.add(e.getValue().analysis());
        return out;
    }

    /** How many files were checked since the start (for tests: work is counted, not timed). */
    int checks() { return checks.get(); }

    /** The files left out for their size at the last scan. */
    Set<Path> tooLarge() { return Set.copyOf(tooLarge); }

    private void scan() {
        Set<Path> seen = new HashSet<>();
        int count = 0;
        for (Path root : roots) {
            for (Path file : dlxFiles(root)) {
                if (count++ >= MAX_FILES) break;
                seen.add(file);
                if (open.test(file)) continue;
                index(file);
            }
        }
        entries.keySet().retainAll(seen);
        tooLarge.retainAll(seen);
    }

    private void index(Path file) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException | RuntimeException e) {
            entries.remove(file);
            return;
        }
        if (attrs.size() > MAX_FILE_BYTES) {
            entries.remove(file);
            tooLarge.add(file);
            return;
        }
        tooLarge.remove(file);
        long modified = attrs.lastModifiedTime().toMillis();
        int gen = generation.get();
        Entry known = entries.get(file);
        if (known != null && known.modified() == modified && known.size() == attrs.size() && known.generation() == gen) return;
        if (!(SourceProvider.DISK.load(file) instanceof SourceText.Text text)) {
            entries.remove(file);
            return;
        }
        checks.incrementAndGet();
        try {
            entries.put(file, new Entry(modified, attrs.size(), gen, analyzer.apply(file, text.text())));
        } catch (RuntimeException e) {
            entries.remove(file); // the compiler never throws for bad input; a bug costs one file's references
        }
    }

    /**
     * The `.dlx` files under a folder, at most {@link #MAX_FILES}, sorted; hidden folders, `target`
     * and `node_modules` are not entered.
     */
    private static List<Path> dlxFiles(Path root) {
        List<Path> out = new ArrayList<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    boolean skip = !dir.equals(root) && (name.startsWith(".") || name.equals("target") || name.equals("node_modules"));
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && file.toString().endsWith(".dlx")) out.add(file.toAbsolutePath().normalize());
                    return out.size() >= MAX_FILES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult visitFileFailed(Path file, IOException e) { return FileVisitResult.CONTINUE; }
            });
        } catch (IOException | RuntimeException e) {
            // an unreadable folder only means fewer references
        }
        out.sort(null);
        return out;
    }
}
