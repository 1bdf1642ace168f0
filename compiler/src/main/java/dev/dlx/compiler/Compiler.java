package dev.dlx.compiler;

import dev.dlx.compiler.check.ModelChecker;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.resolve.Loader;
import dev.dlx.compiler.resolve.SourceProvider;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Program;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The front end in one call: parse, resolve imports and names, check every model, dataset and
 * training block. Never throws for bad input; everything wrong is in the diagnostics.
 */
public final class Compiler {
    private final SourceProvider sources;
    private final Path displayBase;

    public Compiler(SourceProvider sources, Path displayBase) {
        this.sources = sources;
        this.displayBase = displayBase;
    }

    public Compiler() { this(SourceProvider.DISK, Path.of("").toAbsolutePath()); }

    /** Compiles a file from the source provider; empty when it cannot be read at all. */
    public Optional<Compilation> compile(Path file) {
        return sources.read(file.toAbsolutePath().normalize()).map(text -> compile(file, text));
    }

    /** Compiles {@code text} as the content of {@code file} (imports are read from the provider). */
    public Compilation compile(Path file, String text) {
        Diagnostics sink = new Diagnostics();
        Loader.Result loaded = new Loader(sources, displayBase, sink).load(file, text);
        Map<String, ModelIR> models = new LinkedHashMap<>();
        for (Program p : loaded.programs()) {
            for (Decl.Model m : p.all(Decl.Model.class)) {
                if (loaded.symbols().model(m.name().name()).orElse(null) != m) continue; // duplicate, reported
                models.put(m.name().name(), ModelChecker.check(m, loaded.symbols(), sink));
            }
        }
        return new Compilation(loaded.root(), loaded.programs(), loaded.symbols(), models, sink);
    }

    /** A diagnostic for a file that cannot be read, placed at its (empty) start. */
    public static Diagnostic unreadable(Path file) {
        SourceFile empty = new SourceFile(file, file.toString(), "");
        return Diagnostic.error(Code.IMPORT_NOT_FOUND, Span.of(empty, 0, 0), "cannot read `" + file + "`")
            .label("no such file or not readable")
            .build();
    }
}
