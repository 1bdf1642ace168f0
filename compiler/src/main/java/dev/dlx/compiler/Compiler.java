package dev.dlx.compiler;

import dev.dlx.compiler.check.ModelChecker;
import dev.dlx.compiler.data.DatasetChecker;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.resolve.SymbolTable;
import dev.dlx.compiler.schema.Suggest;
import dev.dlx.compiler.syntax.Ident;
import dev.dlx.compiler.train.EvaluateChecker;
import dev.dlx.compiler.train.EvaluateIR;
import dev.dlx.compiler.train.TrainChecker;
import dev.dlx.compiler.train.TrainIR;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.diag.Work;
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

    /** Deeply nested input recurses deeply; compiling runs on a thread with room for it. */
    private static final long STACK_BYTES = 512L * 1024 * 1024;

    /** Compiles {@code text} as the content of {@code file} (imports are read from the provider). */
    public Compilation compile(Path file, String text) {
        Compilation[] result = new Compilation[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(null, () -> {
            try {
                result[0] = compileHere(file, text);
            } catch (StackOverflowError deep) {
                result[0] = tooDeep(file, text);
            } catch (RuntimeException | Error e) {
                failure[0] = e;
            }
        }, "dlx-compile", STACK_BYTES);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while compiling " + file, e);
        }
        if (failure[0] instanceof Error e) throw e;
        if (failure[0] instanceof RuntimeException e) throw e;
        return result[0];
    }

    /** A program nested beyond even the large stack: one clear error instead of a crash. */
    private Compilation tooDeep(Path file, String text) {
        Diagnostics sink = new Diagnostics();
        SourceFile source = new SourceFile(file, file.getFileName() == null ? file.toString() : file.toString(), text);
        sink.report(Diagnostic.error(Code.SYNTAX, Span.of(source, 0, 0), "the program is nested too deeply to compile")
            .label("somewhere in this file")
            .help("split long or deeply parenthesized expressions and block nestings"));
        Program empty = new Program(source, List.of());
        return new Compilation(empty, List.of(empty), new SymbolTable(), Map.of(), Map.of(), List.of(), List.of(), sink, new Work());
    }

    private Compilation compileHere(Path file, String text) {
        Diagnostics sink = new Diagnostics();
        Work work = new Work();
        Loader.Result loaded = new Loader(sources, displayBase, sink, work).load(file, text);
        SymbolTable symbols = loaded.symbols();
        Map<String, ModelIR> models = new LinkedHashMap<>();
        Map<String, DatasetIR> datasets = new LinkedHashMap<>();
        for (Program p : loaded.programs()) {
            for (Decl.Model m : p.all(Decl.Model.class)) {
                if (symbols.model(m.name().name()).orElse(null) != m) continue; // duplicate, reported
                models.put(m.name().name(), ModelChecker.check(m, symbols, sink, work));
            }
            for (Decl.Dataset d : p.all(Decl.Dataset.class)) {
                if (symbols.dataset(d.name().name()).orElse(null) != d) continue;
                datasets.put(d.name().name(), DatasetChecker.check(d, directoryOf(p), sink));
            }
        }
        List<TrainIR> trainings = new ArrayList<>();
        List<EvaluateIR> evaluations = new ArrayList<>();
        for (Program p : loaded.programs()) {
            boolean isRoot = p == loaded.root();
            for (Decl.Train t : p.all(Decl.Train.class)) {
                ModelIR model = resolve(t.model(), "model", symbols.models().keySet(), models, symbols, sink);
                DatasetIR data = resolve(t.dataset(), "dataset", symbols.datasets().keySet(), datasets, symbols, sink);
                TrainIR ir = TrainChecker.check(t, model, data, sink);
                if (isRoot) trainings.add(ir);
            }
            for (Decl.Evaluate e : p.all(Decl.Evaluate.class)) {
                ModelIR model = resolve(e.model(), "model", symbols.models().keySet(), models, symbols, sink);
                Ident dataName = e.data().parts().get(0);
                DatasetIR data = resolve(dataName, "dataset", symbols.datasets().keySet(), datasets, symbols, sink);
                EvaluateIR ir = EvaluateChecker.check(e, model, data, sink);
                if (isRoot) evaluations.add(ir);
            }
        }
        return new Compilation(loaded.root(), loaded.programs(), symbols, models, datasets,
                List.copyOf(trainings), List.copyOf(evaluations), sink, work);
    }

    /** The IR named by {@code name}, or null after reporting an unknown name (with did-you-mean). */
    private static <T> T resolve(Ident name, String what, Collection<String> candidates, Map<String, T> checked,
                                 SymbolTable symbols, Diagnostics sink) {
        if (candidates.contains(name.name())) return checked.get(name.name());
        Diagnostic.Builder b = Diagnostic.error(Code.UNKNOWN_NAME, name.span(), "no " + what + " named `" + name.name() + "`")
            .label("unknown " + what);
        Optional<String> close = Suggest.closest(name.name(), candidates);
        if (close.isPresent()) b.help("did you mean `" + close.get() + "`?");
        else if (symbols.any(name.name()).isPresent()) b.help("`" + name.name() + "` is not a " + what);
        else if (candidates.isEmpty()) b.help("declare it with `" + what + " " + name.name() + " { ... }` or import the file that does");
        else b.help("the " + what + "s in scope are " + Suggest.list(candidates));
        sink.report(b);
        return null;
    }

    private static Path directoryOf(Program p) {
        Path file = p.file().path();
        Path dir = file == null ? null : file.toAbsolutePath().getParent();
        return dir == null ? Path.of("").toAbsolutePath() : dir;
    }

    /** A diagnostic for a file that cannot be read, placed at its (empty) start. */
    public static Diagnostic unreadable(Path file) {
        SourceFile empty = new SourceFile(file, file.toString(), "");
        return Diagnostic.error(Code.IMPORT_NOT_FOUND, Span.of(empty, 0, 0), "cannot read `" + file + "`")
            .label("no such file or not readable")
            .build();
    }
}
