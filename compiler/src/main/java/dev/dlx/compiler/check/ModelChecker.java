package dev.dlx.compiler.check;

import dev.dlx.compiler.check.Scope.Tensor;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.diag.Work;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.ir.ParamSpec;
import dev.dlx.compiler.layers.LayerContext;
import dev.dlx.compiler.layers.LayerKind;
import dev.dlx.compiler.layers.LayerSettings;
import dev.dlx.compiler.layers.Layers;
import dev.dlx.compiler.resolve.SymbolTable;
import dev.dlx.compiler.schema.Attrs;
import dev.dlx.compiler.schema.Binder;
import dev.dlx.compiler.schema.Evaluator;
import dev.dlx.compiler.schema.Suggest;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.shape.Dim;
import dev.dlx.compiler.shape.ReceptiveField;
import dev.dlx.compiler.shape.Shape;
import dev.dlx.compiler.syntax.Decl;
import dev.dlx.compiler.syntax.Element;
import dev.dlx.compiler.syntax.Expr;
import dev.dlx.compiler.syntax.Ident;
import dev.dlx.compiler.syntax.Stmt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Elaborates one model into its checked graph: expands blocks, binds every layer's attributes,
 * infers every shape, counts parameters and tracks receptive fields. Errors are reported and the
 * failing tensor becomes unknown, so later layers stay quiet about it.
 */
public final class ModelChecker {
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE;
    /** Expansion limit: blocks and repeats may not unfold into more layers, block uses and tensor steps than this. */
    public static final int MAX_EXPANSION = 100_000;

    private final SymbolTable symbols;
    private final Diagnostics sink;
    private final ModelCall calls;
    private final Work work;
    private final Expansion expansion;
    private final List<Draft> nodes = new ArrayList<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private final Set<String> usedNames = new HashSet<>();
    private final Deque<String> blockStack = new ArrayDeque<>();
    private boolean tooLarge;
    private int expanded;
    private final long errorsBefore;

    /** A node while the graph is built; its name may still change to a `let` name. */
    private static final class Draft {
        final int id;
        String name;
        final LayerKind<?> kind;
        final String spelling;
        final LayerSettings settings;
        final Attrs attrs;
        final List<Integer> inputs;
        final Shape shape;
        final List<ParamSpec> params;
        final ReceptiveField rf;
        final Span span;
        /** Set for a layer instantiated from a use of another model. */
        Node.Shared shared;

        Draft(int id, String name, LayerKind<?> kind, String spelling, LayerSettings settings, Attrs attrs, List<Integer> inputs,
              Shape shape, List<ParamSpec> params, ReceptiveField rf, Span span) {
            this.id = id; this.name = name; this.kind = kind; this.spelling = spelling; this.settings = settings; this.attrs = attrs;
            this.inputs = inputs; this.shape = shape; this.params = params; this.rf = rf; this.span = span;
        }

        Node freeze() { return new Node(id, name, kind, spelling, settings, attrs, inputs, shape, params, rf, span, shared); }
    }

    private ModelChecker(SymbolTable symbols, Models models, Diagnostics sink, Work work) {
        this.symbols = symbols;
        this.sink = sink;
        this.work = work;
        this.expansion = new Expansion(symbols, MAX_EXPANSION);
        this.errorsBefore = sink.errorCount();
        this.calls = new ModelCall(models, new CallGraph(), sink);
    }

    /** Checks {@code model}, counting into {@code work} what it expands; the models it uses come from {@code models} (see {@link Models#get}). */
    static ModelIR check(Decl.Model model, SymbolTable symbols, Models models, Diagnostics sink, Work work) {
        return new ModelChecker(symbols, models, sink, work).run(model);
    }

    private ModelIR run(Decl.Model model) {
        Scope scope = new Scope();
        List<Integer> inputIds = new ArrayList<>();
        Tensor current = null;
        Evaluator eval = new Evaluator(Map.of(), sink);
        for (Decl.Input in : model.inputs()) {
            Shape shape = declaredShape(in.shape(), eval);
            Draft d = add(in.name().name(), null, "input", null, null, List.of(), shape, List.of(),
                    initialField(shape), in.name().span().to(in.shape().span()));
            inputIds.add(d.id);
            usedNames.add(d.name);
            Tensor t = new Tensor(d.id, d.span);
            scope.bind(in.name().name(), t, in.name().span()).ifPresent(first ->
                sink.report(Diagnostic.error(Code.DUPLICATE_DEFINITION, in.name().span(),
                        "input `" + in.name().name() + "` is declared twice")
                    .label("second declaration").secondary(first, "first declared here")));
            current = t;
        }
        if (model.inputs().size() != 1) current = null;
        List<Tensor> outputs = body(model.body(), scope, Map.of(), current, "", model.span());
        List<Integer> outputIds = new ArrayList<>();
        for (Tensor t : outputs) if (!t.poisoned()) outputIds.add(t.node());
        if (outputs.isEmpty() && model.body().isEmpty()) {
            sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, model.name().span(), "model `" + model.name().name() + "` has no layers")
                .label("empty body")
                .help("add layers between the braces, e.g. `dense 10 -> softmax`"));
        }
        checkDeclaredOutputs(model, outputs, eval);
        work.expanded(expanded);
        work.sizing(expansion.steps());
        if (tooLarge) { // refused: what was built before the limit is no use to anyone
            nodes.subList(inputIds.size(), nodes.size()).clear();
            outputIds.clear();
        }
        List<Node> frozen = nodes.stream().map(Draft::freeze).toList();
        ModelIR ir = new ModelIR(model.name().name(), frozen, inputIds, outputIds,
                sink.errorCount() == errorsBefore && outputIds.size() == outputs.size() && !calls.calleeInvalid(), model.span(),
                calls.uses());
        GraphLints.check(ir, sink);
        return ir;
    }

    private static ReceptiveField initialField(Shape shape) {
        return !shape.isUnknown() && shape.rank() >= 2 && shape.rank() <= 4 ? ReceptiveField.unit(shape.rank() - 1) : ReceptiveField.NONE;
    }

    private Shape declaredShape(Expr.ShapeLit lit, Evaluator eval) {
        Value v = eval.eval(lit);
        if (!(v instanceof Value.ShapeV s)) return Shape.UNKNOWN;
        if (s.dims().isEmpty()) {
            sink.report(Diagnostic.error(Code.BAD_SHAPE, lit.span(), "a shape needs at least one dimension")
                .label("empty shape")
                .help("a single number per sample is `[1]`"));
            return Shape.UNKNOWN;
        }
        return Shape.of(s.dims().stream().map(d -> d < 0 ? Dim.UNKNOWN : Dim.of(d)).toList());
    }

    private void checkDeclaredOutputs(Decl.Model model, List<Tensor> outputs, Evaluator eval) {
        if (model.outputs().isEmpty() || outputs.stream().anyMatch(Tensor::poisoned)) return;
        if (model.outputs().size() != outputs.size()) {
            sink.report(Diagnostic.error(Code.OUTPUT_SHAPE_MISMATCH, model.outputs().get(0).span(),
                    "model `" + model.name().name() + "` declares " + model.outputs().size() + " output(s) but its body produces "
                    + outputs.size())
                .label("declared here"));
            return;
        }
        for (int i = 0; i < outputs.size(); i++) {
            Shape declared = declaredShape(model.outputs().get(i), eval);
            Draft d = nodes.get(outputs.get(i).node());
            if (!declared.isUnknown() && !declared.compatible(d.shape)) {
                sink.report(Diagnostic.error(Code.OUTPUT_SHAPE_MISMATCH, model.outputs().get(i).span(),
                        "model `" + model.name().name() + "` declares output " + declared + " but its body produces " + d.shape)
                    .label("declared " + declared)
                    .secondary(d.span, "this produces " + d.shape)
                    .help(d.shape.rank() == declared.rank() ? "change the last layer's size, or the declaration"
                        : "add `flatten` or `global_avgpool` before the head, or change the declaration"));
            }
        }
    }

    // ------------------------------------------------------------------ bodies and chains

    private List<Tensor> body(List<Stmt> stmts, Scope scope, Map<String, Value> env, Tensor start, String prefix, Span owner) {
        List<Tensor> last = start == null ? List.of() : List.of(start);
        List<Tensor> returned = null;
        for (Stmt stmt : stmts) {
            if (returned != null) {
                sink.report(Diagnostic.error(Code.SYNTAX, stmt.span(), "statement after `return` is never reached")
                    .label("unreachable").help("move `return` to the end of the body"));
                break;
            }
            if (stmt instanceof Stmt.Let let) {
                    int before = nodes.size();
                    List<Tensor> result = chain(let.chain(), scope, env, last, prefix);
                    bindLet(let, result, scope, before, prefix);
                    if (result != null) last = result;
                    else last = List.of(Tensor.poison(let.span()));
            } else if (stmt instanceof Stmt.Chain c) {
                    List<Tensor> result = chain(c.chain(), scope, env, last, prefix);
                    last = result == null ? List.of(Tensor.poison(c.span())) : result;
            } else if (stmt instanceof Stmt.Return r) {
                    List<Tensor> outs = new ArrayList<>();
                    for (List<Element> ch : r.chains()) {
                        List<Tensor> res = chain(ch, scope, env, last, prefix);
                        if (res == null) outs.add(Tensor.poison(r.span()));
                        else outs.addAll(res);
                    }
                    returned = outs;
            }
        }
        List<Tensor> result = returned != null ? returned : last;
        Set<Integer> outNodes = new HashSet<>();
        for (Tensor t : result) outNodes.add(t.node());
        scope.unusedLets(outNodes, this::consumedSince).forEach((name, span) -> sink.report(Diagnostic.warning(Code.LINT_UNUSED_TENSOR, span,
                "tensor `" + name + "` is never used")
            .label("defined here")
            .help("use it, e.g. in `add(" + name + ", ...)`, or remove the `let`")));
        return result;
    }

    /** Whether a node made at or after index {@code since} reads node {@code id} (the flow into the next statement counts). */
    private boolean consumedSince(int id, int since) {
        for (int i = since; i < nodes.size(); i++) if (nodes.get(i).inputs.contains(id)) return true;
        return false;
    }

    private void bindLet(Stmt.Let let, List<Tensor> result, Scope scope, int firstNewNode, String prefix) {
        List<Ident> names = let.names();
        if (result != null && result.stream().anyMatch(Tensor::poisoned)) result = null; // reported; its count is unknown
        if (result != null && result.size() != names.size()) {
            sink.report(Diagnostic.error(Code.INPUT_COUNT, let.span(), "`let` names " + names.size() + " tensor(s) but the chain produces "
                    + result.size())
                .label("count differs"));
            result = null;
        }
        for (int i = 0; i < names.size(); i++) {
            Ident n = names.get(i);
            Tensor t = result == null ? Tensor.poison(n.span()) : result.get(i);
            scope.bind(n.name(), t, n.span(), nodes.size()).ifPresent(first ->
                sink.report(Diagnostic.error(Code.DUPLICATE_DEFINITION, n.span(), "`" + n.name() + "` is already defined in this body")
                    .label("second definition").secondary(first, "first defined here")
                    .help("choose another name")));
            // The layer that computes a named tensor takes its name, when it was made by this statement.
            if (!t.poisoned() && t.node() >= firstNewNode) {
                Draft d = nodes.get(t.node());
                String wanted = prefix + n.name();
                if (!usedNames.contains(wanted)) {
                    usedNames.remove(d.name);
                    d.name = wanted;
                    usedNames.add(wanted);
                    calls.named(d.id, wanted);
                }
            }
        }
    }

    private List<Tensor> chain(List<Element> elements, Scope scope, Map<String, Value> env, List<Tensor> flowIn, String prefix) {
        List<Tensor> flow = flowIn;
        for (int i = 0; i < elements.size(); i++) {
            Element el = elements.get(i);
            int times = repeatCount(el, env, sink);
            if (times < 0) return null;
            if (!fits(el, env, scope)) return null;
            for (int r = 0; r < times; r++) {
                // After a reported error the flow is unknown: later steps still bind their arguments and
                // resolve their names, so their own errors show, but infer nothing from it.
                flow = element(el, i == 0 && r == 0, flow, scope, env, prefix);
                if (flow == null) return null;
            }
        }
        return flow;
    }

    /**
     * Refuses, before anything is built, a step that would take the model past the expansion
     * limit: its size comes from the block definitions, so `b * 10000` is refused where it is
     * written, not after 100,000 layers were built.
     */
    private boolean fits(Element el, Map<String, Value> env, Scope scope) {
        if (tooLarge) return false;
        long need = expansion.of(el, env, namesTensor(el, scope), blockStack);
        if (expanded + need <= MAX_EXPANSION) return true;
        tooLarge(el, need > MAX_EXPANSION ? "unfolds into more than " + Summary.grouped(MAX_EXPANSION) + " by itself"
            : "the model passes " + Summary.grouped(MAX_EXPANSION) + " here");
        return false;
    }

    private void tooLarge(Element el, String label) {
        if (tooLarge) return;
        tooLarge = true;
        sink.report(Diagnostic.error(Code.TOO_MANY_LAYERS, el.span(), "this model expands to more than "
                + Summary.grouped(MAX_EXPANSION) + " layers")
            .label(label)
            .help("blocks and repeats unfold into their layers, and each block use counts as one; check the repeat "
                + "counts (`* N`) and blocks that use other blocks several times"));
    }

    private static boolean namesTensor(Element el, Scope scope) {
        return !el.called() && el.args().isEmpty() && scope.has(el.name().name());
    }

    /** `convbn(64) * 3`: how many times to apply the step; -1 after an error. */
    static int repeatCount(Element el, Map<String, Value> env, Diagnostics sink) {
        if (el.repeat() == null) return 1;
        Value v = new Evaluator(env, sink).eval(el.repeat());
        if (v instanceof Value.Num n && n.integral() && n.value() >= 1 && n.value() <= 10_000) return (int) n.value();
        if (v != null) {
            sink.report(Diagnostic.error(Code.OUT_OF_RANGE, v.span(), "a repeat count must be a whole number from 1 to 10000, found "
                    + v)
                .label("invalid repeat count"));
        }
        return -1;
    }

    private List<Tensor> element(Element el, boolean first, List<Tensor> flow, Scope scope, Map<String, Value> env, String prefix) {
        String name = el.name().name();
        if (tooLarge) return null;
        if (++expanded > MAX_EXPANSION) { // sizing counts a recursive use as one step; this counts them all
            tooLarge(el, "expansion stops here");
            return null;
        }
        if (namesTensor(el, scope)) {
            if (first) return List.of(scope.use(name));
            sink.report(Diagnostic.error(Code.NOT_A_TENSOR, el.name().span(),
                    "`" + name + "` is a tensor, not a layer: a chain step must be a layer or a block")
                .label("a named tensor")
                .help("start a new statement with `" + name + "`, or merge them with `add(..., " + name + ")`"));
            return null;
        }
        if (symbols.block(name).isPresent()) return blockCall(el, symbols.block(name).get(), first, flow, scope, env, prefix);
        if (symbols.model(name).isPresent()) return calls.call(el, symbols.model(name).get(), first, flow, scope, prefix);
        if (Layers.lookup(name).isPresent()) return layer(el, Layers.lookup(name).get(), first, flow, scope, env, prefix);
        unknownLayer(el, scope);
        return null;
    }

    private void unknownLayer(Element el, Scope scope) {
        String name = el.name().name();
        List<String> candidates = new ArrayList<>(Layers.spellings());
        candidates.addAll(symbols.blocks().keySet());
        candidates.addAll(symbols.models().keySet());
        Diagnostic.Builder b = Diagnostic.error(Code.UNKNOWN_LAYER, el.name().span(), "unknown layer or block `" + name + "`")
            .label("not a layer kind, block or tensor");
        var close = Suggest.closest(name, candidates);
        if (close.isEmpty() && !el.args().isEmpty()) close = Suggest.closest(name, scope.names());
        if (close.isPresent()) b.help("did you mean `" + close.get() + "`?");
        else b.help("`dlxc explain layers` lists the layer kinds");
        sink.report(b);
    }

    // ------------------------------------------------------------------ layers

    private List<Tensor> layer(Element el, LayerKind<?> kind, boolean first, List<Tensor> flow, Scope scope,
                               Map<String, Value> env, String prefix) {
        String spelling = el.name().name();
        Evaluator eval = new Evaluator(env, sink);
        List<Tensor> inputs = new ArrayList<>();
        List<Binder.Arg> args = new ArrayList<>();
        List<Value> flat = new ArrayList<>();
        boolean multi = kind.maxInputs() > 1;
        boolean argsOk = true;
        for (Element.Arg a : el.args()) {
            if (multi && a.name() == null && a.value() instanceof Expr.Name n && n.simple() && scope.has(n.text())) {
                inputs.add(scope.use(n.text()));
                continue;
            }
            if (multi && el.called() && a.name() == null) {
                // In `add(a, b)` every positional argument is a tensor; attributes are named (`axis = 1`).
                Tensor t = tensorArg(a.value(), scope);
                if (t == null) argsOk = false; // keep going: the other names still count as used
                else inputs.add(t);
                continue;
            }
            Value v = eval.eval(a.value());
            if (v == null) { argsOk = false; continue; }
            if (el.called()) args.add(new Binder.Arg(a.name() == null ? null : a.name().name(), a.name() == null ? null : a.name().span(), v));
            else flat.add(v);
        }
        for (Expr t : el.tensorArgs()) {
            Tensor tensor = tensorArg(t, scope);
            if (tensor == null) argsOk = false;
            else inputs.add(tensor);
        }
        if (!argsOk && inputs.size() < el.args().size() + el.tensorArgs().size() && multi) return null;
        if (!el.called()) args = Binder.splitFlat(flat, kind.schema());
        if (!multi && !inputs.isEmpty()) {
            sink.report(Diagnostic.error(Code.INPUT_COUNT, el.span(), "`" + spelling + "` takes one input, the incoming tensor")
                .label("tensor arguments given").help("remove the tensor arguments"));
            return null;
        }
        if (!first || inputs.isEmpty()) {
            List<Tensor> all = new ArrayList<>(flow);
            all.addAll(inputs);
            inputs = all;
        }
        if (!argsOk) return List.of(Tensor.poison(el.span())); // reported; binding the rest would shift positions
        Attrs attrs = Binder.bind(spelling, kind.schema(), args, el.span(), env.keySet(), sink);
        if (inputs.stream().anyMatch(Tensor::poisoned)) return List.of(Tensor.poison(el.span())); // its count is unknown too
        if (inputs.isEmpty()) {
            sink.report(Diagnostic.error(Code.INPUT_COUNT, el.span(), "`" + spelling + "` has no input")
                .label("nothing flows into this layer")
                .help("a model with several inputs must name the one a chain starts from, e.g. `left -> " + spelling + " ...`"));
            return null;
        }
        if (inputs.size() < kind.minInputs() || inputs.size() > kind.maxInputs()) {
            String wanted = kind.minInputs() == kind.maxInputs() ? String.valueOf(kind.minInputs())
                : kind.maxInputs() == Integer.MAX_VALUE ? "at least " + kind.minInputs()
                : kind.minInputs() + " to " + kind.maxInputs();
            sink.report(Diagnostic.error(Code.INPUT_COUNT, el.span(), "`" + spelling + "` takes " + wanted + " input(s), found "
                    + inputs.size())
                .label("wrong number of inputs")
                .help(multi ? "list the branches: `" + spelling + "(a, b)`" : "a layer takes the one tensor before it"));
            return null;
        }
        // `dropout 1.5`: reported; the output shape does not depend on the attribute, so the input goes on
        if (!attrs.complete() && kind.role().keepsShape()) return List.of(new Tensor(inputs.get(0).node(), el.span()));
        if (!attrs.complete()) return List.of(Tensor.poison(el.span()));
        List<Shape> shapes = inputs.stream().map(t -> nodes.get(t.node()).shape).toList();
        if (shapes.stream().anyMatch(Shape::isUnknown)) return List.of(Tensor.poison(el.span()));
        List<Span> spans = inputs.stream().map(Tensor::origin).toList();
        Layer<?> layer = Layer.of(kind, spelling, attrs, shapes, spans, el.span(), sink);
        if (layer == null) return List.of(Tensor.poison(el.span()));
        Shape out = layer.shape();
        List<ParamSpec> params;
        try {
            params = layer.params();
            long total = 0;
            for (ParamSpec p : params) total = Math.addExact(total, p.count());
            long elements = out.elements();
            if (elements > MAX_ELEMENTS || total > MAX_ELEMENTS) throw new ArithmeticException();
        } catch (ArithmeticException tooBig) {
            sink.report(Diagnostic.error(Code.SHAPE_TOO_LARGE, el.span(), "`" + spelling + "` is too large: its output and its "
                    + "weights must each stay under 2,147,483,648 elements per sample")
                .label("would not fit in memory")
                .help("downsample first (pooling or strides), or use fewer units"));
            return List.of(Tensor.poison(el.span()));
        }
        List<ReceptiveField> fields = inputs.stream().map(t -> nodes.get(t.node()).rf).toList();
        String nodeName = autoName(prefix, kind.name());
        Draft d = add(nodeName, kind, spelling, layer.settings(), attrs, inputs.stream().map(Tensor::node).toList(), out, params,
            layer.receptiveField(fields), el.span());
        return List.of(new Tensor(d.id, el.span()));
    }

    private Tensor tensorArg(Expr t, Scope scope) {
        if (t instanceof Expr.Name n && n.simple() && scope.has(n.text())) return scope.use(n.text());
        Diagnostic.Builder b = Diagnostic.error(Code.NOT_A_TENSOR, t.span(), "`" + t.span().text() + "` is not a tensor in this body")
            .label("expected a tensor name");
        if (t instanceof Expr.Name n) Suggest.closest(n.text(), scope.names()).ifPresent(s -> b.help("did you mean `" + s + "`?"));
        if (b.build().help() == null) b.help("tensors are the inputs and the names bound with `let` before this line");
        sink.report(b);
        return null;
    }

    private String autoName(String prefix, String kindName) {
        String base = prefix + kindName;
        int n = counters.merge(base, 1, Integer::sum);
        String name = base + "_" + n;
        while (usedNames.contains(name)) name = base + "_" + counters.merge(base, 1, Integer::sum);
        usedNames.add(name);
        return name;
    }

    private Draft add(String name, LayerKind<?> kind, String spelling, LayerSettings settings, Attrs attrs, List<Integer> inputs,
                      Shape shape, List<ParamSpec> params, ReceptiveField rf, Span span) {
        Draft d = new Draft(nodes.size(), name, kind, spelling, settings, attrs, inputs, shape, params, rf, span);
        nodes.add(d);
        return d;
    }

    /** The graph as {@link ModelCall} sees it. */
    private final class CallGraph implements ModelCall.Graph {
        @Override public Shape shape(int node) { return nodes.get(node).shape; }
        @Override public ReceptiveField field(int node) { return nodes.get(node).rf; }
        @Override public int size() { return nodes.size(); }
        @Override public String autoName(String prefix, String base) { return ModelChecker.this.autoName(prefix, base); }
        @Override public Tensor tensorArg(Expr e, Scope scope) { return ModelChecker.this.tensorArg(e, scope); }

        @Override public int add(Node n, String name, List<Integer> inputs, ReceptiveField rf, Node.Shared shared) {
            usedNames.add(name);
            Draft d = ModelChecker.this.add(name, n.kind(), n.spelling(), n.settings(), n.attrs(), inputs, n.shape(), n.params(), rf, n.span());
            d.shared = shared;
            return d.id;
        }
    }

    // ------------------------------------------------------------------ blocks

    private List<Tensor> blockCall(Element el, Decl.Block block, boolean first, List<Tensor> flow, Scope scope,
                                   Map<String, Value> env, String prefix) {
        String name = block.name().name();
        if (blockStack.contains(name)) {
            List<String> cycle = new ArrayList<>(blockStack);
            java.util.Collections.reverse(cycle);
            cycle.add(name);
            sink.report(Diagnostic.error(Code.RECURSIVE_BLOCK, el.name().span(), "block `" + name + "` uses itself: "
                    + String.join(" -> ", cycle))
                .label("recursive use")
                .secondary(block.name().span(), "block defined here")
                .help("a block cannot contain itself; repeat it with `" + name + "(...) * N` in the model instead"));
            return null;
        }
        Map<String, Value> params = bindBlockParams(el, block, env, sink);
        if (params == null) return null;
        // Tensor inputs: `fuse(64)(x, y)` names them; otherwise the incoming tensor.
        List<Tensor> inputs = new ArrayList<>();
        for (Expr t : el.tensorArgs()) {
            Tensor tensor = tensorArg(t, scope);
            if (tensor == null) return null;
            inputs.add(tensor);
        }
        if (el.tensorArgs().isEmpty()) inputs.addAll(flow);
        else if (!first) inputs.addAll(0, flow);
        if (inputs.stream().anyMatch(Tensor::poisoned)) return List.of(Tensor.poison(el.span())); // its count is unknown too
        List<Ident> declared = block.inputs().isEmpty() ? List.of(new Ident("input", block.name().span())) : block.inputs();
        if (inputs.size() != declared.size()) {
            sink.report(Diagnostic.error(Code.INPUT_COUNT, el.span(), "block `" + name + "` takes " + declared.size()
                    + " input tensor(s), found " + inputs.size())
                .label("wrong number of inputs")
                .secondary(block.name().span(), "block defined here")
                .help(declared.size() > 1 ? "pass them as `" + name + "(...)(" + String.join(", ", declared.stream().map(Ident::name).toList()) + ")`"
                    : "a block takes the tensor before it in the chain"));
            return null;
        }
        Scope inner = new Scope();
        for (int i = 0; i < declared.size(); i++) {
            inner.bind(declared.get(i).name(), inputs.get(i), declared.get(i).span()).ifPresent(f ->
                sink.report(Diagnostic.error(Code.DUPLICATE_DEFINITION, block.name().span(), "block `" + name + "` names an input twice")
                    .label("duplicate input")));
        }
        String instance = autoName(prefix, name);
        blockStack.push(name);
        List<Tensor> out = body(block.body(), inner, params, declared.size() == 1 ? inputs.get(0) : null, instance + "/", block.span());
        blockStack.pop();
        if (block.body().isEmpty()) {
            sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, block.name().span(), "block `" + name + "` has no layers")
                .label("empty body"));
            return null;
        }
        // Errors inside the block point into it; the caller's span tells where it was used.
        List<Tensor> result = new ArrayList<>();
        for (Tensor t : out) result.add(t.poisoned() ? Tensor.poison(el.span()) : new Tensor(t.node(), el.span()));
        return result;
    }

    /** The block's parameters bound to the use's arguments and the defaults; null after an error, reported to {@code sink}. */
    static Map<String, Value> bindBlockParams(Element el, Decl.Block block, Map<String, Value> callerEnv, Diagnostics sink) {
        Evaluator eval = new Evaluator(callerEnv, sink);
        Map<String, Value> bound = new LinkedHashMap<>();
        List<Decl.Param> params = block.params();
        int positional = 0;
        boolean ok = true;
        boolean unknownGiven = false;
        for (Element.Arg a : el.args()) {
            Value v = eval.eval(a.value());
            if (v == null) { ok = false; continue; }
            String target;
            if (a.name() == null) {
                if (positional >= params.size()) {
                    sink.report(Diagnostic.error(Code.TOO_MANY_ARGUMENTS, a.span(), "block `" + block.name().name() + "` takes "
                            + params.size() + " parameter(s), found " + el.args().stream().filter(x -> x.name() == null).count())
                        .label("extra argument")
                        .secondary(block.name().span(), "block defined here"));
                    ok = false;
                    continue;
                }
                target = params.get(positional++).name().name();
            } else {
                target = a.name().name();
                if (params.stream().noneMatch(p -> p.name().name().equals(target))) {
                    Diagnostic.Builder b = Diagnostic.error(Code.UNKNOWN_ATTRIBUTE, a.name().span(),
                            "block `" + block.name().name() + "` has no parameter `" + target + "`")
                        .label("unknown parameter")
                        .secondary(block.name().span(), "block defined here");
                    Suggest.closest(target, params.stream().map(p -> p.name().name()).toList())
                        .ifPresent(s -> b.help("did you mean `" + s + "`?"));
                    sink.report(b);
                    ok = false;
                    unknownGiven = true;
                    continue;
                }
            }
            if (bound.containsKey(target)) {
                sink.report(Diagnostic.error(Code.DUPLICATE_ATTRIBUTE, a.span(), "parameter `" + target + "` is given twice")
                    .label("second value"));
                ok = false;
                continue;
            }
            bound.put(target, v);
        }
        for (Decl.Param p : params) {
            if (bound.containsKey(p.name().name()) || p.defaultValue() != null) continue;
            ok = false;
            if (unknownGiven) continue; // the misspelt name is the problem, already reported
            sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, el.span(), "block `" + block.name().name()
                    + "` is missing its parameter `" + p.name().name() + "`")
                .label("needs `" + p.name().name() + "`")
                .secondary(p.name().span(), "declared here without a default"));
        }
        if (!ok) return null; // a default may read a parameter that has no value: it would only repeat the error
        for (Decl.Param p : params) {
            if (bound.containsKey(p.name().name())) continue;
            Value v = new Evaluator(bound, sink).eval(p.defaultValue());
            if (v == null) { ok = false; continue; }
            bound.put(p.name().name(), v);
        }
        return ok ? bound : null;
    }
}
