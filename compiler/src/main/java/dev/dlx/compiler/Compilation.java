package dev.dlx.compiler;

import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.resolve.SymbolTable;
import dev.dlx.compiler.syntax.Program;
import java.util.List;
import java.util.Map;

/**
 * The result of compiling one file: its AST and those of its imports, the symbol table, every
 * checked model, dataset, training and evaluation, and all diagnostics. An immutable value.
 */
public record Compilation(Program root, List<Program> programs, SymbolTable symbols, Map<String, ModelIR> models,
                          Diagnostics diagnostics) {

    public boolean ok() { return !diagnostics.hasErrors(); }

    /** Models declared in the root file (not the imported ones), in order. */
    public List<ModelIR> rootModels() {
        return root.all(dev.dlx.compiler.syntax.Decl.Model.class).stream()
            .map(m -> models.get(m.name().name()))
            .filter(java.util.Objects::nonNull)
            .distinct()
            .toList();
    }
}
