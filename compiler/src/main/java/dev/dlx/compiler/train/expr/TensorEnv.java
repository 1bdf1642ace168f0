package dev.dlx.compiler.train.expr;

import dev.dlx.compiler.data.DatasetIR;
import dev.dlx.compiler.data.LabelIR;
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
 * names `dlxc check` prints), and the dataset's labels (each by its name; the classic dataset's one
 * label is {@value #LABEL}). A model with one output also calls it {@value #OUTPUT}. When a label
 * and a model tensor share a name (the label `digit` training the output `digit`), the bare name
 * is ambiguous and the two are written `labels.digit` and `MODEL.digit`; either qualified form is
 * always accepted. The runtime builds each expression's operands from the same entries: a node's
 * tensor by {@link Entry#node}, a label by its name.
 */
public final class TensorEnv {
    /** The name of a single-output model's output, besides its node's own name. */
    public static final String OUTPUT = "output";
    /** The name of a classic dataset's single label. */
    public static final String LABEL = "label";
    /** The qualifier of a label's name: `labels.digit`. */
    public static final String LABELS = "labels";

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
     * @param span   where it is defined (the node, or where the dataset names the label)
     */
    public record Entry(String name, Shape shape, Role role, int node, LabelSpec labels, Span span) {
        public boolean isLabel() { return role == Role.LABEL; }
    }

    /** What a name means here: one entry, or a label and a model tensor that share it (both given). */
    public record Lookup(Entry label, Entry tensor) {
        public boolean ambiguous() { return label != null && tensor != null; }
        public Optional<Entry> only() { return ambiguous() ? Optional.empty() : Optional.ofNullable(label != null ? label : tensor); }
        public boolean found() { return label != null || tensor != null; }
    }

    private final String model;
    private final Map<String, Entry> labels;
    private final Map<String, Entry> tensors;

    private TensorEnv(String model, Map<String, Entry> labels, Map<String, Entry> tensors) {
        this.model = model;
        this.labels = labels;
        this.tensors = tensors;
    }

    /** The entries of a model trained on a dataset; either may be null (failed to resolve). */
    public static TensorEnv of(ModelIR model, DatasetIR data) {
        Map<String, Entry> labels = new LinkedHashMap<>();
        for (Entry e : labels(data)) labels.put(e.name(), e);
        Map<String, Entry> tensors = new LinkedHashMap<>();
        if (model != null) {
            for (Node n : model.nodes()) {
                Role role = n.isInput() ? Role.INPUT : model.outputIds().contains(n.id()) ? Role.OUTPUT : Role.INTERMEDIATE;
                tensors.putIfAbsent(n.name(), new Entry(n.name(), n.shape(), role, n.id(), null, n.span()));
            }
            if (model.outputIds().size() == 1) {
                Node o = model.outputs().get(0);
                tensors.putIfAbsent(OUTPUT, new Entry(OUTPUT, o.shape(), Role.OUTPUT, o.id(), null, o.span()));
            }
        }
        return new TensorEnv(model == null ? null : model.name(), labels, tensors);
    }

    /**
     * The dataset's labels, each with its encoding and per-sample shape, in the dataset's order:
     * every label whose description is valid and that has an encoding. The one place where labels
     * enter the environment.
     */
    static List<Entry> labels(DatasetIR data) {
        List<Entry> out = new ArrayList<>();
        if (data == null) return out;
        for (LabelIR l : data.namedLabels()) {
            LabelSpec spec = l.spec();
            if (spec != null && spec.encoding() != LabelSpec.Encoding.NONE) {
                out.add(new Entry(l.name(), spec.shape(), Role.LABEL, -1, spec, l.named() ? l.span() : spec.span()));
            }
        }
        return out;
    }

    /** A bare name: a label, a model tensor, both (ambiguous) or neither. */
    public Lookup find(String name) { return new Lookup(labels.get(name), tensors.get(name)); }

    /** `labels.NAME` or `MODEL.NAME`; empty for any other qualifier or an unknown name. */
    public Optional<Entry> qualified(String qualifier, String name) {
        if (qualifier.equals(LABELS)) return Optional.ofNullable(labels.get(name));
        if (qualifier.equals(model)) return Optional.ofNullable(tensors.get(name));
        return Optional.empty();
    }

    /** The one entry a bare name stands for; empty when it names none or is ambiguous. */
    public Optional<Entry> lookup(String name) { return find(name).only(); }

    /** The model's name (the qualifier of its tensors), or null. */
    public String model() { return model; }

    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>(labels.values());
        out.addAll(tensors.values());
        return List.copyOf(out);
    }

    /** Every name an expression can write, each as written (a shared name in both qualified forms). */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (String n : labels.keySet()) out.add(tensors.containsKey(n) ? LABELS + "." + n : n);
        for (String n : tensors.keySet()) out.add(labels.containsKey(n) ? model + "." + n : n);
        return List.copyOf(out);
    }

    /** The model's output when it has exactly one. */
    public Optional<Entry> output() {
        List<Entry> outs = tensors.values().stream().filter(e -> e.role() == Role.OUTPUT).toList();
        boolean one = !outs.isEmpty() && outs.stream().allMatch(e -> e.node() == outs.get(0).node());
        return one ? Optional.of(outs.get(0)) : Optional.empty();
    }

    /** The dataset's label when it has exactly one. */
    public Optional<Entry> label() {
        return labels.size() == 1 ? Optional.of(labels.values().iterator().next()) : Optional.empty();
    }

    /** The labels, in the dataset's order. */
    public List<Entry> labelEntries() { return List.copyOf(labels.values()); }
}
