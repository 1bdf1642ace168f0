package dev.dlx.cli;

import dev.dlx.lsp.DlxLsp;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `dlxc lsp`: the language server, speaking the Language Server Protocol over stdin and stdout. */
@Command(name = "lsp", mixinStandardHelpOptions = true,
        description = "Runs the dlx language server over standard input and output (Language Server Protocol): "
            + "diagnostics as you type, hover, completion, go to definition, references, outline and formatting. "
            + "Editors start it; see ide/vscode for the VS Code extension.")
final class LspCommand implements Callable<Integer> {
    @Option(names = "--stdio", description = "use standard input and output (the default and only transport)")
    boolean stdio;

    @Override public Integer call() {
        // Standard output carries the protocol: nothing else may be printed there.
        return DlxLsp.serve(System.in, System.out);
    }
}
