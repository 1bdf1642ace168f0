package dev.dlx.lsp;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.services.LanguageClient;

/** Starting the server on a pair of streams (stdin and stdout for `dlxc lsp`). */
public final class DlxLsp {
    private DlxLsp() {}

    /** Connects a server to a client over the streams; call {@code startListening()} on the result. */
    public static Launcher<LanguageClient> launcher(DlxLanguageServer server, InputStream in, OutputStream out) {
        JsonRpcErrors.oneLineLogs();
        Launcher<LanguageClient> launcher = new JsonRpcErrors.LauncherBuilder()
            .setLocalService(server)
            .setRemoteInterface(LanguageClient.class)
            .setInput(in)
            .setOutput(out)
            .setExceptionHandler(JsonRpcErrors::internalError)
            .wrapMessages(JsonRpcErrors::checkingParams)
            .create();
        server.connect(launcher.getRemoteProxy());
        return launcher;
    }

    /**
     * Serves until the client sends `exit` or closes the input. Returns the process exit code the
     * protocol asks for: 0 after a `shutdown` request, 1 otherwise.
     */
    public static int serve(InputStream in, OutputStream out) {
        return serve(in, out, System.err);
    }

    /** {@link #serve(InputStream, OutputStream)}, saying on {@code log} why a broken message stream ended. */
    static int serve(InputStream in, OutputStream out, java.io.PrintStream log) {
        Object exited = new Object();
        boolean[] exit = new boolean[1];
        DlxLanguageServer server = new DlxLanguageServer(DlxLanguageServer.DEFAULT_DEBOUNCE_MILLIS, () -> {
            synchronized (exited) {
                exit[0] = true;
                exited.notifyAll();
            }
        });
        Future<Void> listening = launcher(server, new Framing(in, log), out).startListening();
        Thread watcher = new Thread(() -> {
            try {
                listening.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // the stream broke: treat as exit
            }
            synchronized (exited) {
                exit[0] = true;
                exited.notifyAll();
            }
        }, "dlx-lsp-input");
        watcher.setDaemon(true);
        watcher.start();
        synchronized (exited) {
            while (!exit[0]) {
                try {
                    exited.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return server.shutdownRequested() ? 0 : 1;
    }
}
