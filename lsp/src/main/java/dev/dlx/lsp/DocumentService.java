package dev.dlx.lsp;

import dev.dlx.compiler.check.ModelCache;
import dev.dlx.compiler.resolve.SourceProvider;
import dev.dlx.compiler.resolve.SourceText;
import dev.dlx.lsp.service.Analysis;
import dev.dlx.lsp.service.LanguageService;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open documents and their checks. A change after a quiet period (no change of the document
 * for the debounce time) is checked at once: the user paused, and nothing says that more is
 * coming, so waiting would only delay the answer (keystrokes come 100 ms or more apart). A change
 * that follows another sooner (a burst: an editor's paired edits, a held key, a paste followed by
 * its formatting) schedules a check after the debounce time, replacing one that has not started,
 * so a burst costs at most one check of its first text besides the check of its last. A check whose document changed meanwhile is
 * dropped instead of published (cancellation), so diagnostics always belong to the newest text.
 * Documents that import a changed one are checked again too. Open buffers override the disk for
 * every import. The workspace's other files are indexed in the background ({@link WorkspaceIndex}).
 * Files outside the workspace folders are read only when the user allows it ({@link WorkspaceAccess}).
 */
final class DocumentService {
    /** What the service reports: the diagnostics of one checked version of a document. */
    interface Publisher {
        void publish(Document doc, Analysis analysis);
    }

    /** One open document: its URI, the path the compiler knows it by, its text and version. */
    record Document(String uri, Path path, String text, int version) {}

    private final LanguageService service;
    private final Publisher publisher;
    private final long debounceMillis;
    private final Map<String, Document> documents = new ConcurrentHashMap<>();
    private final Map<String, Analysis> analyses = new ConcurrentHashMap<>();
    private final Map<String, Integer> analyzedVersions = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    /** When each document last changed ({@link System#nanoTime}). */
    private final Map<String, Long> changedAt = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    /** Each open document's earlier checks: an edit checks again only the models it can change. */
    private final Map<String, ModelCache> caches = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor;
    private final ExecutorService indexer;
    private final WorkspaceIndex index;
    /** Counted down when the first check of a document is published; until then (or a few seconds) the workspace is not indexed. */
    private final CountDownLatch firstCheck = new CountDownLatch(1);
    private final WorkspaceAccess access = new WorkspaceAccess(documents::values);
    private final AtomicInteger untitled = new AtomicInteger();
    private volatile Path displayBase = Path.of("").toAbsolutePath();

    DocumentService(LanguageService service, Publisher publisher, long debounceMillis) {
        this(service, publisher, debounceMillis, FIRST_CHECK_WAIT_MILLIS);
    }

    /** {@code firstCheckWaitMillis}: how long the workspace index waits for a first check at most. */
    DocumentService(LanguageService service, Publisher publisher, long debounceMillis, long firstCheckWaitMillis) {
        this.firstCheckWaitMillis = firstCheckWaitMillis;
        this.service = service;
        this.publisher = publisher;
        this.debounceMillis = debounceMillis;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "dlx-check-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.indexer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dlx-index");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        this.index = new WorkspaceIndex(indexer, (file, text) -> service.analyze(file, text, overlay(), access, displayBase), this::isOpen);
        indexer.execute(this::awaitFirstCheck); // the index's work queues behind this
    }

    /**
     * Holds the indexer until the first document's diagnostics are out: on a machine of few cores
     * the index's checks would otherwise share them with that first check, which the user waits for.
     */
    private void awaitFirstCheck() {
        try {
            firstCheck.await(firstCheckWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long the index waits for a first check at most (a server with no open document indexes then). */
    static final long FIRST_CHECK_WAIT_MILLIS = 3_000;
    private final long firstCheckWaitMillis;

    /** Workspace folders: their `.dlx` files count for references, and paths in messages are relative to the first. */
    void setRoots(List<Path> folders) {
        if (!folders.isEmpty()) displayBase = folders.get(0);
        access.setRoots(folders);
        index.setRoots(folders);
    }

    /** The setting {@value WorkspaceAccess#SETTING}; a change checks every open document again. */
    void allowReadsOutsideWorkspace(boolean allow) {
        if (access.allowsOutside() == allow) return;
        access.allowOutside(allow);
        recheckAll();
    }

    /** Which files the checks may read. */
    WorkspaceAccess access() { return access; }

    // ------------------------------------------------------------------ document lifecycle

    void open(String uri, String text, int version) {
        Document doc = new Document(uri, pathOf(uri), text, version);
        documents.put(uri, doc);
        schedule(uri, 0);
        dependentsChanged(doc.path(), uri);
    }

    void change(String uri, String text, int version) {
        Document old = documents.get(uri);
        Path path = old == null ? pathOf(uri) : old.path();
        documents.put(uri, new Document(uri, path, text, version));
        long now = System.nanoTime();
        Long before = changedAt.put(uri, now);
        boolean quiet = before == null || now - before >= TimeUnit.MILLISECONDS.toNanos(debounceMillis);
        schedule(uri, quiet ? 0 : debounceMillis);
        dependentsChanged(path, uri);
    }

    void close(String uri) {
        Document doc = documents.remove(uri);
        ScheduledFuture<?> p = pending.remove(uri);
        if (p != null) p.cancel(false);
        analyses.remove(uri);
        analyzedVersions.remove(uri);
        changedAt.remove(uri);
        caches.remove(uri);
        if (doc != null) {
            dependentsChanged(doc.path(), uri);
            index.refresh(); // the file on disk counts for references again
            synchronized (lock(uri)) {
                publisher.publish(doc, null);
            }
        }
    }

    /** Files changed on disk (saved, or changed by another program): every open document is checked again. */
    void recheckAll() {
        index.invalidate();
        for (String uri : documents.keySet()) schedule(uri, debounceMillis);
    }

    Optional<Document> document(String uri) { return Optional.ofNullable(documents.get(uri)); }

    /** The analysis of the document's current text, checked now if the last check is older. */
    Optional<Analysis> analysis(String uri) {
        Document doc = documents.get(uri);
        if (doc == null) return Optional.empty();
        Analysis cached = analyses.get(uri);
        Integer version = analyzedVersions.get(uri);
        if (cached != null && version != null && version == doc.version()) return Optional.of(cached);
        Analysis fresh = analyze(doc);
        remember(doc, fresh);
        return Optional.of(fresh);
    }

    /** The last analyses of the open documents, as they are (nothing is checked for this). */
    Collection<Analysis> openAnalyses() { return List.copyOf(analyses.values()); }

    /** The last analysis, whatever its version (for names while typing), or a fresh one. */
    Optional<Analysis> latestAnalysis(String uri) {
        Analysis cached = analyses.get(uri);
        return cached != null ? Optional.of(cached) : analysis(uri);
    }

    // ------------------------------------------------------------------ checking

    private void schedule(String uri, long delayMillis) {
        Document doc = documents.get(uri);
        if (doc == null) return;
        int version = doc.version();
        ScheduledFuture<?> next = executor.schedule(() -> check(uri, version), delayMillis, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> previous = pending.put(uri, next);
        if (previous != null) previous.cancel(false);
    }

    private void check(String uri, int version) {
        Document doc = documents.get(uri);
        if (doc == null || doc.version() != version) return; // superseded before it started
        Analysis a;
        try {
            a = analyze(doc);
        } catch (RuntimeException e) {
            return; // the compiler never throws for bad input; a bug must not stop the server
        }
        synchronized (lock(uri)) {
            Document now = documents.get(uri);
            if (now == null || now.version() != version) return; // superseded while checking: dropped
            remember(doc, a);
            publisher.publish(doc, a);
        }
        firstCheck.countDown();
    }

    private void remember(Document doc, Analysis a) {
        synchronized (lock(doc.uri())) {
            Integer known = analyzedVersions.get(doc.uri());
            if (known != null && known > doc.version()) return;
            analyses.put(doc.uri(), a);
            analyzedVersions.put(doc.uri(), doc.version());
        }
    }

    private Object lock(String uri) { return locks.computeIfAbsent(uri, k -> new Object()); }

    private Analysis analyze(Document doc) {
        ModelCache cache = documents.containsKey(doc.uri()) ? caches.computeIfAbsent(doc.uri(), k -> new ModelCache()) : null;
        return service.analyze(doc.path(), doc.text(), overlay(), access, displayBase, cache);
    }

    /** Open buffers first, then the disk. */
    SourceProvider overlay() {
        Map<Path, String> open = new HashMap<>();
        for (Document d : documents.values()) open.put(d.path(), d.text());
        return new SourceProvider() {
            @Override public SourceText load(Path path) {
                String text = open.get(path.toAbsolutePath().normalize());
                return text != null ? new SourceText.Text(text) : SourceProvider.DISK.load(path);
            }

            @Override public Optional<String> read(Path path) {
                return load(path) instanceof SourceText.Text t ? Optional.of(t.text()) : Optional.empty();
            }
        };
    }

    private boolean isOpen(Path path) {
        for (Document d : documents.values()) if (d.path().equals(path)) return true;
        return false;
    }

    /** Documents whose last check read {@code path} are checked again. */
    private void dependentsChanged(Path path, String except) {
        for (Map.Entry<String, Analysis> e : analyses.entrySet()) {
            if (e.getKey().equals(except)) continue;
            if (e.getValue().files().contains(path)) schedule(e.getKey(), debounceMillis);
        }
    }

    // ------------------------------------------------------------------ the workspace, for references

    /**
     * Analyses of every open document and of the workspace's other `.dlx` files as far as they are
     * indexed (in the background: nothing waits here for a file that is not open).
     */
    Collection<Analysis> world() {
        List<Analysis> out = new ArrayList<>();
        for (String uri : documents.keySet()) analysis(uri).ifPresent(out::add);
        out.addAll(index.analyses());
        return out;
    }

    // ------------------------------------------------------------------ URIs and paths

    /** The path the compiler knows a document by: its file, or a made-up one for unsaved buffers. */
    Path pathOf(String uri) {
        try {
            URI u = URI.create(uri);
            if ("file".equalsIgnoreCase(u.getScheme())) return Path.of(u).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            // not a file URI: fall through
        }
        return displayBase.resolve("untitled-" + untitled.incrementAndGet() + ".dlx").toAbsolutePath().normalize();
    }

    /** The URI to show a path under: the open document's, or the file's own. */
    String uriOf(Path path) {
        if (path == null) return null;
        for (Document d : documents.values()) if (d.path().equals(path)) return d.uri();
        return path.toUri().toString();
    }

    void shutdown() {
        executor.shutdownNow();
        indexer.shutdownNow();
    }
}
