package dev.dlx.compiler.train.expr;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.LabelSpec;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tensors a loss or metric expression can name, from the model and the dataset: the model's
 * inputs, outputs and intermediate tensors (every node by its name: `let` names and the layer
 * names `dlxc check` prints), and the dataset's labels. A model with one output also calls it
 * {@value #OUTPUT}; the dataset's label is {@value #LABEL} (the word of `label 64` in its source).
 * The runtime builds each expression's operands from the same entries: a node's tensor by
 * {@link Entry#node}, a label by its name.
 */
public final class TensorEnv {
    /** The name of a single-output model's output, besides its node's own name. */
    public static final String OUTPUT = "output";
    /** The name of a dataset's single label. */
    public static final String LABEL = "label";

    public enum Role {
        /** a model input */
        INPUT,
        /** a model output */
        OUTPUT,
        /** a tensor inside the model */
        INTERMEDIATE,
        /** a label of the dataset, fed with each batch */
        LABEL
    }

    /**
     * One named tensor.
     *
     * @param shape  per sample (no batch axis)
     * @param node   the model node's id; -1 for a label
     * @param labels the label's encoding (role LABEL only, else null)
     * @param span   where it is defined (the node, or the dataset's `labels` statement)
     */
    public record Entry(String name, Shape shape, Role role, int node, LabelSpec labels, Span span) {
        public boolean isLabel() { return role == Role.LABEL; }
    }

    private final Map<String, Entry> entries;

    private TensorEnv(Map<String, Entry> entries) { this.entries = entries; }

    /** The entries of a model trained on a dataset; either may be null (failed to resolve). */
    public static TensorEnv of(ModelIR model, DatasetIR data) {
        Map<String, Entry> out = new LinkedHashMap<>();
        for (Entry e : labels(data)) out.put(e.name(), e);
        if (model != null) {
            for (Node n : model.nodes()) {
                Role role = n.isInput() ? Role.INPUT : model.outputIds().contains(n.id()) ? Role.OUTPUT : Role.INTERMEDIATE;
                out.putIfAbsent(n.name(), new Entry(n.name(), n.shape(), role, n.id(), null, n.span()));
            }
            if (model.outputIds().size() == 1) {
                Node o = model.outputs().get(0);
                out.putIfAbsent(OUTPUT, new Entry(OUTPUT, o.shape(), Role.OUTPUT, o.id(), null, o.span()));
            }
        }
        return new TensorEnv(out);
    }

    /**
     * The dataset's labels, each with its encoding and per-sample shape: today the single label
     * {@value #LABEL} when the dataset has labels. The one place where labels enter the environment.
     */
    static List<Entry> labels(DatasetIR data) {
        List<Entry> out = new ArrayList<>();
        LabelSpec labels = data == null ? null : data.labels();
        if (labels != null && labels.encoding() != LabelSpec.Encoding.NONE) {
            out.add(new Entry(LABEL, labels.shape(), Role.LABEL, -1, labels, labels.span()));
        }
        return out;
    }

    public Optional<Entry> lookup(String name) { return Optional.ofNullable(entries.get(name)); }

    public List<Entry> entries() { return List.copyOf(entries.values()); }

    public List<String> names() { return List.copyOf(entries.keySet()); }

    /** The model's output when it has exactly one. */
    public Optional<Entry> output() {
        List<Entry> outs = entries.values().stream().filter(e -> e.role() == Role.OUTPUT).toList();
        boolean one = !outs.isEmpty() && outs.stream().allMatch(e -> e.node() == outs.get(0).node());
        return one ? Optional.of(outs.get(0)) : Optional.empty();
    }

    /** The dataset's label when it has exactly one. */
    public Optional<Entry> label() {
        List<Entry> labels = entries.values().stream().filter(Entry::isLabel).toList();
        return labels.size() == 1 ? Optional.of(labels.get(0)) : Optional.empty();
    }
}
