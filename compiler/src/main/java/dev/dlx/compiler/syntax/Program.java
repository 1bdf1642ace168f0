package dev.dlx.compiler.syntax;

import dev.dlx.compiler.diag.SourceFile;
import java.util.List;

/** The AST of one file. */
public record Program(SourceFile file, List<Decl> decls) {
    public <T extends Decl> List<T> all(Class<T> kind) {
        return decls.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
