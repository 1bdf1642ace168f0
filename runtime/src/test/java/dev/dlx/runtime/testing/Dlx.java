package dev.dlx.runtime.testing;

import dev.dlx.compiler.Compilation;
import dev.dlx.compiler.Compiler;
import dev.dlx.compiler.diag.TextRenderer;
import dev.dlx.compiler.ir.ModelIR;
import java.nio.file.Path;

/** Compiles dlx text written in a test. */
public final class Dlx {
    private Dlx() {}

    /** The first model of {@code source}, which must check without errors. */
    public static ModelIR model(String source) {
        Compilation c = new Compiler().compile(Path.of("test.dlx"), source);
        if (!c.ok()) {
            throw new AssertionError("does not check:\n" + source + "\n"
                + new TextRenderer(false).renderAll(c.diagnostics().sorted()));
        }
        return c.rootModels().get(0);
    }
}
