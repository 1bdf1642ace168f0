package dev.dlx.runtime.search;

import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.SourceFile;
import dev.dlx.compiler.search.SearchChecker;
import dev.dlx.compiler.search.SearchSpec;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Parser;
import java.nio.file.Path;

/** Search specs from text, as a file's `search` block would give them. */
final class Specs {
    private Specs() {}

    static SearchSpec of(String body) {
        Diagnostics sink = new Diagnostics();
        SourceFile file = new SourceFile(Path.of("spec.dlx"), "spec.dlx", "search {\n" + body + "\n}\n");
        Decl.Search s = Parser.parse(file, sink).all(Decl.Search.class).get(0);
        SearchSpec spec = SearchChecker.check(s, sink);
        if (sink.hasErrors()) throw new AssertionError(sink.sorted().toString());
        return spec;
    }
}
