package dev.dlx.lsp;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeTextDocumentParams;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.MessageActionItem;
import org.eclipse.lsp4j.MessageParams;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.ShowMessageRequestParams;
import org.eclipse.lsp4j.TextDocumentContentChangeEvent;
import org.eclipse.lsp4j.TextDocumentIdentifier;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.TextEdit;
import org.eclipse.lsp4j.VersionedTextDocumentIdentifier;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * A real client talking to the server over piped streams, as an editor would over stdio: the
 * server runs behind LSP4J's launcher and every message goes through JSON-RPC.
 */
final class LspSession implements AutoCloseable {
    /** The client side: it records the diagnostics the server publishes. */
    static final class Client implements LanguageClient {
        final BlockingQueue<PublishDiagnosticsParams> diagnostics = new LinkedBlockingQueue<>();
        /** Everything published, also what {@link #diagnostics} handed out already. */
        final List<PublishDiagnosticsParams> published = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override public void telemetryEvent(Object object) { }
        @Override public void publishDiagnostics(PublishDiagnosticsParams params) {
            published.add(params);
            diagnostics.add(params);
        }
        @Override public void showMessage(MessageParams params) { }
        @Override public CompletableFuture<MessageActionItem> showMessageRequest(ShowMessageRequestParams params) {
            return CompletableFuture.completedFuture(null);
        }
        @Override public void logMessage(MessageParams message) { }
    }

    /**
     * Writes into a pipe from one long-lived thread: a {@link PipedInputStream} fails its reader
     * ("write end dead") once the last thread that wrote has ended, and LSP4J writes from pool
     * threads that come and go.
     */
    static final class PipeWriter extends OutputStream {
        private final PipedOutputStream pipe;
        private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        private final Thread thread;
        private static final byte[] END = new byte[0];

        PipeWriter(PipedInputStream sink) throws IOException {
            pipe = new PipedOutputStream(sink);
            thread = new Thread(() -> {
                try {
                    for (byte[] b = queue.take(); b != END; b = queue.take()) {
                        pipe.write(b);
                        pipe.flush();
                    }
                    pipe.close();
                } catch (InterruptedException | IOException e) {
                    // the session is over
                }
            }, "lsp-test-pipe");
            thread.setDaemon(true);
            thread.start();
        }

        @Override public void write(int b) { queue.add(new byte[] {(byte) b}); }
        @Override public void write(byte[] b, int off, int len) { queue.add(Arrays.copyOfRange(b, off, off + len)); }
        @Override public void close() { queue.add(END); }
    }

    final Client client = new Client();
    final LanguageServer server;
    private final PipeWriter toServer;
    private final PipeWriter toClient;

    LspSession(Path workspace) throws Exception { this(workspace, null); }

    /** {@code initializationOptions}: what an editor sends with `initialize` (its settings), or null. */
    LspSession(Path workspace, Object initializationOptions) throws Exception {
        PipedInputStream serverIn = new PipedInputStream(1 << 20);
        toServer = new PipeWriter(serverIn);
        PipedInputStream clientIn = new PipedInputStream(1 << 20);
        toClient = new PipeWriter(clientIn);
        DlxLsp.launcher(new DlxLanguageServer(DlxLanguageServer.DEFAULT_DEBOUNCE_MILLIS, () -> { }), serverIn, toClient)
            .startListening();
        Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, clientIn, toServer);
        launcher.startListening();
        server = launcher.getRemoteProxy();
        InitializeParams init = new InitializeParams();
        init.setCapabilities(new ClientCapabilities());
        if (workspace != null) {
            init.setWorkspaceFolders(List.of(new WorkspaceFolder(workspace.toUri().toString(), "workspace")));
        }
        if (initializationOptions != null) init.setInitializationOptions(initializationOptions);
        server.initialize(init).get(30, TimeUnit.SECONDS);
        server.initialized(new InitializedParams());
    }

    void open(String uri, String text, int version) {
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "dlx", version, text)));
    }

    /** Settings changed in the editor: `workspace/didChangeConfiguration`. */
    void configure(Object settings) {
        server.getWorkspaceService().didChangeConfiguration(new DidChangeConfigurationParams(settings));
    }

    /** Replaces the whole text. */
    void change(String uri, String text, int version) {
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
            new VersionedTextDocumentIdentifier(uri, version), List.of(new TextDocumentContentChangeEvent(text))));
    }

    /** Replaces a range, as editors send keystrokes. */
    void edit(String uri, Range range, String text, int version) {
        server.getTextDocumentService().didChange(new DidChangeTextDocumentParams(
            new VersionedTextDocumentIdentifier(uri, version), List.of(new TextDocumentContentChangeEvent(range, text))));
    }

    /** The next diagnostics published for {@code uri} with at least {@code version}. */
    PublishDiagnosticsParams diagnostics(String uri, int version) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            PublishDiagnosticsParams p = client.diagnostics.poll(100, TimeUnit.MILLISECONDS);
            if (p == null) continue;
            if (p.getUri().equals(uri) && (p.getVersion() == null || p.getVersion() >= version)) return p;
        }
        throw new AssertionError("no diagnostics for " + uri + " version " + version);
    }

    /** Waits for diagnostics of {@code uri} that satisfy {@code wanted} (earlier ones are skipped). */
    PublishDiagnosticsParams diagnosticsUntil(String uri, java.util.function.Predicate<PublishDiagnosticsParams> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        PublishDiagnosticsParams last = null;
        while (System.nanoTime() < deadline) {
            PublishDiagnosticsParams p = client.diagnostics.poll(100, TimeUnit.MILLISECONDS);
            if (p == null || !p.getUri().equals(uri)) continue;
            last = p;
            if (wanted.test(p)) return p;
        }
        throw new AssertionError("no such diagnostics for " + uri + "; last: " + last);
    }

    static TextDocumentIdentifier doc(String uri) { return new TextDocumentIdentifier(uri); }

    /** The position of the {@code nth} (0-based) occurrence of {@code needle} in {@code text}, plus {@code delta} characters. */
    static Position at(String text, String needle, int nth, int delta) {
        int i = -1;
        for (int k = 0; k <= nth; k++) {
            i = text.indexOf(needle, i + 1);
            if (i < 0) throw new AssertionError("`" + needle + "` not found");
        }
        int offset = i + delta;
        int line = 0;
        int lineStart = 0;
        for (int c = 0; c < offset; c++) {
            if (text.charAt(c) == '\n') {
                line++;
                lineStart = c + 1;
            }
        }
        return new Position(line, offset - lineStart);
    }

    static Position at(String text, String needle) { return at(text, needle, 0, 0); }

    static Position end(String text) { return at(text, text, 0, text.length()); }

    /** Applies edits to a text, last first. */
    static String apply(String text, List<? extends TextEdit> edits) {
        List<TextEdit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparing((TextEdit e) -> e.getRange().getStart().getLine())
            .thenComparing(e -> e.getRange().getStart().getCharacter()).reversed());
        String out = text;
        for (TextEdit e : sorted) {
            TextMap map = new TextMap(out);
            int s = map.offset(e.getRange().getStart());
            int t = map.offset(e.getRange().getEnd());
            out = out.substring(0, s) + e.getNewText() + out.substring(t);
        }
        return out;
    }

    @Override public void close() throws IOException {
        try {
            server.shutdown().get(10, TimeUnit.SECONDS);
            server.exit();
        } catch (Exception e) {
            // closing anyway
        }
        toServer.close();
        toClient.close();
    }
}
