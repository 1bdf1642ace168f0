package dev.dlx.lsp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.ClientCapabilities;
import org.eclipse.lsp4j.DidOpenTextDocumentParams;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializedParams;
import org.eclipse.lsp4j.PublishDiagnosticsParams;
import org.eclipse.lsp4j.TextDocumentItem;
import org.eclipse.lsp4j.WorkspaceFolder;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.launch.LSPLauncher;
import org.eclipse.lsp4j.services.LanguageServer;

/**
 * How long the language server takes from its start to its first diagnostics, as an editor sees it:
 * the time from starting the server's process (`./dlxc lsp`, the launcher and JVM start included)
 * to receiving `publishDiagnostics` for a document opened right after `initialize`. Not a unit
 * test: a number to report (`bench/run start`). Arguments: the document, the number of
 * starts, then the command that starts the server. One more start before them is not counted.
 */
public final class StartBench {
    private StartBench() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]).toAbsolutePath();
        int starts = Integer.parseInt(args[1]);
        List<String> command = List.of(args).subList(2, args.length);
        String text = Files.readString(file);
        once(command, file, text); // not counted: the first start after a build writes the start-up archive
        cpu.clear();
        List<Double> first = new ArrayList<>();
        for (int i = 0; i < starts; i++) first.add(once(command, file, text));
        List<Double> sorted = new ArrayList<>(first);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "start -> first diagnostics of %s (%d lines), %d starts of `%s`:%n", file.getFileName(),
            text.split("\n", -1).length - 1, starts, String.join(" ", command));
        System.out.printf(Locale.ROOT, "  min %.0f ms, median %.0f ms, max %.0f ms (in order: %s)%n", sorted.get(0),
            sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1),
            String.join(", ", first.stream().map(ms -> String.format(Locale.ROOT, "%.0f", ms)).toList()));
        List<Double> c = new ArrayList<>(cpu);
        Collections.sort(c);
        System.out.printf(Locale.ROOT, "  processor time of the server by then (user + system, the launcher's `exec`ed JVM): median %.0f ms (min %.0f, max %.0f)%n",
            c.get(c.size() / 2), c.get(0), c.get(c.size() - 1));
    }

    /** The server process's processor time (user + system) by its first diagnostics, one entry per start. */
    private static final List<Double> cpu = new ArrayList<>();

    /** User + system time of a process so far, from /proc (Linux; NaN elsewhere). */
    private static double cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0; // clock ticks of 10 ms
        } catch (java.io.IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double once(List<String> command, Path file, String text) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        LspSession.Client client = new LspSession.Client();
        Launcher<LanguageServer> launcher = LSPLauncher.createClientLauncher(client, p.getInputStream(), p.getOutputStream());
        launcher.startListening();
        LanguageServer server = launcher.getRemoteProxy();
        InitializeParams init = new InitializeParams();
        init.setCapabilities(new ClientCapabilities());
        init.setWorkspaceFolders(List.of(new WorkspaceFolder(file.getParent().toUri().toString(), "workspace")));
        server.initialize(init).get(60, TimeUnit.SECONDS);
        server.initialized(new InitializedParams());
        String uri = file.toUri().toString();
        server.getTextDocumentService().didOpen(new DidOpenTextDocumentParams(new TextDocumentItem(uri, "dlx", 1, text)));
        PublishDiagnosticsParams got;
        do {
            got = client.diagnostics.poll(60, TimeUnit.SECONDS);
            if (got == null) throw new AssertionError("no diagnostics within 60 s");
        } while (!got.getUri().equals(uri));
        double ms = (System.nanoTime() - start) / 1e6;
        cpu.add(cpuMillis(p.pid()));
        server.shutdown().get(30, TimeUnit.SECONDS);
        server.exit();
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
        return ms;
    }
}
