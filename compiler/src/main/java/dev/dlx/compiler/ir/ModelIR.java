package dev.dlx.compiler.ir;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A checked model: its nodes in topological order (inputs first), and which of them are outputs.
 * {@code valid} is false when the model had errors; its shapes may then be unknown in places.
 * Immutable; the consumers of each node are indexed once. Layers instantiated from uses of other
 * models ({@link #uses()}) share weights: each weight tensor is held by one node, the first with
 * its {@link Node#weightOwner()}, and counted once. A model {@link #relocated} moves its nodes on
 * first use: an editor's re-check takes over many unchanged models and reads the nodes of few.
 */
public final class ModelIR {
    private final String name;
    private final List<Integer> inputIds;
    private final List<Integer> outputIds;
    private final boolean valid;
    private final Span span;
    private final List<ModelUse> uses;
    private final List<String> frozen;
    /** The nodes and what is indexed from them; null until {@link #pending} made them. */
    private volatile Indexed indexed;
    private Supplier<List<Node>> pending;

    /** The nodes, the consumers of each and the holder of each weight owner. */
    private record Indexed(List<Node> nodes, List<List<Node>> consumers, Map<String, Node> holders) {
        static Indexed of(List<Node> given) {
            List<Node> nodes = List.copyOf(given);
            List<List<Node>> index = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) index.add(new ArrayList<>());
            for (Node n : nodes) {
                for (int in : n.inputs()) {
                    List<Node> list = index.get(in);
                    if (!list.contains(n)) list.add(n);
                }
            }
            Map<String, Node> holders = new LinkedHashMap<>();
            for (Node n : nodes) if (!n.isInput()) holders.putIfAbsent(n.weightOwner(), n);
            return new Indexed(nodes, index.stream().map(List::copyOf).toList(), holders);
        }
    }

    public ModelIR(String name, List<Node> nodes, List<Integer> inputIds, List<Integer> outputIds, boolean valid, Span span) {
        this(name, nodes, inputIds, outputIds, valid, span, List.of());
    }

    public ModelIR(String name, List<Node> nodes, List<Integer> inputIds, List<Integer> outputIds, boolean valid, Span span,
                   List<ModelUse> uses) {
        this(name, nodes, inputIds, outputIds, valid, span, uses, List.of());
    }

    private ModelIR(String name, List<Node> nodes, List<Integer> inputIds, List<Integer> outputIds, boolean valid, Span span,
                    List<ModelUse> uses, List<String> frozen) {
        this(name, (Supplier<List<Node>>) null, inputIds, outputIds, valid, span, uses, frozen);
        this.indexed = Indexed.of(nodes);
    }

    /** A model whose nodes {@code nodes} makes when they are first asked for. */
    private ModelIR(String name, Supplier<List<Node>> nodes, List<Integer> inputIds, List<Integer> outputIds, boolean valid, Span span,
                    List<ModelUse> uses, List<String> frozen) {
        this.frozen = List.copyOf(frozen);
        this.name = name;
        this.uses = List.copyOf(uses);
        this.inputIds = List.copyOf(inputIds);
        this.outputIds = List.copyOf(outputIds);
        this.valid = valid;
        this.span = span;
        this.pending = nodes;
    }

    private Indexed indexed() {
        Indexed made = indexed;
        if (made != null) return made;
        synchronized (this) {
            if (indexed == null) {
                indexed = Indexed.of(pending.get());
                pending = null;
            }
            return indexed;
        }
    }

    public String name() { return name; }
    public List<Node> nodes() { return indexed().nodes(); }
    public List<Integer> inputIds() { return inputIds; }
    public List<Integer> outputIds() { return outputIds; }
    public boolean valid() { return valid; }
    public Span span() { return span; }

    public Node node(int id) { return nodes().get(id); }
    public List<Node> inputs() { return inputIds.stream().map(this::node).toList(); }
    public List<Node> outputs() { return outputIds.stream().map(this::node).toList(); }
    public List<Shape> inputShapes() { return inputs().stream().map(Node::shape).toList(); }
    public List<Shape> outputShapes() { return outputs().stream().map(Node::shape).toList(); }

    /** Layers (not inputs), in order. */
    public List<Node> layers() { return nodes().stream().filter(n -> !n.isInput()).toList(); }

    public Optional<Node> layer(String name) { return nodes().stream().filter(n -> n.name().equals(name)).findFirst(); }

    /** Nodes that take {@code id} as an input, in order. */
    public List<Node> consumers(int id) { return indexed().consumers().get(id); }

    /** The uses of other models, in order; {@link Node.Shared#use()} indexes this list. */
    public List<ModelUse> uses() { return uses; }

    /** Whether {@code n} holds its weights: false for a later use of a shared layer (its weights are counted once). */
    public boolean holdsWeights(Node n) { return indexed().holders().get(n.weightOwner()) == n; }

    /** The node holding the weights known by {@code owner} (a layer name, or `Encoder/dense_1` for a shared one). */
    public Optional<Node> weightHolder(String owner) { return Optional.ofNullable(indexed().holders().get(owner)); }

    /** The nodes that hold weights, one per weight owner, in model order. */
    public List<Node> weightHolders() { return List.copyOf(indexed().holders().values()); }

    public long totalParams() { return indexed().holders().values().stream().mapToLong(Node::paramCount).sum(); }
    public long trainableParams() { return indexed().holders().values().stream().mapToLong(Node::trainableCount).sum(); }

    /** The layers a training freezes (`freeze conv_1`), in model order; empty for the model as declared. */
    public List<String> frozenLayers() { return frozen; }

    /**
     * This model as a training sees it when it freezes {@code layers}: their weights count as
     * non-trainable, as Keras counts a layer with {@code trainable = False}; a layer of a used model is
     * frozen by its own name or its weights' owner (every use of shared weights is frozen at once).
     */
    public ModelIR freeze(List<String> layers) {
        if (layers.isEmpty()) return this;
        java.util.Set<String> set = java.util.Set.copyOf(layers);
        List<Node> out = new ArrayList<>();
        for (Node n : nodes()) {
            if (!set.contains(n.name()) && !set.contains(n.weightOwner())) {
                out.add(n);
                continue;
            }
            List<ParamSpec> params = n.params().stream().map(p -> p.frozen()).toList();
            out.add(new Node(n.id(), n.name(), n.kind(), n.spelling(), n.settings(), n.attrs(), n.inputs(), n.shape(), params, n.receptiveField(), n.span(), n.shared()));
        }
        return new ModelIR(name, out, inputIds, outputIds, valid, span, uses, layers);
    }

    /**
     * The same model with every span where {@code move} puts it (the text moved in a newer version of
     * its file); the nodes' spans are moved when the nodes are first asked for, so {@code move} must
     * not fail on them then (see {@link #spans}).
     */
    public ModelIR relocated(java.util.function.UnaryOperator<Span> move) {
        return new ModelIR(name, () -> nodes().stream().map(n -> n.relocated(move)).toList(), inputIds, outputIds, valid,
            span == null ? null : move.apply(span), uses.stream().map(u -> u.relocated(move)).toList(), frozen);
    }

    /** Hands every span of the model (its own, its uses' and its nodes') to {@code seen}. */
    public void spans(java.util.function.Consumer<Span> seen) {
        java.util.function.UnaryOperator<Span> look = s -> {
            if (s != null) seen.accept(s);
            return s;
        };
        if (span != null) seen.accept(span);
        for (ModelUse u : uses) u.relocated(look);
        for (Node n : nodes()) n.relocated(look);
    }

    public long nonTrainableParams() { return totalParams() - trainableParams(); }

    @Override public String toString() { return "model " + name + " (" + nodes().size() + " nodes)"; }
}
