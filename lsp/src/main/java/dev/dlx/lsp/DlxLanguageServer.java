package dev.dlx.lsp;

import dev.dlx.lsp.service.Analysis;
import dev.dlx.lsp.service.LanguageService;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.CompletionOptions;
import org.eclipse.lsp4j.DidChangeConfigurationParams;
import org.eclipse.lsp4j.DidChangeWatchedFilesParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.SaveOptions;
import org.eclipse.lsp4j.ServerCapabilities;
import org.eclipse.lsp4j.ServerInfo;
import org.eclipse.lsp4j.TextDocumentSyncKind;
import org.eclipse.lsp4j.TextDocumentSyncOptions;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.services.LanguageClient;
import org.eclipse.lsp4j.services.LanguageClientAware;
import org.eclipse.lsp4j.services.LanguageServer;
import org.eclipse.lsp4j.services.TextDocumentService;
import org.eclipse.lsp4j.services.WorkspaceService;

/**
 * The dlx language server: the protocol's lifecycle and capabilities. Documents go to the
 * {@link DocumentService} (debounced checks, cancellation, publishing), questions about them to the
 * protocol-free {@link LanguageService}.
 */
public final class DlxLanguageServer implements LanguageServer, LanguageClientAware {
    /** Quiet time after a change before the document is checked again. */
    public static final long DEFAULT_DEBOUNCE_MILLIS = 20;

    private final LanguageService service = new LanguageService();
    private final DocumentService documents;
    private final DlxTextDocumentService textService;
    private final Runnable onExit;
    private volatile LanguageClient client;
    private volatile boolean shutdown;

    public DlxLanguageServer() { this(DEFAULT_DEBOUNCE_MILLIS, () -> { }); }

    /** {@code onExit} runs on the protocol's `exit` notification (the command ends the process there). */
    public DlxLanguageServer(long debounceMillis, Runnable onExit) {
        this.documents = new DocumentService(service, this::publish, debounceMillis);
        this.textService = new DlxTextDocumentService(documents, service);
        this.onExit = onExit;
    }

    @Override public void connect(LanguageClient client) { this.client = client; }

    public boolean shutdownRequested() { return shutdown; }

    private void publish(DocumentService.Document doc, Analysis analysis) {
        LanguageClient c = client;
        if (c == null) return;
        PublishDiagnosticsParams params = new PublishDiagnosticsParams(doc.uri(),
            analysis == null ? List.of() : new Convert(documents::uriOf).diagnostics(analysis));
        if (analysis != null) params.setVersion(doc.version());
        c.publishDiagnostics(params);
    }

    @Override public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        List<Path> roots = new ArrayList<>();
        if (params.getWorkspaceFolders() != null) {
            for (WorkspaceFolder f : params.getWorkspaceFolders()) addRoot(roots, f.getUri());
        }
        if (roots.isEmpty() && params.getRootUri() != null) addRoot(roots, params.getRootUri());
        documents.setRoots(roots);
        documents.allowReadsOutsideWorkspace(WorkspaceAccess.allowed(params.getInitializationOptions()));

        ServerCapabilities caps = new ServerCapabilities();
        TextDocumentSyncOptions sync = new TextDocumentSyncOptions();
        sync.setOpenClose(true);
        sync.setChange(TextDocumentSyncKind.Incremental);
        sync.setSave(new SaveOptions(false));
        caps.setTextDocumentSync(sync);
        caps.setHoverProvider(true);
        CompletionOptions completion = new CompletionOptions(false, List.of(" ", "\"", "/", ".", "(", ">"));
        caps.setCompletionProvider(completion);
        caps.setDefinitionProvider(true);
        caps.setReferencesProvider(true);
        caps.setDocumentSymbolProvider(true);
        caps.setDocumentFormattingProvider(true);
        caps.setPositionEncoding("utf-16"); // the protocol's default, and the compiler's unit for offsets
        return CompletableFuture.completedFuture(new InitializeResult(caps, new ServerInfo("dlxc lsp", "0.1.0")));
    }

    private static void addRoot(List<Path> roots, String uri) {
        try {
            URI u = URI.create(uri);
            if ("file".equalsIgnoreCase(u.getScheme())) roots.add(Path.of(u).toAbsolutePath().normalize());
        } catch (RuntimeException e) {
            // not a folder on this machine
        }
    }

    @Override public void initialized(InitializedParams params) { }

    @Override public CompletableFuture<Object> shutdown() {
        shutdown = true;
        documents.shutdown();
        return CompletableFuture.completedFuture(null);
    }

    @Override public void exit() {
        documents.shutdown();
        onExit.run();
    }

    @Override public TextDocumentService getTextDocumentService() { return textService; }

    @Override public WorkspaceService getWorkspaceService() {
        return new WorkspaceService() {
            @Override public void didChangeConfiguration(DidChangeConfigurationParams params) {
                documents.allowReadsOutsideWorkspace(WorkspaceAccess.allowed(params.getSettings()));
            }

            @Override public void didChangeWatchedFiles(DidChangeWatchedFilesParams params) { documents.recheckAll(); }
        };
    }
}
