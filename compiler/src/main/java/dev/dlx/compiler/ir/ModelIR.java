package dev.dlx.compiler.ir;

import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.shape.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A checked model: its nodes in topological order (inputs first), and which of them are outputs.
 * {@code valid} is false when the model had errors; its shapes may then be unknown in places.
 */
public record ModelIR(String name, List<Node> nodes, List<Integer> inputIds, List<Integer> outputIds,
                      boolean valid, Span span) {

    public ModelIR { nodes = List.copyOf(nodes); inputIds = List.copyOf(inputIds); outputIds = List.copyOf(outputIds); }

    public Node node(int id) { return nodes.get(id); }
    public List<Node> inputs() { return inputIds.stream().map(this::node).toList(); }
    public List<Node> outputs() { return outputIds.stream().map(this::node).toList(); }
    public List<Shape> inputShapes() { return inputs().stream().map(Node::shape).toList(); }
    public List<Shape> outputShapes() { return outputs().stream().map(Node::shape).toList(); }

    /** Layers (not inputs), in order. */
    public List<Node> layers() { return nodes.stream().filter(n -> !n.isInput()).toList(); }

    public Optional<Node> layer(String name) { return nodes.stream().filter(n -> n.name().equals(name)).findFirst(); }

    /** Nodes that take {@code id} as an input. */
    public List<Node> consumers(int id) {
        List<Node> out = new ArrayList<>();
        for (Node n : nodes) if (n.inputs().contains(id)) out.add(n);
        return out;
    }

    public long totalParams() { return nodes.stream().mapToLong(Node::paramCount).sum(); }
    public long trainableParams() { return nodes.stream().mapToLong(Node::trainableCount).sum(); }
    public long nonTrainableParams() { return totalParams() - trainableParams(); }
}
