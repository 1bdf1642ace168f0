package dev.dlx.compiler.resolve;

import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.diag.Work;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.ParseCache;
import dev.dlx.compiler.syntax.Parser;
import dev.dlx.compiler.syntax.Program;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses a file and, transitively, the files it imports (paths relative to the importing file),
 * reporting missing files and import cycles, and fills the symbol table, reporting duplicates.
 * An import that {@link FileAccess} refuses is reported and not looked at.
 */
public final class Loader {
    private final SourceProvider sources;
    private final FileAccess access;
    private final Diagnostics sink;
    private final Path displayBase;
    private final Work work;
    private final Map<Path, Program> loaded = new LinkedHashMap<>();
    private final Deque<Path> stack = new ArrayDeque<>();
    /** The root file's earlier parses, or null. */
    private ParseCache rootParses;

    public Loader(SourceProvider sources, Path displayBase, Diagnostics sink, Work work) {
        this(sources, FileAccess.ANY, displayBase, sink, work);
    }

    /** Reads only the imports {@code access} allows. */
    public Loader(SourceProvider sources, FileAccess access, Path displayBase, Diagnostics sink, Work work) {
        this.sources = sources;
        this.access = access;
        this.displayBase = displayBase;
        this.sink = sink;
        this.work = work;
    }

    /** Parses the root file with {@code parses}, the parses of its earlier versions (null: none); the result is the same. */
    public Loader parsingRootWith(ParseCache parses) {
        this.rootParses = parses;
        return this;
    }

    /** The programs in load order (each import before its importer) and their symbols. */
    public record Result(List<Program> programs, Program root, SymbolTable symbols) {}

    /** Loads {@code root}; returns null when the root itself cannot be read (reported by the caller). */
    public Result load(Path root, String rootText) {
        Path normalized = root.toAbsolutePath().normalize();
        Program program = rootParses == null ? parse(normalized, rootText)
            : rootParses.parse(new SourceFile(normalized, display(normalized), rootText), sink, work);
        visit(normalized, program);
        SymbolTable symbols = new SymbolTable();
        for (Program p : loaded.values()) {
            for (Decl d : p.decls()) {
                if (d.name() == null) continue;
                Optional<Decl> earlier = symbols.define(d);
                earlier.ifPresent(first -> sink.report(Diagnostic.error(Code.DUPLICATE_DEFINITION, d.name().span(),
                        "`" + d.name().name() + "` is defined twice")
                    .label("second definition")
                    .secondary(first.name().span(), "first defined here")
                    .help("rename one of them")));
            }
        }
        return new Result(List.copyOf(loaded.values()), program, symbols);
    }

    private void visit(Path path, Program program) {
        stack.push(path);
        for (Decl.Import imp : program.all(Decl.Import.class)) {
            Path dir = path.getParent() == null ? Path.of(".") : path.getParent();
            boolean library = StandardLibrary.names(imp.path());
            Path target;
            try {
                target = library ? StandardLibrary.path(imp.path()) : dir.resolve(imp.path()).toAbsolutePath().normalize();
            } catch (java.nio.file.InvalidPathException notAPath) {
                sink.report(Diagnostic.error(Code.IMPORT_NOT_FOUND, imp.pathSpan(), "`" + imp.path().replace("\0", "\\0")
                        + "` is not a file path on this system: " + notAPath.getReason())
                    .label("not a path")
                    .help("write the path of a `.dlx` file, relative to this file"));
                continue;
            }
            if (stack.contains(target)) {
                List<String> chain = new ArrayList<>();
                List<Path> order = new ArrayList<>(stack);
                java.util.Collections.reverse(order);
                int from = order.indexOf(target);
                for (Path p : order.subList(from, order.size())) chain.add(display(p));
                chain.add(display(target));
                sink.report(Diagnostic.error(Code.IMPORT_CYCLE, imp.pathSpan(), "import cycle: " + String.join(" -> ", chain))
                    .label("imports a file that imports this one")
                    .help("move what both files need into a third file and import it from each"));
                continue;
            }
            if (loaded.containsKey(target)) continue;
            if (library) {
                Optional<String> text = StandardLibrary.text(imp.path());
                if (text.isPresent()) {
                    visit(target, parse(target, text.get()));
                } else {
                    sink.report(Diagnostic.error(Code.IMPORT_NOT_FOUND, imp.pathSpan(),
                            "the standard library has no file `" + imp.path() + "`")
                        .label("not in the standard library")
                        .note("it has " + String.join(", ", StandardLibrary.FILES))
                        .help("import paths starting with `std/` name the standard library; other paths are relative to the importing file"));
                }
                continue;
            }
            Optional<FileAccess.Refusal> refusal = access.check(target);
            if (refusal.isPresent()) {
                // neither read nor looked at: whether the file exists is no business of the program either
                sink.report(Diagnostic.error(Code.OUTSIDE_WORKSPACE, imp.pathSpan(),
                        "imported file `" + imp.path() + "` " + refusal.get().reason() + "; it was not read")
                    .label("not read")
                    .help(refusal.get().help()));
                continue;
            }
            if (!target.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".dlx")
                    && java.nio.file.Files.isRegularFile(target)) {
                // never read, so never shown: a file that is no source may hold anything (`/etc/shadow`)
                sink.report(Diagnostic.error(Code.NOT_TEXT, imp.pathSpan(), "imported file `" + imp.path() + "` is not a `.dlx` source; it was not read")
                    .label("not a dlx source")
                    .help("imports name `.dlx` files; data files belong in a dataset's `source`"));
                continue;
            }
            SourceText read = sources.load(target);
            if (read instanceof SourceText.Text text) {
                visit(target, parse(target, text.text()));
            } else if (read instanceof SourceText.Refused refused) {
                Diagnostic.Builder d = Diagnostic.error(Code.NOT_TEXT, imp.pathSpan(),
                        "imported file `" + imp.path() + "` is " + refused.reason())
                    .label("not a dlx source")
                    .help(refused.help());
                if (!refused.text().isEmpty()) {
                    SourceFile shown = new SourceFile(target, display(target), refused.text());
                    d.secondary(Span.of(shown, refused.start(), refused.end()), "this byte");
                }
                sink.report(d);
            } else {
                sink.report(Diagnostic.error(Code.IMPORT_NOT_FOUND, imp.pathSpan(), "cannot read imported file `" + imp.path() + "`")
                    .label("not found")
                    .note("looked for " + display(target))
                    .help("import paths are relative to the importing file"));
            }
        }
        stack.pop();
        loaded.put(path, program);
    }

    private Program parse(Path path, String text) {
        SourceFile file = new SourceFile(path, display(path), text);
        return Parser.parse(file, sink, work);
    }

    private String display(Path p) {
        if (StandardLibrary.contains(p)) return StandardLibrary.display(p);
        try {
            Path rel = displayBase.toAbsolutePath().normalize().relativize(p);
            return rel.toString().startsWith("..") && rel.getNameCount() > 3 ? p.toString() : rel.toString();
        } catch (IllegalArgumentException e) {
            return p.toString();
        }
    }
}
