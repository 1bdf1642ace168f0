package dev.dlx.compiler.check;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.ModelUse;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of a model's summary, for {@link Summary} and {@link SummaryJson}: one per layer of the
 * model's own, and one per use of another model, which stands for the used model's layers. The
 * parameters of shared weights are counted in the row of the first use that has them; a later use
 * names the row it shares them with. The rows' parameters add up to the model's total.
 *
 * @param name       the layer's name, or the use's (its `let` name, else `Encoder_1`)
 * @param type       the layer's spelling, `input`, or the used model's name
 * @param model      the used model's name, or null for a layer of the model's own
 * @param sharedWith the row of an earlier use whose weights this one computes with, or null
 * @param shapes     output shapes: one, or one per output of a used model
 */
record SummaryRow(String name, String type, String kind, String model, String sharedWith, List<Shape> shapes,
                   long params, long trainable, ReceptiveField receptiveField, List<String> inputs, Span span) {

    static List<SummaryRow> of(ModelIR model) {
        Map<Integer, String> shownAs = new HashMap<>();
        for (ModelUse u : model.uses()) if (u.outputs().size() == 1) shownAs.put(u.outputs().get(0), u.name());
        List<SummaryRow> rows = new ArrayList<>();
        Set<Integer> shown = new HashSet<>();
        Map<String, String> heldBy = new HashMap<>();
        for (Node n : model.nodes()) {
            if (n.shared() == null) {
                rows.add(new SummaryRow(n.name(), n.isInput() ? "input" : n.spelling(), n.kindName(), null, null, List.of(n.shape()),
                    n.paramCount(), n.trainableCount(), n.receptiveField(), names(model, n.inputs(), shownAs), n.span()));
            } else if (shown.add(n.shared().use())) {
                rows.add(use(model, n.shared().use(), heldBy, shownAs));
            }
        }
        return rows;
    }

    private static SummaryRow use(ModelIR model, int index, Map<String, String> heldBy, Map<Integer, String> shownAs) {
        ModelUse use = model.uses().get(index);
        long params = 0, trainable = 0;
        String sharedWith = null;
        for (Node n : model.nodes()) {
            if (n.shared() == null || n.shared().use() != index || n.params().isEmpty()) continue;
            if (model.holdsWeights(n)) {
                params += n.paramCount();
                trainable += n.trainableCount();
                heldBy.put(n.weightOwner(), use.name());
            } else if (sharedWith == null) {
                sharedWith = heldBy.get(n.weightOwner());
            }
        }
        List<Shape> shapes = use.outputs().stream().map(o -> model.node(o).shape()).toList();
        ReceptiveField rf = use.outputs().isEmpty() ? ReceptiveField.NONE : model.node(use.outputs().get(0)).receptiveField();
        return new SummaryRow(use.name(), use.model(), "model", use.model(), sharedWith, shapes, params, trainable, rf,
            names(model, use.inputs(), shownAs), use.span());
    }

    /** The names of the rows that compute {@code ids}: a use with one output stands for it. */
    private static List<String> names(ModelIR model, List<Integer> ids, Map<Integer, String> shownAs) {
        return ids.stream().map(i -> shownAs.getOrDefault(i, model.node(i).name())).toList();
    }

    /** `ea (Encoder)`, `eb (Encoder, shared with ea)`, `conv_1 (conv)`. */
    String label() { return name + " (" + type + (sharedWith == null ? "" : ", shared with " + sharedWith) + ")"; }
}
