package dev.dlx.runtime.run;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.TextRenderer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Compiling a file for running: diagnostics printed as `dlxc check` prints them; errors stop. */
public final class Programs {
    private Programs() {}

    /** The compilation, or null after printing why not (unreadable file, or errors). Warnings are printed too. */
    public static Compilation compile(Path file, PrintWriter err) {
        return compile(file, err, java.util.Map.of());
    }

    /** As {@link #compile(Path, PrintWriter)}, with values for the file's search parameters ({@code name -> text}). */
    public static Compilation compile(Path file, PrintWriter err, java.util.Map<String, String> params) {
        if (!Files.exists(file)) {
            err.println("dlxc: cannot read `" + file + "`: no such file");
            return null;
        }
        Compilation c = new Compiler().withParams(params).compile(file).orElse(null);
        if (c == null) {
            err.println("dlxc: cannot read `" + file + "`");
            return null;
        }
        return report(c, err) ? c : null;
    }

    /** Compiles {@code text} as if it were {@code file} (a run folder's copy of a source that moved). */
    public static Compilation compile(Path file, String text, PrintWriter err) {
        Compilation c = new Compiler().compile(file, text);
        return report(c, err) ? c : null;
    }

    /** Prints the diagnostics; true when there are no errors. */
    static boolean report(Compilation c, PrintWriter err) {
        List<Diagnostic> diags = new ArrayList<>(c.diagnostics().sorted());
        if (!diags.isEmpty()) {
            boolean color = ConsoleListener.isTerminal() && System.getenv("NO_COLOR") == null;
            err.print(new TextRenderer(color).renderAll(diags));
            err.flush();
        }
        if (c.ok()) return true;
        err.println("dlxc: " + TextRenderer.tally(c.diagnostics().errorCount(), c.diagnostics().warningCount()) + "; nothing was run");
        err.flush();
        return false;
    }
}
