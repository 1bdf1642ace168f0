package dev.dlx.compiler.train;

import dev.dlx.compiler.data.KindTable;
import dev.dlx.compiler.data.Statements;
import dev.dlx.compiler.diag.Code;
import dev.dlx.compiler.diag.Diagnostic;
import dev.dlx.compiler.diag.Diagnostics;
import dev.dlx.compiler.diag.Span;
import dev.dlx.compiler.ir.ModelIR;
import dev.dlx.compiler.ir.Node;
import dev.dlx.compiler.schema.Suggest;
import dev.dlx.compiler.schema.Value;
import dev.dlx.compiler.syntax.Directive;
import dev.dlx.compiler.syntax.Expr;
import dev.dlx.compiler.train.expr.LossExpr;
import dev.dlx.compiler.train.expr.Reach;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The `step` blocks of a training with several update steps, its `alternate` order and its `noise`
 * inputs: each step's loss (an expression, checked as the block's own would be), the weights it
 * `updates` (every name must be reached by the loss's gradient), its optimizer (the block's by
 * default); no weight updated by two steps; `alternate D * 2, G` naming every step once.
 */
final class StepChecker {
    /** The statements of a `step` block. */
    static final List<String> STATEMENTS = List.of("loss", "updates", "optimizer");

    private final ModelIR model;
    private final LayerNames names;
    private final LossExprChecker exprs;
    private final Diagnostics sink;
    private final boolean validation;

    StepChecker(ModelIR model, LayerNames names, LossExprChecker exprs, boolean validation, Diagnostics sink) {
        this.model = model;
        this.names = names;
        this.exprs = exprs;
        this.validation = validation;
        this.sink = sink;
    }

    /** The steps in the order `alternate` runs them (the written order without it); null entries are left out. */
    List<Step> steps(List<Directive> stmts, Directive alternate, Optimizer fallback) {
        Map<String, Step> byName = new LinkedHashMap<>();
        Map<String, Span> nameSpans = new LinkedHashMap<>();
        Map<String, String> updatedBy = new LinkedHashMap<>();
        for (Directive d : stmts) {
            String name = name(d);
            if (name == null) continue;
            if (nameSpans.containsKey(name)) {
                sink.report(Diagnostic.error(Code.DUPLICATE_DEFINITION, d.args().get(0).span(), "step `" + name + "` is defined twice")
                    .label("second `" + name + "`")
                    .secondary(nameSpans.get(name), "first defined here")
                    .help("give each step its own name"));
                continue;
            }
            nameSpans.put(name, d.args().get(0).span());
            Step s = step(d, name, fallback, updatedBy);
            if (s != null) byName.put(name, s);
        }
        if (alternate == null) return List.copyOf(byName.values());
        return order(alternate, byName, nameSpans);
    }

    private String name(Directive d) {
        boolean named = d.args().size() == 1 && d.args().get(0) instanceof Expr.Name n && n.simple();
        if (!named || !d.hasBlock()) {
            sink.report(Diagnostic.error(Code.STEP_STATEMENT, Statements.head(d), !named ? "`step` takes a name and a block"
                    : "step `" + ((Expr.Name) d.args().get(0)).text() + "` has no block")
                .label(!named ? "expected `step NAME { ... }`" : "no `{ }`")
                .help("for example `step D { loss binary_crossentropy(d_real, 1) + binary_crossentropy(d_fake, 0) ; updates Discriminator ; "
                    + "optimizer adam lr 2e-4 beta1 0.5 }`"));
            return null;
        }
        return ((Expr.Name) d.args().get(0)).text();
    }

    private Step step(Directive d, String name, Optimizer fallback, Map<String, String> updatedBy) {
        Span head = Statements.head(d);
        Map<String, List<Directive>> byWord = Statements.index("step `" + name + "`", d.nested(), STATEMENTS, Set.of(), sink);
        byWord.values().forEach(list -> list.forEach(x -> Statements.noBlock(x, sink)));
        Directive lossStmt = first(byWord, "loss");
        LossExpr objective = null;
        if (lossStmt == null) {
            missing(head, name, "loss", "loss binary_crossentropy(d_fake, 1)");
        } else if (exprs.isSugar(lossStmt.args())) {
            objective = exprs.sugar(choose(LossSpec.TABLE, lossStmt));
        } else {
            objective = exprs.root("loss", lossStmt.args(), Statements.head(lossStmt));
        }
        Directive optStmt = first(byWord, "optimizer");
        Optimizer optimizer = optStmt != null ? choose(Optimizers.TABLE, optStmt) : fallback;
        if (optStmt == null && fallback == null) missing(head, name, "optimizer", "optimizer adam lr 2e-4 beta1 0.5");
        Directive updatesStmt = first(byWord, "updates");
        List<String> updates = null;
        if (updatesStmt == null) missing(head, name, "updates", "updates Generator");
        else updates = updates(updatesStmt, name, objective, updatedBy);
        if (objective == null || optimizer == null || updates == null) return null;
        List<String> named = Statements.values(updatesStmt, sink).stream().filter(v -> v instanceof Value.Word).map(v -> ((Value.Word) v).value()).toList();
        return new Step(name, objective, named, updates, optimizer, 1, d.span());
    }

    /** `updates Generator`, `updates conv_3 dense_1`: resolved, each name reached by the loss, none updated by an earlier step. */
    private List<String> updates(Directive d, String step, LossExpr objective, Map<String, String> updatedBy) {
        List<Value> values = Statements.values(d, sink);
        if (values.isEmpty()) {
            sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, Statements.head(d), "`updates` needs the weights the step changes")
                .label("which weights?")
                .help("name a used model (`updates Generator`), a use, or layers as `dlxc check` prints them"));
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        Set<String> reached = objective == null || model == null ? null : Reach.layers(model, objective);
        boolean ok = true;
        for (Value v : values) {
            if (!(v instanceof Value.Word w)) {
                sink.report(Diagnostic.error(Code.WRONG_TYPE, v.span(), "`updates` takes names of models, uses or layers, found " + v)
                    .label("not a name")
                    .help("write the name without quotes, as `dlxc check` prints it"));
                ok = false;
                continue;
            }
            if (names == null) continue;
            List<String> layers = names.expand(w.value());
            if (layers.isEmpty()) {
                names.reportUnknown(w.value(), v.span(), "updates", sink);
                ok = false;
                continue;
            }
            List<String> owners = owners(layers);
            if (reached != null && owners.stream().noneMatch(reached::contains)) {
                sink.report(Diagnostic.error(Code.STEP_UNREACHED, v.span(), "nothing in this loss depends on `" + w.value() + "`")
                    .label("step `" + step + "` cannot change it")
                    .secondary(objective.span(), "the loss of step `" + step + "`")
                    .note("a step moves its weights along its loss's gradient, which is zero at weights the loss does not reach")
                    .help("update what the loss is computed from, or read a tensor computed by `" + w.value() + "` in the loss"));
                ok = false;
            }
            for (String o : owners) {
                String earlier = updatedBy.putIfAbsent(o, step);
                if (earlier != null && !earlier.equals(step)) {
                    sink.report(Diagnostic.error(Code.STEP_OVERLAP, v.span(), "`" + w.value() + "` is updated by step `" + earlier
                            + "` and step `" + step + "`")
                        .label("already updated by `" + earlier + "`")
                        .note("each weight follows one step's loss with one optimizer; here `" + o + "` would follow two")
                        .help("name each layer in one step's `updates` only"));
                    ok = false;
                    break;
                }
            }
            out.addAll(layers);
        }
        return ok ? List.copyOf(out) : null;
    }

    /** The weights' names of the layers among {@code layers} that hold weights. */
    private List<String> owners(List<String> layers) {
        Set<String> out = new LinkedHashSet<>();
        for (Node n : model.layers()) {
            if (n.params().isEmpty()) continue;
            if (layers.contains(n.name()) || layers.contains(n.weightOwner())) out.add(n.weightOwner());
        }
        return List.copyOf(out);
    }

    /** `alternate D * 2, G`: every step once, each with its count. */
    private List<Step> order(Directive d, Map<String, Step> steps, Map<String, Span> declared) {
        List<Step> out = new ArrayList<>();
        Map<String, Span> seen = new LinkedHashMap<>();
        boolean ok = true;
        for (Expr e : d.args()) {
            Expr.Name n = e instanceof Expr.Name x ? x : e instanceof Expr.Binary b && b.op() == '*' && b.left() instanceof Expr.Name x ? x : null;
            int times = 1;
            if (e instanceof Expr.Binary b) {
                boolean count = b.right() instanceof Expr.Num num && num.integral() && num.unit() == Expr.Unit.NONE && num.value() >= 1;
                if (n == null || !count) {
                    outOfPlace(e.span(), "`alternate` takes steps, each with a count: `alternate D * 2, G`", "not `STEP` or `STEP * N`",
                        "write each step's name, with `* N` to run it N times per batch");
                    ok = false;
                    continue;
                }
                times = (int) ((Expr.Num) b.right()).value();
            }
            if (n == null || !n.simple()) {
                outOfPlace(e.span(), "`alternate` takes step names", "not a step", "write each step's name, with `* N` to run it N times per batch");
                ok = false;
                continue;
            }
            String name = n.text();
            if (!declared.containsKey(name)) {
                Diagnostic.Builder b = Diagnostic.error(Code.UNKNOWN_NAME, n.span(), "no step `" + name + "` in this training")
                    .label("unknown step");
                Optional<String> close = Suggest.closest(name, List.copyOf(declared.keySet()));
                b.help(close.map(c -> "did you mean `" + c + "`?").orElse("the steps here are " + Suggest.list(List.copyOf(declared.keySet()))));
                sink.report(b);
                ok = false;
                continue;
            }
            if (seen.containsKey(name)) {
                sink.report(Diagnostic.error(Code.STEP_STATEMENT, n.span(), "`alternate` names step `" + name + "` twice")
                    .label("second `" + name + "`")
                    .secondary(seen.get(name), "first here")
                    .help("write `" + name + " * 2` to run it twice per batch"));
                ok = false;
                continue;
            }
            seen.put(name, n.span());
            if (steps.containsKey(name)) out.add(steps.get(name).withRepeat(times));
        }
        for (Map.Entry<String, Span> s : declared.entrySet()) {
            if (ok && !seen.containsKey(s.getKey())) {
                sink.report(Diagnostic.error(Code.STEP_STATEMENT, Statements.head(d), "`alternate` leaves out step `" + s.getKey() + "`")
                    .label("no `" + s.getKey() + "`")
                    .secondary(s.getValue(), "defined here")
                    .help("name every step once: `" + String.join(", ", declared.keySet()) + "`"));
            }
        }
        return List.copyOf(out);
    }

    /** `noise z normal std 1`: a model input that the trainer fills; null after reporting. */
    Noise noise(Directive d, Set<String> taken) {
        List<Value> values = Statements.values(d, sink);
        Span head = Statements.head(d);
        if (values.isEmpty() || !(values.get(0) instanceof Value.Word input)) {
            sink.report(Diagnostic.error(Code.MISSING_ARGUMENT, head, "`noise` needs the model input it feeds")
                .label("which input?")
                .help("for example `noise z normal` (or `noise z uniform low -1 high 1`)"));
            return null;
        }
        if (model != null) {
            List<String> inputs = model.inputs().stream().map(Node::name).toList();
            if (!inputs.contains(input.value())) {
                Diagnostic.Builder b = Diagnostic.error(Code.UNKNOWN_NAME, input.span(), "model `" + model.name() + "` has no input `"
                        + input.value() + "`")
                    .label("not an input");
                Suggest.closest(input.value(), inputs).ifPresentOrElse(c -> b.help("did you mean `" + c + "`?"),
                    () -> b.help("its inputs are " + Suggest.list(inputs)));
                sink.report(b);
                return null;
            }
        }
        if (!taken.add(input.value())) {
            Statements.duplicate("noise " + input.value(), input.span(), input.span(), sink);
            return null;
        }
        List<Value> rest = values.subList(1, values.size());
        if (rest.isEmpty()) rest = List.of(new Value.Word("normal", input.span()));
        Noise n = Noise.TABLE.choose("noise", rest, head, new RuleContext(head, rest.get(0).span(), sink, validation), sink);
        return n == null ? null : n.withInput(input.value(), head);
    }

    /**
     * The tensor a model with noise inputs generates from the noise alone, for pictures: the last
     * node computed from noise inputs and no fed input, with an image's shape [h, w, 1 or 3]; null when none.
     */
    static String generated(ModelIR model, Set<String> noise) {
        if (model == null || noise.isEmpty()) return null;
        Map<Integer, int[]> from = new LinkedHashMap<>(); // node id -> {reads noise, reads data}
        String best = null;
        for (Node n : model.nodes()) {
            int[] f = n.isInput() ? (noise.contains(n.name()) ? new int[] {1, 0} : new int[] {0, 1}) : new int[] {0, 0};
            for (int i : n.inputs()) {
                int[] g = from.getOrDefault(i, new int[] {0, 0});
                f[0] |= g[0];
                f[1] |= g[1];
            }
            from.put(n.id(), f);
            var s = n.shape();
            boolean image = s != null && !s.isUnknown() && s.rank() == 3 && s.last().known() && (s.last().size() == 1 || s.last().size() == 3);
            if (!n.isInput() && f[0] == 1 && f[1] == 0 && image) best = n.name();
        }
        return best;
    }

    private void missing(Span head, String step, String word, String example) {
        sink.report(Diagnostic.error(Code.MISSING_DIRECTIVE, head, "step `" + step + "` has no `" + word + "`")
            .label("missing `" + word + "`")
            .help("add a line such as `" + example + "` to the step"));
    }

    void outOfPlace(Span at, String message, String label, String help) {
        sink.report(Diagnostic.error(Code.STEP_STATEMENT, at, message).label(label).help(help));
    }

    private <T> T choose(KindTable<RuleContext, T> table, Directive d) {
        Span head = Statements.head(d);
        List<Value> values = Statements.values(d, sink);
        Span kindSpan = values.isEmpty() ? head : values.get(0).span();
        return table.choose(d.word().name(), values, head, new RuleContext(head, kindSpan, sink, validation), sink);
    }

    private static Directive first(Map<String, List<Directive>> byWord, String word) {
        List<Directive> list = byWord.get(word);
        return list == null || list.isEmpty() ? null : list.get(0);
    }
}
