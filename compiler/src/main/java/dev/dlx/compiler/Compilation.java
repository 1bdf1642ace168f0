package dev.dlx.compiler;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Work;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.resolve.SymbolTable;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Program;
import dev.dlx.compiler.train.EvaluateIR;
import dev.dlx.compiler.train.TrainIR;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of compiling one file: its AST and those of its imports, the symbol table, every
 * checked model and dataset (by name), the root file's training and evaluation blocks, all
 * diagnostics, and the work compiling took, counted in steps. Backends read the IR parts and
 * never the AST.
 */
public record Compilation(Program root, List<Program> programs, SymbolTable symbols, Map<String, ModelIR> models,
                          Map<String, DatasetIR> datasets, List<TrainIR> trainings, List<EvaluateIR> evaluations,
                          Diagnostics diagnostics, Work work) {

    public boolean ok() { return !diagnostics.hasErrors(); }

    /** Models declared in the root file (not the imported ones), in order. */
    public List<ModelIR> rootModels() {
        return root.all(Decl.Model.class).stream()
            .map(m -> models.get(m.name().name()))
            .filter(Objects::nonNull)
            .distinct()
            .toList();
    }

    /**
     * The root models as their trainings see them: a model trained with `freeze` is listed with
     * those layers' weights non-trainable, once per distinct set of frozen layers; a model no
     * training freezes is listed as declared.
     */
    public List<ModelIR> rootModelsAsTrained() {
        List<ModelIR> out = new java.util.ArrayList<>();
        for (ModelIR m : rootModels()) {
            java.util.Set<List<String>> sets = new java.util.LinkedHashSet<>();
            for (TrainIR t : trainings) if (t.model().equals(m.name())) sets.add(t.frozen());
            if (sets.isEmpty()) sets.add(List.of());
            for (List<String> frozen : sets) out.add(m.freeze(frozen));
        }
        return out;
    }
}
