package dev.dlx.compiler.check;

import dev.dlx.compiler.check.Scope.Tensor;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.ModelUse;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Element;
import dev.dlx.compiler.syntax.Expr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Uses of other models inside a model: `let ea = Encoder(a)`, `a -> Encoder`. The callee is checked
 * on its own (once); a use checks the count and shapes of its inputs against the callee's
 * declaration, then instantiates the callee's layers in the caller, each marked with the layer
 * whose weights it shares: every use of a model computes with one set of weights (a block, by
 * contrast, makes new layers at each use).
 */
final class ModelCall {
    /** What a use needs of the graph being built. */
    interface Graph {
        Shape shape(int node);
        ReceptiveField field(int node);
        int size();
        String autoName(String prefix, String base);
        Tensor tensorArg(Expr e, Scope scope);
        /** Adds a copy of {@code template} under a new name, inputs and receptive field; returns its id. */
        int add(Node template, String name, List<Integer> inputs, ReceptiveField rf, Node.Shared shared);
    }

    /** A use while the graph is built: its name may still change to a `let` name. */
    private static final class Use {
        final String model;
        String name;
        final List<Integer> inputs;
        final List<Integer> outputs;
        final Span span;

        Use(String model, String name, List<Integer> inputs, List<Integer> outputs, Span span) {
            this.model = model; this.name = name; this.inputs = inputs; this.outputs = outputs; this.span = span;
        }
    }

    private final Models models;
    private final Graph graph;
    private final Diagnostics sink;
    private final List<Use> uses = new ArrayList<>();
    private boolean calleeInvalid;

    ModelCall(Models models, Graph graph, Diagnostics sink) {
        this.models = models;
        this.graph = graph;
        this.sink = sink;
    }

    /** The uses so far, as the IR records them. */
    List<ModelUse> uses() { return uses.stream().map(u -> new ModelUse(u.model, u.name, u.inputs, u.outputs, u.span)).toList(); }

    /** Whether a used model had errors (reported where they are), which makes the caller invalid too. */
    boolean calleeInvalid() { return calleeInvalid; }

    /** `let ea = Encoder(a)`: a use whose one output is named by a `let` is shown by that name. */
    void named(int node, String name) {
        for (Use u : uses) if (u.outputs.size() == 1 && u.outputs.get(0) == node) u.name = name;
    }

    /** The use's outputs, or null after an error (reported). */
    List<Tensor> call(Element el, Decl.Model callee, boolean first, List<Tensor> flow, Scope scope, String prefix) {
        String name = callee.name().name();
        Optional<ModelIR> checked = models.get(callee);
        if (checked.isEmpty()) {
            sink.report(Diagnostic.error(Code.RECURSIVE_MODEL, el.name().span(), "model `" + name + "` uses itself: "
                    + String.join(" -> ", models.cycleFrom(name)))
                .label("recursive use")
                .secondary(callee.name().span(), "model defined here")
                .help("a model cannot contain itself; to repeat layers, declare them as a `block` and write `block(...) * N`"));
            return null;
        }
        ModelIR ir = checked.get();
        List<Tensor> inputs = new ArrayList<>();
        List<Span> at = new ArrayList<>();
        if (!arguments(el, name, scope, inputs, at)) return null;
        if (inputs.isEmpty() || !first) {
            inputs.addAll(0, flow);
            for (int i = 0; i < flow.size(); i++) at.add(0, el.span());
        }
        List<Node> declared = ir.inputs();
        if (inputs.size() != declared.size()) {
            List<String> names = declared.stream().map(Node::name).toList();
            sink.report(Diagnostic.error(Code.INPUT_COUNT, el.span(), "model `" + name + "` takes " + declared.size()
                    + " input tensor(s), found " + inputs.size())
                .label("wrong number of inputs")
                .secondary(callee.name().span(), "model defined here")
                .help(declared.size() > 1 ? "pass them as `" + name + "(" + String.join(", ", names) + ")`"
                    : "write `" + name + "(x)` with one tensor, or `x -> " + name + "`"));
            return null;
        }
        if (inputs.stream().anyMatch(t -> t.poisoned() || graph.shape(t.node()).isUnknown())) return List.of(Tensor.poison(el.span()));
        if (!shapesAgree(name, declared, inputs, at)) return List.of(Tensor.poison(el.span()));
        if (!ir.valid() || ir.outputIds().isEmpty()) {
            calleeInvalid = true; // its errors are reported where they are
            return List.of(Tensor.poison(el.span()));
        }
        if (graph.size() + ir.nodes().size() > ModelChecker.MAX_EXPANSION) {
            sink.report(Diagnostic.error(Code.SHAPE_TOO_LARGE, el.span(), "the model expands to more than "
                    + Summary.grouped(ModelChecker.MAX_EXPANSION) + " layers: `" + name + "` adds " + Summary.grouped(ir.nodes().size()))
                .label("expansion stops here")
                .help("use fewer copies of `" + name + "`, or models that use other models fewer times"));
            return null;
        }
        return instantiate(el, name, ir, inputs, prefix);
    }

    /** Collects the written tensor arguments (`Encoder(a)`, `Encoder()(a)`); false after an error. */
    private boolean arguments(Element el, String name, Scope scope, List<Tensor> inputs, List<Span> at) {
        boolean ok = true;
        List<Expr> written = new ArrayList<>();
        for (Element.Arg a : el.args()) {
            if (a.name() != null) {
                sink.report(Diagnostic.error(Code.UNKNOWN_ATTRIBUTE, a.name().span(), "model `" + name + "` has no parameters")
                    .label("not an input")
                    .help("a model takes only its input tensors, e.g. `" + name + "(x)`; a `block` takes parameters"));
                ok = false;
                continue;
            }
            written.add(a.value());
        }
        written.addAll(el.tensorArgs());
        for (Expr e : written) {
            Tensor t = graph.tensorArg(e, scope);
            if (t == null) { ok = false; continue; }
            inputs.add(t);
            at.add(e.span());
        }
        return ok;
    }

    private boolean shapesAgree(String name, List<Node> declared, List<Tensor> inputs, List<Span> at) {
        boolean ok = true;
        for (int i = 0; i < declared.size(); i++) {
            Shape wanted = declared.get(i).shape();
            Shape found = graph.shape(inputs.get(i).node());
            if (wanted.isUnknown() || found.isUnknown() || wanted.compatible(found)) continue;
            sink.report(Diagnostic.error(Code.MODEL_INPUT_SHAPE, at.get(i), "model `" + name + "` takes input `"
                    + declared.get(i).name() + "` of shape " + wanted + ", found " + found)
                .label("this is " + found)
                .secondary(declared.get(i).span(), "declared " + wanted)
                .help(wanted.elements() == found.elements() && wanted.elements() > 0 ? "insert `reshape " + wanted + "` before the call"
                    : "feed a tensor of shape " + wanted + ", or change the input of `" + name + "`"));
            ok = false;
        }
        return ok;
    }

    private List<Tensor> instantiate(Element el, String name, ModelIR ir, List<Tensor> inputs, String prefix) {
        int use = uses.size();
        String instance = graph.autoName(prefix, name);
        int[] ids = new int[ir.nodes().size()];
        for (int i = 0; i < inputs.size(); i++) ids[ir.inputIds().get(i)] = inputs.get(i).node();
        for (Node n : ir.nodes()) {
            if (n.isInput()) continue;
            List<Integer> in = n.inputs().stream().map(i -> ids[i]).toList();
            ReceptiveField rf = n.kind().receptiveFieldOf(n.settings(), in.stream().map(graph::field).toList(),
                in.stream().map(graph::shape).toList());
            Node.Shared shared = n.shared() == null ? new Node.Shared(use, name, n.name())
                : new Node.Shared(use, n.shared().model(), n.shared().layer());
            ids[n.id()] = graph.add(n, instance + "/" + n.name(), in, rf, shared);
        }
        List<Integer> outputs = ir.outputIds().stream().map(i -> ids[i]).toList();
        uses.add(new Use(name, instance, inputs.stream().map(Tensor::node).toList(), outputs, el.span()));
        return outputs.stream().map(o -> new Tensor(o, el.span())).toList();
    }
}
