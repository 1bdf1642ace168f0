package dev.dlx.compiler;

import dev.dlx.compiler.check.ModelCache;
import dev.dlx.compiler.check.Models;
import dev.dlx.compiler.data.DatasetChecker;
import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.resolve.SymbolTable;
import dev.dlx.compiler.schema.Hyperparams;
import dev.dlx.compiler.schema.Suggest;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.search.SearchChecker;
import dev.dlx.compiler.search.SearchPoints;
import dev.dlx.compiler.search.SearchSpec;
import dev.dlx.compiler.syntax.Ident;
import dev.dlx.compiler.train.EvaluateChecker;
import dev.dlx.compiler.train.EvaluateIR;
import dev.dlx.compiler.train.MachineMemory;
import dev.dlx.compiler.train.MemoryWarning;
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
import dev.dlx.compiler.resolve.FileAccess;
import dev.dlx.compiler.resolve.Loader;
import dev.dlx.compiler.resolve.SourceProvider;
import dev.dlx.compiler.resolve.SourceText;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Program;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The front end in one call: parse, resolve imports and names, check every model, dataset and
 * training block. Never throws for bad input; everything wrong is in the diagnostics.
 */
public final class Compiler {
    private final SourceProvider sources;
    private final FileAccess access;
    private final Path displayBase;
    private final OptionalLong machineMemory;

    /** A compiler that warns (DLX0411) when a training needs more than this machine's physical memory. */
    public Compiler(SourceProvider sources, Path displayBase) {
        this(sources, FileAccess.ANY, displayBase, MachineMemory.physical());
    }

    /** A compiler that compares trainings' memory with {@code machineMemory} bytes (empty: no comparison). */
    public Compiler(SourceProvider sources, Path displayBase, OptionalLong machineMemory) {
        this(sources, FileAccess.ANY, displayBase, machineMemory);
    }

    /**
     * Reads imports through {@code sources} and only the imports and data files {@code access}
     * allows; {@code displayBase} makes paths in messages short.
     */
    public Compiler(SourceProvider sources, FileAccess access, Path displayBase) {
        this(sources, access, displayBase, MachineMemory.physical());
    }

    public Compiler(SourceProvider sources, FileAccess access, Path displayBase, OptionalLong machineMemory) {
        this(sources, access, displayBase, machineMemory, Map.of());
    }

    private Compiler(SourceProvider sources, FileAccess access, Path displayBase, OptionalLong machineMemory, Map<String, String> params,
                     ModelCache cache) {
        this.sources = sources;
        this.access = access;
        this.displayBase = displayBase;
        this.machineMemory = machineMemory;
        this.params = Map.copyOf(params);
        this.cache = cache;
    }

    private Compiler(SourceProvider sources, FileAccess access, Path displayBase, OptionalLong machineMemory, Map<String, String> params) {
        this(sources, access, displayBase, machineMemory, params, null);
    }

    /** Earlier checks of the same document, or null. */
    private final ModelCache cache;

    /**
     * A compiler that takes each model from {@code cache} when nothing its check reads has changed
     * since an earlier compilation with the same cache (an editor's document, checked after every
     * edit), and checks the others; likewise it parses again only the declarations whose text is
     * new ({@link ModelCache#parses}). The compilation equals one without the cache. A file with a
     * `search` block is checked whole.
     */
    public Compiler reusing(ModelCache cache) {
        return new Compiler(sources, access, displayBase, machineMemory, params, cache);
    }

    /** The values given for the file's search parameters (`--param NAME=VALUE`); none: their defaults. */
    private final Map<String, String> params;

    /**
     * A compiler that gives the root file's search parameters these values ({@code name -> text});
     * the others keep their defaults. With values given, the other points of the search are not checked.
     */
    public Compiler withParams(Map<String, String> values) {
        return new Compiler(sources, access, displayBase, machineMemory, values, cache);
    }

    /** The root file's `search` block, checked (its diagnostics are the compilation's); empty when it has none. */
    public static Optional<SearchSpec> search(Compilation c) {
        List<Decl.Search> s = c.root().all(Decl.Search.class);
        return s.isEmpty() ? Optional.empty() : Optional.of(SearchChecker.check(s.get(0), new Diagnostics()));
    }

    /** The memory trainings are compared with, in bytes; empty when there is no comparison. */
    public OptionalLong machineMemory() { return machineMemory; }

    public Compiler() { this(SourceProvider.DISK, Path.of("").toAbsolutePath()); }

    /** Compiles a file from the source provider; empty when it cannot be read at all. */
    public Optional<Compilation> compile(Path file) {
        SourceText read = sources.load(file.toAbsolutePath().normalize());
        if (read instanceof SourceText.Text t) return Optional.of(compile(file, t.text()));
        if (read instanceof SourceText.Refused r) return Optional.of(refused(file, r));
        return Optional.empty();
    }

    /** A file that is there but is not a dlx source: a compilation of one error saying so. */
    private static Compilation refused(Path file, SourceText.Refused r) {
        Diagnostic d = notText(file, r);
        Diagnostics sink = new Diagnostics();
        sink.report(d);
        return empty(d.span().file(), sink);
    }

    /** The error for a file that is not a dlx source, at the place of the problem when it has one. */
    public static Diagnostic notText(Path file, SourceText.Refused r) {
        SourceFile source = new SourceFile(file, file.toString(), r.text());
        String problem = r.text().isEmpty() ? "`" + file + "` is " + r.problem() : r.problem();
        return Diagnostic.error(Code.NOT_TEXT, Span.of(source, r.start(), r.end()), problem)
            .label(r.text().isEmpty() ? "not read" : "here")
            .help(r.help())
            .build();
    }

    /**
     * Compiles {@code text} as the content of {@code file} (imports are read from the provider).
     * Deeply nested input recurses deeply: compiling runs on a thread with room for it.
     */
    public Compilation compile(Path file, String text) {
        return LargeStack.call("dlx-compile", () -> compileHere(file, text), () -> tooDeep(file, text));
    }

    /** A program nested beyond even the large stack: one clear error instead of a crash. */
    private static Compilation tooDeep(Path file, String text) {
        SourceFile source = new SourceFile(file, file.toString(), text);
        Diagnostics sink = new Diagnostics();
        sink.report(Diagnostic.error(Code.SYNTAX, Span.of(source, 0, 0), "the program is nested too deeply to compile")
            .label("somewhere in this file")
            .help("split long or deeply parenthesized expressions and block nestings"));
        return empty(source, sink);
    }

    /** A compilation with no declarations, only the diagnostics of {@code sink}. */
    private static Compilation empty(SourceFile source, Diagnostics sink) {
        Program empty = new Program(source, List.of());
        return new Compilation(empty, List.of(empty), new SymbolTable(), Map.of(), Map.of(), List.of(), List.of(), sink, new Work());
    }

    private Compilation compileHere(Path file, String text) {
        Diagnostics sink = new Diagnostics();
        Work work = new Work();
        Loader.Result loaded = new Loader(sources, access, displayBase, sink, work)
            .parsingRootWith(cache == null ? null : cache.parses()).load(file, text);
        List<Decl.Search> searches = loaded.root().all(Decl.Search.class);
        if (searches.isEmpty()) {
            if (!params.isEmpty()) {
                sink.report(Diagnostic.error(Code.SEARCH_VALUE, Span.of(loaded.root().file(), 0, 0),
                        "values were given for search parameters (" + String.join(", ", new java.util.TreeSet<>(params.keySet()))
                        + "), but the file has no `search` block")
                    .label("no `search` here")
                    .help("declare them: `search { param NAME choice ... }`, and write NAME where the value goes"));
            }
            if (cache == null) return checkAll(loaded, sink, work, null);
            cache.begin();
            try {
                return checkAll(loaded, sink, work, cache);
            } finally {
                cache.end();
            }
        }
        for (Decl.Search extra : searches.subList(1, searches.size())) {
            sink.report(Diagnostic.error(Code.DUPLICATE_DEFINITION, extra.span(), "a file has one `search` block")
                .label("second `search`").secondary(searches.get(0).span(), "first one").help("merge them into one"));
        }
        SearchSpec spec = SearchChecker.check(searches.get(0), sink);
        Map<String, Value> point = SearchPoints.given(spec, params, sink);
        java.util.Set<String> used = new java.util.LinkedHashSet<>();
        Compilation c = Hyperparams.within(point, used, () -> checkAll(loaded, sink, work, null));
        SearchPoints.checkObjective(spec, c, sink);
        SearchPoints.checkUsed(spec, used, sink);
        if (params.isEmpty()) {
            SearchPoints.checkPoints(spec, point, sink, other -> Hyperparams.within(other,
                () -> checkAll(new Loader(sources, access, displayBase, new Diagnostics(), new Work()).load(file, text), new Diagnostics(), new Work(), null)));
        }
        return c;
    }

    /** Checks every model (taken from {@code cache} where it can be), dataset, training and evaluation of {@code loaded} into {@code sink}. */
    private Compilation checkAll(Loader.Result loaded, Diagnostics sink, Work work, ModelCache cache) {
        SymbolTable symbols = loaded.symbols();
        Map<String, ModelIR> models = new LinkedHashMap<>();
        Map<String, DatasetIR> datasets = new LinkedHashMap<>();
        Map<Path, SourceFile> files = new LinkedHashMap<>();
        for (Program p : loaded.programs()) if (p != loaded.root() && p.file().path() != null) files.put(p.file().path(), p.file());
        Models checked = new Models(symbols, sink, work, cache, loaded.root().file(), files);
        for (Program p : loaded.programs()) {
            for (Decl.Model m : p.all(Decl.Model.class)) {
                if (symbols.model(m.name().name()).orElse(null) != m) continue; // duplicate, reported
                models.put(m.name().name(), checked.get(m).orElseThrow());
            }
            for (Decl.Dataset d : p.all(Decl.Dataset.class)) {
                if (symbols.dataset(d.name().name()).orElse(null) != d) continue;
                datasets.put(d.name().name(), DatasetChecker.check(d, directoryOf(p), access, sink));
            }
        }
        List<TrainIR> trainings = new ArrayList<>();
        List<EvaluateIR> evaluations = new ArrayList<>();
        Map<String, TrainIR> trainingOf = new java.util.HashMap<>();
        for (Program p : loaded.programs()) {
            boolean isRoot = p == loaded.root();
            for (Decl.Train t : p.all(Decl.Train.class)) {
                ModelIR model = resolve(t.model(), "model", symbols.models().keySet(), models, symbols, sink);
                DatasetIR data = resolve(t.dataset(), "dataset", symbols.datasets().keySet(), datasets, symbols, sink);
                TrainIR ir = TrainChecker.check(t, model, data, sink);
                if (isRoot) trainings.add(ir);
                if (isRoot) MemoryWarning.check(t, model, ir, machineMemory, sink);
                if (ir != null) trainingOf.putIfAbsent(ir.model(), ir);
            }
            for (Decl.Evaluate e : p.all(Decl.Evaluate.class)) {
                ModelIR model = resolve(e.model(), "model", symbols.models().keySet(), models, symbols, sink);
                Ident dataName = e.data().parts().get(0);
                DatasetIR data = resolve(dataName, "dataset", symbols.datasets().keySet(), datasets, symbols, sink);
                EvaluateIR ir = EvaluateChecker.check(e, model, data, model == null ? null : trainingOf.get(model.name()), sink);
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
        else b.help("the " + Suggest.plural(what) + " in scope are " + Suggest.list(candidates));
        sink.report(b);
        return null;
    }

    private static Path directoryOf(Program p) {
        Path file = p.file().path();
        Path dir = file == null ? null : file.toAbsolutePath().getParent();
        return dir == null ? Path.of("").toAbsolutePath() : dir;
    }
}
